// Event-driven scaling (issue 19): `eventScaling` gives a Deployment or Worker a KEDA ScaledObject in
// place of the HorizontalPodAutoscaler (KEDA makes its own HPA from it; a second one would fight it,
// which KEDA's webhook refuses and scaledobject-conflict reports). The base carries the triggers and the
// first environment's range; each overlay sets its environment's range, and in a canary environment
// the ScaledObject follows the Rollout.
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import type { EventScalingConfig, GitopsConfig, ServiceConfig } from '../config/types.ts';
import { baseReplicas } from './effective.ts';
import { built, type BuiltObject } from './objects.ts';

type Meta = { name: string; namespace: string; labels: Record<string, string> };

export function scaledObject(
  config: GitopsConfig,
  service: ServiceConfig,
  events: EventScalingConfig,
  metadata: Meta,
): BuiltObject {
  const replicas = baseReplicas(config, service);
  return built(
    new ScaledObject({
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
        minReplicaCount: replicas.min,
        maxReplicaCount: replicas.max,
        triggers: events.triggers.map((trigger) => ({
          type: trigger.type,
          metadata: trigger.metadata,
          ...(trigger.authenticationRef ? { authenticationRef: { name: trigger.authenticationRef } } : {}),
        })),
      },
    }),
  );
}

// Vertical scaling (issue 19): `verticalScaling` gives a service a VerticalPodAutoscaler. `recommend`
// (updateMode Off) only publishes recommended requests, safe beside any HPA; `auto` (updateMode Recreate:
// the updater evicts pods whose requests drift, the admission controller sets new ones) is refused by
// the config checks where the HPA scales on a resource the VPA would set, since the two undo each other
// (the vpa-hpa-conflict rule says why). In a canary environment the VPA follows the Rollout.
import { VerticalPodAutoscaler } from '@kubernetes-models/autoscaler/autoscaling.k8s.io/v1';
import type { ServiceConfig, VerticalScalingConfig } from '../config/types.ts';
import { workloadKind } from './names.ts';
import { built, type BuiltObject } from './objects.ts';

type Meta = { name: string; namespace: string; labels: Record<string, string> };

/** The resources the VPA sets: what gitops.yaml lists, else both. */
export function verticalResources(vertical: VerticalScalingConfig): ('cpu' | 'memory')[] {
  return vertical.controlledResources ?? ['cpu', 'memory'];
}

export function verticalPodAutoscaler(
  service: ServiceConfig,
  vertical: VerticalScalingConfig,
  metadata: Meta,
): BuiltObject {
  return built(
    new VerticalPodAutoscaler({
      metadata,
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: workloadKind(service), name: service.name },
        updatePolicy: { updateMode: vertical.mode === 'auto' ? 'Recreate' : 'Off' },
        resourcePolicy: {
          containerPolicies: [{ containerName: '*', controlledResources: verticalResources(vertical) }],
        },
      },
    }),
  );
}

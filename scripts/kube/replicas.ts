// How many pods a workload runs, for rules that compare replica counts.
import type { Resource } from '../types.ts';
import type { JsonPath } from '../types.ts';
import { get, int, record } from './values.ts';
import { flaggerCanariesTargeting, rolloutsBorrowing, scaledObjectsOf } from './rollouts.ts';
import { autoscalersOf } from './workloads.ts';

export interface ReplicaCount {
  /** The minimum number of pods: the HPA's minReplicas when one scales the workload, else spec.replicas (default 1). */
  min: number;
  /** The maximum: the HPA's maxReplicas, else the same as min. */
  max: number;
  /** Where a person changes it, and in which resource. */
  source: Resource;
  path: JsonPath;
}

export function replicaCount(workload: Resource, resources: Resource[]): ReplicaCount {
  // A Deployment whose template a Rollout borrows (workloadRef) runs as many pods as the Rollout.
  const [rollout] = rolloutsBorrowing(workload, resources);
  if (rollout) return replicaCount(rollout, resources);
  // Flagger's primary runs a Canary target's pods, scaled by a copy of the autoscalerRef, whose range
  // primaryScalerReplicas may replace.
  const [canary] = flaggerCanariesTargeting(workload, resources);
  const primary = record(get(canary?.object, 'spec', 'autoscalerRef', 'primaryScalerReplicas'));
  if (canary && (primary.minReplicas !== undefined || primary.maxReplicas !== undefined)) {
    const min = int(primary.minReplicas) ?? 1;
    return {
      min,
      max: Math.max(min, int(primary.maxReplicas) ?? min),
      source: canary,
      path: ['spec', 'autoscalerRef', 'primaryScalerReplicas', 'minReplicas'],
    };
  }
  const [hpa] = autoscalersOf(workload, resources);
  if (hpa) {
    const min = int(get(hpa.object, 'spec', 'minReplicas')) ?? 1;
    return { min, max: int(get(hpa.object, 'spec', 'maxReplicas')) ?? min, source: hpa, path: ['spec', 'minReplicas'] };
  }
  // KEDA scales through an HPA of its own: minReplicaCount defaults to 0, maxReplicaCount to 100.
  const [scaledObject] = scaledObjectsOf(workload, resources);
  if (scaledObject) {
    const min = int(get(scaledObject.object, 'spec', 'minReplicaCount')) ?? 0;
    return {
      min,
      max: Math.max(min, int(get(scaledObject.object, 'spec', 'maxReplicaCount')) ?? 100),
      source: scaledObject,
      path: ['spec', 'minReplicaCount'],
    };
  }
  const replicas = int(get(workload.object, 'spec', 'replicas')) ?? 1;
  return { min: replicas, max: replicas, source: workload, path: ['spec', 'replicas'] };
}

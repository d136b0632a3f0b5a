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

/**
 * The last answer per list: pdb-present, replicas-spread, replicas-minimum and rolling-update-strategy
 * ask it of each workload one after the other (the engine runs a pass's rules on a resource before
 * the next resource), with the scope's list. One entry per list, in a WeakMap on the list as
 * targetPortMismatches keeps its own: releaseScope replaces a scope's list, and the entry goes with it.
 * Callers only read the answer.
 */
const lastCount = new WeakMap<Resource[], { workload: Resource; count: ReplicaCount }>();

export function replicaCount(workload: Resource, resources: Resource[]): ReplicaCount {
  const last = lastCount.get(resources);
  if (last && last.workload === workload) return last.count;
  const count = countReplicas(workload, resources);
  lastCount.set(resources, { workload, count });
  return count;
}

function countReplicas(workload: Resource, resources: Resource[]): ReplicaCount {
  // A Deployment whose template a Rollout borrows (workloadRef) runs as many pods as the Rollout.
  const [rollout] = rolloutsBorrowing(workload, resources);
  if (rollout) return countReplicas(rollout, resources);
  // Flagger's primary runs a Canary target's pods, scaled by a copy of the autoscalerRef, whose range
  // primaryScalerReplicas may replace.
  const [canary] = flaggerCanariesTargeting(workload, resources);
  if (canary) {
    const primary = record(get(canary.object, 'spec', 'autoscalerRef', 'primaryScalerReplicas'));
    if (primary.minReplicas !== undefined || primary.maxReplicas !== undefined) {
      const min = int(primary.minReplicas) ?? 1;
      return {
        min,
        max: Math.max(min, int(primary.maxReplicas) ?? min),
        source: canary,
        path: ['spec', 'autoscalerRef', 'primaryScalerReplicas', 'minReplicas'],
      };
    }
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

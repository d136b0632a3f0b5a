import type { Resource } from '../../types.ts';
import { replicaCount } from '../../kube/replicas.ts';
import { borrowedStillRuns, rolloutPodTemplate, rolloutsBorrowing } from '../../kube/rollouts.ts';
import { get, int, parseQuantity, record } from '../../kube/values.ts';
import {
  containersOf,
  isWorkload,
  podTemplateOf,
  relatedResources,
  resourcesOfKind,
  scopeOf,
} from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

/** Quota keys this rule can sum, and which container field each one counts. */
const QUOTA_KEYS: Record<string, { section: 'requests' | 'limits'; resource: 'cpu' | 'memory' }> = {
  'requests.cpu': { section: 'requests', resource: 'cpu' },
  cpu: { section: 'requests', resource: 'cpu' },
  'requests.memory': { section: 'requests', resource: 'memory' },
  memory: { section: 'requests', resource: 'memory' },
  'limits.cpu': { section: 'limits', resource: 'cpu' },
  'limits.memory': { section: 'limits', resource: 'memory' },
};

export default defineRule({
  meta: {
    id: 'namespace-quota-fits',
    description: "The workloads of a namespace, at their maximum replicas, fit the namespace's ResourceQuota.",
    defaultSeverity: 'error',
    category: 'resources',
    scope: 'repository',
    docs: {
      why: `A ResourceQuota is enforced when pods are created: once a namespace's pods request as much as the
quota allows, the next pod is rejected. That pod may be the HPA's scale-up at the traffic peak, or the
surge pod of a rollout, which then never finishes.

For each environment, the rule adds up each workload's per-pod requests and limits (app containers
and sidecars, or the largest init container when that is bigger) times its maximum replicas (the
HPA's \`maxReplicas\`, else \`replicas\`) and compares the sum with the quota's \`hard\` values
(\`requests.cpu\`, \`requests.memory\`, \`limits.cpu\`, \`limits.memory\`, \`cpu\`, \`memory\`, \`pods\`).
DaemonSets, Jobs and CronJobs are not counted: their pod counts depend on the cluster and the schedule.
A Rollout with a \`workloadRef\` counts with the borrowed template, and the borrowed Deployment only
while its own pods still run (no \`scaleDown\`, \`replicas\` not 0). Rollout surge pods are not
counted: leave headroom for them.`,
      fix: `Raise the quota in the environment's namespaces overlay, or lower requests or
maxReplicas.`,
    },
    examples: {
      bad: `apiVersion: v1
kind: ResourceQuota
metadata: {name: quota, namespace: shop}
spec:
  hard: {requests.cpu: "2"}   # the HPA may run 10 pods of 500m
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          resources: {requests: {cpu: 500m}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10`,
      good: `apiVersion: v1
kind: ResourceQuota
metadata: {name: quota, namespace: shop}
spec:
  hard: {requests.cpu: "6"}   # 10 pods x 500m = 5 cores, with headroom
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          resources: {requests: {cpu: 500m}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10`,
    },
  },
  check({ repo, report }) {
    const scopes = new Map(repo.apps.map((app) => [scopeOf(app), app]));
    for (const app of scopes.values()) {
      const resources = relatedResources(repo.apps, app);
      for (const quota of resourcesOfKind(resources, 'ResourceQuota')) {
        const namespace = quota.object.metadata?.namespace;
        if (!namespace) continue;
        const workloads = resources.filter(
          (r) =>
            isWorkload(r.object) &&
            r.object.metadata?.namespace === namespace &&
            ['Deployment', 'StatefulSet', 'ReplicaSet', 'Rollout', 'Pod'].includes(r.object.kind ?? '') &&
            // A Deployment whose template a Rollout borrows runs the Rollout's pods: counted once, as the
            // Rollout, unless its own pods still run beside them (no scaleDown, replicas not 0).
            rolloutsBorrowing(r, resources).every((rollout) => borrowedStillRuns(r, rollout)),
        );
        const hard = record(get(quota.object, 'spec', 'hard'));
        for (const [key, limitText] of Object.entries(hard)) {
          const limit = key === 'pods' ? int(limitText) : parseQuantity(limitText);
          if (limit === undefined) continue;
          let total: number;
          if (key === 'pods') total = workloads.reduce((sum, w) => sum + maxPods(w, resources), 0);
          else if (QUOTA_KEYS[key])
            total = workloads.reduce(
              (sum, w) => sum + podAmount(w, resources, QUOTA_KEYS[key]) * maxPods(w, resources),
              0,
            );
          else continue;
          if (total > limit + 1e-9) {
            report({
              resource: quota,
              path: ['spec', 'hard', key],
              message: `ResourceQuota "${quota.object.metadata?.name ?? '?'}" allows ${String(limitText)} ${key} in namespace "${namespace}", but its workloads need ${format(total, key)} at their maximum replicas; pods beyond the quota are rejected.`,
            });
          }
        }
      }
    }
    return;
  },
});

/** What one pod counts against the quota: app containers + sidecars, or the largest init container if bigger. */
/**
 * Pods at the maximum replicas. A borrowed Deployment is only counted while its own pods still run
 * beside its Rollout's: those are its own spec.replicas (replicaCount gives it the Rollout's count,
 * which the Rollout itself is counted with).
 */
function maxPods(workload: Resource, resources: Resource[]): number {
  if (rolloutsBorrowing(workload, resources).length > 0) return int(get(workload.object, 'spec', 'replicas')) ?? 1;
  return replicaCount(workload, resources).max;
}

function podAmount(workload: Resource, resources: Resource[], what: { section: string; resource: string }): number {
  // A Rollout with a workloadRef runs pods of the borrowed template.
  const template =
    workload.object.kind === 'Rollout' ? rolloutPodTemplate(workload, resources) : podTemplateOf(workload.object);
  if (!template) return 0;
  let running = 0;
  let largestInit = 0;
  for (const c of containersOf(template)) {
    const amount = parseQuantity(get(c.container, 'resources', what.section, what.resource)) ?? 0;
    if (!c.init || c.sidecar) running += amount;
    else largestInit = Math.max(largestInit, amount);
  }
  return Math.max(running, largestInit);
}

function format(total: number, key: string): string {
  if (key === 'pods') return String(total);
  if (key.endsWith('cpu')) return total < 1 ? `${Math.round(total * 1000)}m` : `${Number(total.toFixed(3))}`;
  return `${Number((total / 2 ** 20).toFixed(1))}Mi`;
}

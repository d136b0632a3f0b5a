import { get, int } from '../../kube/values.ts';
import { FEW, relatedResources, workloadsMatching, type PodsOf } from '../../kube/workloads.ts';
import { replicaCount } from '../../kube/replicas.ts';
import { defineRule } from '../../check/contract.ts';
import type { Resource } from '../../types.ts';

export default defineRule({
  meta: {
    id: 'pdb-not-blocking',
    description: 'A PodDisruptionBudget leaves room to evict at least one pod.',
    defaultSeverity: 'error',
    category: 'reliability',
    scope: 'app',
    reach: 'scope',
    docs: {
      why: `A PodDisruptionBudget that allows zero disruptions (\`maxUnavailable: 0\`, \`minAvailable: 100%\`,
or \`minAvailable\` at or above the workload's replica count) blocks every node drain: cluster
upgrades hang, the cluster autoscaler cannot remove the node, and the platform team has to delete
your PDB by hand.

The replica count is the workload's \`replicas\`, or its HPA's \`minReplicas\`, in the same environment.`,
      fix: `Use \`maxUnavailable: 1\` (or a percentage), or keep \`minAvailable\` below the replica count.`,
    },
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}`,
    },
  },
  check({ repo, app, report }) {
    const resources = relatedResources(repo.apps, app);
    // One walk of the app's list, not a kind index of it: this is asked once per app (per loose file),
    // and an index built for one question cost more than the walk.
    for (const pdb of app.resources) {
      if (pdb.object.kind !== 'PodDisruptionBudget') continue;
      const name = pdb.object.metadata?.name ?? '?';
      const maxUnavailable = get(pdb.object, 'spec', 'maxUnavailable');
      if (maxUnavailable === 0 || maxUnavailable === '0' || maxUnavailable === '0%') {
        report({
          resource: pdb,
          path: ['spec', 'maxUnavailable'],
          message: `PodDisruptionBudget "${name}" allows no pod to be evicted (maxUnavailable: ${String(maxUnavailable)}); it blocks every node drain.`,
        });
        continue;
      }
      const minAvailable = get(pdb.object, 'spec', 'minAvailable');
      if (minAvailable === '100%') {
        report({
          resource: pdb,
          path: ['spec', 'minAvailable'],
          message: `PodDisruptionBudget "${name}" keeps every pod (minAvailable: 100%); it blocks every node drain.`,
        });
        continue;
      }
      const required = int(minAvailable);
      if (required === undefined) continue;
      // One finding per budget, on its minAvailable line: the first workload it blocks, and how many
      // more (one per workload was a finding per pair: 3,000 budgets over 3,000 Deployments, 9 million).
      const blocked = blockedIn(
        workloadsMatching(get(pdb.object, 'spec', 'selector'), pdb.object, resources),
        required,
        resources,
      );
      if (blocked.length === 0) continue;
      const [first] = blocked;
      const more = blocked.length > 1 ? ` (and ${blocked.length - 1} more it blocks)` : '';
      report({
        resource: pdb,
        path: ['spec', 'minAvailable'],
        message: `PodDisruptionBudget "${name}" requires ${required} available pods but ${first.workload.object.kind} "${first.workload.object.metadata?.name ?? '?'}" runs ${first.scalesFromZero ? `as few as ${first.replicas} (it scales from zero)` : first.replicas}${more}; it blocks every node drain.`,
      });
    }
    return;
  },
});

type Blocked = { workload: Resource; replicas: number; scalesFromZero: boolean }[];

/**
 * The workloads of a selection a budget requiring `required` pods blocks. Budgets with one selector
 * share their selection (kube/workloads.ts), and so this answer: 3,000 budgets over 3,000 Deployments
 * counted replicas 9 million times.
 */
const blockedCache = new WeakMap<PodsOf[], Map<number, Blocked>>();

function blockedIn(selection: PodsOf[], required: number, resources: Resource[]): Blocked {
  if (selection.length <= FEW) return selection.flatMap(({ workload }) => blockedBy(required, workload, resources));
  let byRequired = blockedCache.get(selection);
  if (!byRequired) blockedCache.set(selection, (byRequired = new Map()));
  let blocked = byRequired.get(required);
  if (!blocked) {
    blocked = selection.flatMap(({ workload }) => blockedBy(required, workload, resources));
    byRequired.set(required, blocked);
  }
  return blocked;
}

/** The workload, when a budget requiring `required` available pods leaves none of its pods evictable. */
function blockedBy(required: number, workload: Resource, resources: Resource[]): Blocked {
  const kind = workload.object.kind;
  if (kind === 'DaemonSet' || kind === 'Job' || kind === 'CronJob' || kind === 'Pod') return [];
  const count = replicaCount(workload, resources);
  // At zero pods there is nothing to evict: a workload fixed at 0 is never blocked, and one KEDA
  // scales from zero (minReplicaCount 0) is blocked from its first pod on.
  if (count.max === 0) return [];
  const replicas = Math.max(count.min, 1);
  return required >= replicas ? [{ workload, replicas, scalesFromZero: count.min === 0 }] : [];
}

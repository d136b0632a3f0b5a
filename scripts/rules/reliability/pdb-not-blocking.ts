import { get, int } from '../../kube/values.ts';
import { relatedResources, resourcesOfKind, workloadsMatching } from '../../kube/workloads.ts';
import { replicaCount } from '../../kube/replicas.ts';
import { defineRule } from '../../check/contract.ts';

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
    for (const pdb of resourcesOfKind(app.resources, 'PodDisruptionBudget')) {
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
      for (const { workload } of workloadsMatching(get(pdb.object, 'spec', 'selector'), pdb.object, resources)) {
        if (
          workload.object.kind === 'DaemonSet' ||
          workload.object.kind === 'Job' ||
          workload.object.kind === 'CronJob' ||
          workload.object.kind === 'Pod'
        )
          continue;
        const count = replicaCount(workload, resources);
        // At zero pods there is nothing to evict: a workload fixed at 0 is never blocked, and one KEDA
        // scales from zero (minReplicaCount 0) is blocked from its first pod on.
        if (count.max === 0) continue;
        const replicas = Math.max(count.min, 1);
        if (required >= replicas) {
          report({
            resource: pdb,
            path: ['spec', 'minAvailable'],
            message: `PodDisruptionBudget "${name}" requires ${required} available pods but ${workload.object.kind} "${workload.object.metadata?.name ?? '?'}" runs ${count.min === 0 ? `as few as ${replicas} (it scales from zero)` : replicas}; it blocks every node drain.`,
          });
        }
      }
    }
    return;
  },
});

import type { ResourceRule } from '../rule.ts';
import { findingAt } from '../rule.ts';
import { get } from '../values.ts';
import { labelSelectorMatches, podTemplateOf, relatedResources, resourcesOfKind, sameNamespace } from '../workloads.ts';
import { replicaCount } from './replicas.ts';

export const pdbPresent: ResourceRule = {
  scope: 'resource',
  meta: {
    id: 'pdb-present',
    description: 'A workload that runs two or more pods has a PodDisruptionBudget.',
    defaultSeverity: 'warning',
    category: 'reliability',
    docs: `Node drains (cluster upgrades, autoscaler scale-downs) evict pods without asking the
application. Without a PodDisruptionBudget a drain may evict every replica of a Deployment at once,
and the service is down although it runs three pods. A PDB with \`maxUnavailable: 1\` makes the drain
wait until each evicted pod's replacement is ready.

Only workloads that run two or more pods (their \`replicas\`, or their HPA's \`maxReplicas\`) are
checked: with one pod a budget can only block drains (see \`pdb-not-blocking\`). The PDB may live in
any app of the same environment and namespace.

**How to fix:** add a PodDisruptionBudget that selects the workload's pods.`,
    examples: {
      bad: `kind: Deployment
metadata: {name: web}
spec:
  replicas: 3   # and no PodDisruptionBudget selects app=web`,
      good: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}`,
    },
  },
  check(ctx, resource, app) {
    const kind = resource.object.kind;
    if (kind !== 'Deployment' && kind !== 'StatefulSet' && kind !== 'Rollout') return [];
    const template = podTemplateOf(resource.object);
    const related = relatedResources(ctx.apps, app);
    if (!template || replicaCount(resource, related).max < 2) return [];
    const budgets = resourcesOfKind(related, 'PodDisruptionBudget').filter(
      (pdb) => sameNamespace(pdb.object, resource.object) && labelSelectorMatches(get(pdb.object, 'spec', 'selector'), template.labels),
    );
    if (budgets.length > 0) return [];
    return [findingAt(this.meta, resource, ['metadata', 'name'], `${kind} "${resource.object.metadata?.name ?? '?'}" runs several pods but no PodDisruptionBudget selects them; a node drain may evict them all at once.`)];
  },
};

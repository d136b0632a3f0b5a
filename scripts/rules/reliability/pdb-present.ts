import type { Resource } from '../../types.ts';
import { get } from '../../kube/values.ts';
import {
  labelSelectorMatches,
  podTemplateOf,
  relatedResources,
  resourcesOfKind,
  sameNamespace,
  workloadsMatching,
} from '../../kube/workloads.ts';
import { flaggerCanariesTargeting, flaggerPrimaryLabels } from '../../kube/rollouts.ts';
import { replicaCount } from '../../kube/replicas.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'pdb-present',
    description: 'A workload that runs two or more pods has a PodDisruptionBudget.',
    defaultSeverity: 'warning',
    category: 'reliability',
    scope: 'resource',
    kinds: ['Deployment', 'StatefulSet', 'Rollout'],
    reach: 'scope',
    docs: {
      why: `Node drains (cluster upgrades, autoscaler scale-downs) evict pods without asking the
application. Without a PodDisruptionBudget a drain may evict every replica of a Deployment at once,
and the service is down although it runs three pods. A PDB with \`maxUnavailable: 1\` makes the drain
wait until each evicted pod's replacement is ready.

Only workloads that run two or more pods (their \`replicas\`, or their HPA's \`maxReplicas\`) are
checked: with one pod a budget can only block drains (see \`pdb-not-blocking\`). The PDB may live in
any app of the same environment and namespace. A Flagger Canary's target runs its pods as
\`<target>-primary\`, whose name label gets the value \`<value>-primary\`: a PDB selecting those pods
covers it.`,
      fix: `Add a PodDisruptionBudget that selects the workload's pods.`,
    },
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
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
  check({ repo, resource, app, report }) {
    const kind = resource.object.kind;
    if (kind !== 'Deployment' && kind !== 'StatefulSet' && kind !== 'Rollout') return;
    const template = podTemplateOf(resource.object);
    const related = relatedResources(repo.apps, app);
    if (!template || replicaCount(resource, related).max < 2) return;
    if (coveredByBudgets(related).has(resource) || primaryCovered(resource, related)) return;
    report({
      resource,
      path: ['metadata', 'name'],
      message: `${kind} "${resource.object.metadata?.name ?? '?'}" runs several pods but no PodDisruptionBudget selects them; a node drain may evict them all at once.`,
    });
    return;
  },
});

const coveredCache = new WeakMap<Resource[], Set<Resource>>();

/** The workloads some PodDisruptionBudget selects, computed once per scope. */
function coveredByBudgets(related: Resource[]): Set<Resource> {
  let covered = coveredCache.get(related);
  if (!covered) {
    covered = new Set();
    for (const pdb of resourcesOfKind(related, 'PodDisruptionBudget')) {
      for (const { workload } of workloadsMatching(get(pdb.object, 'spec', 'selector'), pdb.object, related))
        covered.add(workload);
    }
    coveredCache.set(related, covered);
  }
  return covered;
}

/**
 * A Flagger Canary's target runs its pods as <target>-primary, relabelled (kube/rollouts.ts): a budget
 * written for the primary's pods covers the target, which Flagger scales to zero between releases.
 */
function primaryCovered(workload: Resource, related: Resource[]): boolean {
  if (flaggerCanariesTargeting(workload, related).length === 0) return false;
  const labels = flaggerPrimaryLabels(workload);
  return (
    labels !== undefined &&
    resourcesOfKind(related, 'PodDisruptionBudget').some(
      (pdb) =>
        sameNamespace(pdb.object, workload.object) && labelSelectorMatches(get(pdb.object, 'spec', 'selector'), labels),
    )
  );
}

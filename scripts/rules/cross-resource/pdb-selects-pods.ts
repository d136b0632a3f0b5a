import { get } from '../../kube/values.ts';
import { relatedResources, scopeIsComplete, workloadsMatching } from '../../kube/workloads.ts';
import { deploysPodsBeside, describeSelector } from '../../kube/selection.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

const budget = (app: string) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: ${app}}}`;

export default defineRule({
  meta: {
    id: 'pdb-selects-pods',
    description: "A PodDisruptionBudget's selector matches the pods of a workload in its namespace.",
    defaultSeverity: 'warning',
    category: 'cross-resource',
    scope: 'resource',
    kinds: ['PodDisruptionBudget'],
    reach: 'scope',
    docs: {
      why: `A PodDisruptionBudget limits voluntary evictions (node drains, cluster upgrades) of the pods its
selector matches. One that matches none limits nothing: a drain evicts every replica of the service at
once, which is the outage the budget was written to prevent (pdb-present counts it as present).

Only budgets in a namespace where the environment runs workloads are judged; an empty selector
(\`{}\`) matches every pod of the namespace and passes.`,
      fix: `Make \`spec.selector\` match the workload's pod template labels.`,
    },
    examples: {
      bad: `${exampleWorkload({ spec: 'replicas: 3' })}\n---\n${budget('web-server')}`,
      good: `${exampleWorkload({ spec: 'replicas: 3' })}\n---\n${budget('web')}`,
    },
  },
  check({ repo, app, resource, report }) {
    // Absence proves nothing where part of the scope could not be rendered (the pods may come from there).
    if (!scopeIsComplete(repo.apps, app)) return;
    if (resource.object.kind !== 'PodDisruptionBudget' || !(resource.object.apiVersion ?? '').startsWith('policy/'))
      return;
    const selector = get(resource.object, 'spec', 'selector');
    // a null selector matches nothing and an empty one everything (policy/v1): the first is a schema matter
    if (selector === undefined || selector === null) return;
    const resources = relatedResources(repo.apps, app);
    if (!deploysPodsBeside(resource.object, resources)) return;
    if (workloadsMatching(selector, resource.object, resources).length > 0) return;
    report({
      resource,
      path: ['spec', 'selector'],
      message: `PodDisruptionBudget "${resource.object.metadata?.name ?? '?'}" selects ${describeSelector(selector)}, which no workload's pods in its namespace carry; it protects nothing.`,
    });
  },
});

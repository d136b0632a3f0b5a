import { get } from '../../kube/values.ts';
import { relatedResources, scopeIsComplete, workloadsMatching } from '../../kube/workloads.ts';
import { deploysPodsBeside, describeSelector, selectsEverything } from '../../kube/selection.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

const policy = (app: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: ${app}}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]`;

export default defineRule({
  meta: {
    id: 'networkpolicy-selects-pods',
    description: "A NetworkPolicy's podSelector matches the pods of a workload in its namespace.",
    defaultSeverity: 'warning',
    category: 'cross-resource',
    scope: 'resource',
    kinds: ['NetworkPolicy'],
    reach: 'scope',
    docs: {
      why: `A NetworkPolicy applies to the pods its \`podSelector\` matches. One that matches none protects
nothing, silently: the pods it was written for accept traffic from everywhere, and every object looks
fine in Argo CD. It happens when a label changes on the workload only, or when the policy is copied
from another service.

Only policies in a namespace where the environment runs workloads are judged (a policy for an
operator's pods selects what the repository does not deploy); an empty \`podSelector\` selects every
pod and passes.`,
      fix: `Make the selector match the workload's pod template labels.`,
    },
    examples: {
      bad: `${exampleWorkload()}\n---\n${policy('web-server')}`,
      good: `${exampleWorkload()}\n---\n${policy('web')}`,
    },
  },
  check({ repo, app, resource, report }) {
    // Absence proves nothing where part of the scope could not be rendered (the pods may come from there).
    if (!scopeIsComplete(repo.apps, app)) return;
    if (
      resource.object.kind !== 'NetworkPolicy' ||
      !(resource.object.apiVersion ?? '').startsWith('networking.k8s.io/')
    )
      return;
    const selector = get(resource.object, 'spec', 'podSelector');
    if (selectsEverything(selector)) return;
    const resources = relatedResources(repo.apps, app);
    if (!deploysPodsBeside(resource.object, resources)) return;
    if (workloadsMatching(selector, resource.object, resources).length > 0) return;
    report({
      resource,
      path: ['spec', 'podSelector'],
      message: `NetworkPolicy "${resource.object.metadata?.name ?? '?'}" selects ${describeSelector(selector)}, which no workload's pods in its namespace carry; it protects nothing.`,
    });
  },
});

import { array, get } from '../../kube/values.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'rbac-no-wildcards',
    description: 'Roles and ClusterRoles do not grant "*" verbs or resources.',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    kinds: ['Role', 'ClusterRole'],
    reach: 'scope',
    docs: {
      why: `A wildcard in \`verbs\` or \`resources\` grants everything that exists today and everything that
will exist: \`resources: ["*"]\` includes Secrets, and \`verbs: ["*"]\` includes \`escalate\`, \`bind\` and
\`impersonate\`, which let a service account grant itself more. New CRDs installed later are covered
silently.`,
      fix: `List the verbs (\`get\`, \`list\`, \`watch\`...) and resources the workload actually uses.`,
    },
    examples: {
      bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web, namespace: shop}
rules:
  - apiGroups: [""]
    resources: ["*"]
    verbs: ["*"]`,
      good: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web, namespace: shop}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, watch]`,
    },
  },
  check({ resource, report }) {
    const kind = resource.object.kind;
    if (kind !== 'Role' && kind !== 'ClusterRole') return;
    if (!(resource.object.apiVersion ?? '').startsWith('rbac.authorization.k8s.io/')) return;
    array(get(resource.object, 'rules')).forEach((rule, index) => {
      for (const field of ['verbs', 'resources'] as const) {
        if (array(get(rule, field)).includes('*')) {
          report({
            resource,
            path: ['rules', index, field],
            message: `${kind} "${resource.object.metadata?.name ?? '?'}" grants "*" ${field} in rule ${index + 1}.`,
          });
        }
      }
    });
    return;
  },
});

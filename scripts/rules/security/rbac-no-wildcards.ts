import type { Finding } from '../../types.ts';
import type { ResourceRule } from '../rule.ts';
import { findingAt } from '../rule.ts';
import { array, get } from '../values.ts';

export const rbacNoWildcards: ResourceRule = {
  scope: 'resource',
  meta: {
    id: 'rbac-no-wildcards',
    description: 'Roles and ClusterRoles do not grant "*" verbs or resources.',
    defaultSeverity: 'warning',
    category: 'security',
    docs: `A wildcard in \`verbs\` or \`resources\` grants everything that exists today and everything that
will exist: \`resources: ["*"]\` includes Secrets, and \`verbs: ["*"]\` includes \`escalate\`, \`bind\` and
\`impersonate\`, which let a service account grant itself more. New CRDs installed later are covered
silently.

**How to fix:** list the verbs (\`get\`, \`list\`, \`watch\`...) and resources the workload actually uses.`,
    examples: {
      bad: `rules:
  - apiGroups: [""]
    resources: ["*"]
    verbs: ["*"]`,
      good: `rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, watch]`,
    },
  },
  check(_ctx, resource) {
    const kind = resource.object.kind;
    if (kind !== 'Role' && kind !== 'ClusterRole') return [];
    if (!(resource.object.apiVersion ?? '').startsWith('rbac.authorization.k8s.io/')) return [];
    const findings: Finding[] = [];
    array(get(resource.object, 'rules')).forEach((rule, index) => {
      for (const field of ['verbs', 'resources'] as const) {
        if (array(get(rule, field)).includes('*')) {
          findings.push(
            findingAt(
              this.meta,
              resource,
              ['rules', index, field],
              `${kind} "${resource.object.metadata?.name ?? '?'}" grants "*" ${field} in rule ${index + 1}.`,
            ),
          );
        }
      }
    });
    return findings;
  },
};

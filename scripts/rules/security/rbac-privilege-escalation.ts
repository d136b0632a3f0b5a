import { array, get, str } from '../../kube/values.ts';
import { escalationPaths, isRbac } from '../../kube/rbac.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'rbac-privilege-escalation',
    description:
      'Roles do not open a path to more privilege: reading Secrets, exec into pods, creating pods, binding roles.',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    kinds: ['Role', 'ClusterRole'],
    reach: 'scope',
    docs: {
      why: `Some permissions are worth more than they say (CIS Kubernetes Benchmark 5.1.2-5.1.4, 5.1.8):
- \`get\`/\`list\`/\`watch\` on \`secrets\` reads every credential of the namespace, service account tokens
  included, and with them every permission those accounts have;
- \`create\` on \`pods/exec\` or \`pods/attach\` runs commands inside any pod, with its token and its data;
- \`create\`/\`update\`/\`patch\` on pods or on anything that makes pods (Deployments, Jobs...) runs a pod
  that mounts any service account and any Secret of the namespace;
- \`bind\`/\`escalate\` on roles, \`impersonate\`, \`create\` on \`serviceaccounts/token\` and \`nodes/proxy\`
  grant whatever their holder wants.

A warning: controllers and CI deployers need some of these. Rules limited with \`resourceNames\` and
rules with a \`*\` (rbac-no-wildcards reports those) are not reported.`,
      fix: `Grant the narrowest rule that works: \`resourceNames\` for the one Secret a workload reads, no
exec in production, a deployer that patches only its own Deployments. Exempt a controller's role with
the ignore annotation and a reason.`,
    },
    examples: {
      bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web, namespace: shop}
rules:
  - apiGroups: [""]
    resources: [secrets]
    verbs: [get, list]`,
      good: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web, namespace: shop}
rules:
  - apiGroups: [""]
    resources: [secrets]
    resourceNames: [web-tls]
    verbs: [get]`,
    },
  },
  check({ resource, report }) {
    const kind = resource.object.kind;
    if ((kind !== 'Role' && kind !== 'ClusterRole') || !isRbac(resource)) return;
    array(get(resource.object, 'rules')).forEach((rule, index) => {
      const wildcard = ['verbs', 'resources'].some((field) => array(get(rule, field)).includes('*'));
      if (wildcard) return;
      const paths = escalationPaths(rule);
      if (paths.length === 0) return;
      report({
        resource,
        path: ['rules', index],
        message: `${kind} "${str(resource.object.metadata?.name) ?? '?'}" rule ${index + 1} lets its holder ${paths.map((p) => p.what).join(', ')}.`,
      });
    });
  },
});

import { array, get, str } from '../../kube/values.ts';
import { isRbac } from '../../kube/rbac.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'rbac-cluster-admin-binding',
    description: 'No RoleBinding or ClusterRoleBinding grants the cluster-admin ClusterRole.',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    kinds: ['ClusterRoleBinding', 'RoleBinding'],
    reach: 'scope',
    docs: {
      why: `\`cluster-admin\` is every verb on every resource: whoever holds it (a service account's token, a
group of people) can read every Secret, run anything on any node and grant itself whatever is missing.
A ClusterRoleBinding gives that on the whole cluster; even a RoleBinding to it gives full control of
its namespace, RBAC included (CIS Kubernetes Benchmark 5.1.1: use cluster-admin only where required).

A warning rather than an error: a platform repository legitimately binds it for a few components
(the Argo CD application controller that manages the cluster, a break-glass group). Each such binding
deserves a reason: exempt it with \`ignore-check.gitops.dev/rbac-cluster-admin-binding: "<why>"\`.`,
      fix: `Bind a ClusterRole that lists what the subject does (or the built-in \`admin\`/\`edit\`/\`view\` in
one namespace with a RoleBinding).`,
    },
    examples: {
      bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ci-deployer}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]`,
      good: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-deployer, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]`,
    },
  },
  check({ resource, report }) {
    const kind = resource.object.kind;
    if ((kind !== 'ClusterRoleBinding' && kind !== 'RoleBinding') || !isRbac(resource)) return;
    if (
      get(resource.object, 'roleRef', 'kind') !== 'ClusterRole' ||
      get(resource.object, 'roleRef', 'name') !== 'cluster-admin'
    )
      return;
    const subjects = array(get(resource.object, 'subjects'))
      .map((subject) => `${str(get(subject, 'kind')) ?? '?'} ${str(get(subject, 'name')) ?? '?'}`)
      .join(', ');
    const scope =
      kind === 'ClusterRoleBinding'
        ? 'the whole cluster'
        : `namespace ${resource.object.metadata?.namespace ?? '(the destination)'}`;
    report({
      resource,
      path: ['roleRef', 'name'],
      message: `${kind} "${resource.object.metadata?.name ?? '?'}" grants cluster-admin on ${scope} to ${subjects || 'no subject'}.`,
    });
  },
});

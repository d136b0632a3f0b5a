import { isClusterScopedObject } from '../../kube/cluster-scope.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'no-default-namespace',
    description: 'Objects are not deployed to the "default" namespace.',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    docs: {
      why: `The \`default\` namespace is where everything ends up by accident: it has no quota, no network
policy and no owner, and RBAC granted there leaks to whatever else lands in it. Give each team or
service its own namespace.

Objects without a namespace are not reported: Argo CD puts them in the Application's destination
namespace. Neither are cluster-scoped kinds (ClusterRole, Namespace, a CRD's \`scope: Cluster\` kinds):
the API server ignores a namespace written on them.`,
      fix: `Set \`namespace:\` in the overlay's kustomization (or remove \`namespace: default\` and set
the Application's destination namespace).`,
    },
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
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
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
    },
  },
  check({ repo, resource, report }) {
    if (resource.object.metadata?.namespace !== 'default' || isClusterScopedObject(resource.object, repo)) return;
    report({
      resource,
      path: ['metadata', 'namespace'],
      message: `${resource.object.kind ?? 'Object'} "${resource.object.metadata?.name ?? '?'}" is deployed to the "default" namespace.`,
    });
    return;
  },
});

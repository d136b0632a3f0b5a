import type { ResourceRule } from '../rule.ts';
import { findingAt } from '../rule.ts';

export const noDefaultNamespace: ResourceRule = {
  scope: 'resource',
  meta: {
    id: 'no-default-namespace',
    description: 'Objects are not deployed to the "default" namespace.',
    defaultSeverity: 'warning',
    category: 'security',
    docs: `The \`default\` namespace is where everything ends up by accident: it has no quota, no network
policy and no owner, and RBAC granted there leaks to whatever else lands in it. Give each team or
service its own namespace.

Objects without a namespace are not reported: Argo CD puts them in the Application's destination
namespace.

**How to fix:** set \`namespace:\` in the overlay's kustomization (or remove \`namespace: default\` and set
the Application's destination namespace).`,
    examples: {
      bad: `metadata:
  name: web
  namespace: default`,
      good: `metadata:
  name: web
  namespace: shop`,
    },
  },
  check(_ctx, resource) {
    if (resource.object.metadata?.namespace !== 'default') return [];
    return [
      findingAt(
        this.meta,
        resource,
        ['metadata', 'namespace'],
        `${resource.object.kind ?? 'Object'} "${resource.object.metadata?.name ?? '?'}" is deployed to the "default" namespace.`,
      ),
    ];
  },
};

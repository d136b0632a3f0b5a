import { get } from '../../kube/values.ts';
import { containerRule } from '../../kube/security-context.ts';

export default containerRule(
  {
    id: 'no-privileged',
    description: 'No container runs privileged.',
    defaultSeverity: 'error',
    category: 'security',
    docs: {
      why: `A privileged container has every capability and every device of the node: it *is* root on the
node. Only node-level system components (CNI, storage drivers) need it, and those come from their
vendors' charts, not from a service's manifests.`,
      fix: `Remove \`privileged: true\`; add the one capability the process needs instead.`,
    },
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          securityContext: {privileged: true}`,
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
          image: ghcr.io/acme/web:1.4.2
          securityContext: {privileged: false, capabilities: {drop: [ALL]}}`,
    },
  },
  (c) =>
    get(c.container, 'securityContext', 'privileged') === true
      ? { field: 'privileged', message: `Container "${c.name}" runs privileged: it has full control of the node.` }
      : undefined,
);

import { array, get } from '../../kube/values.ts';
import { containerRule } from '../../kube/security-context.ts';

/** Whether a dropped capability is ALL (any case); a module function, not a closure per container. */
function isAll(cap: unknown): boolean {
  return String(cap).toUpperCase() === 'ALL';
}

export default containerRule(
  {
    id: 'drop-all-capabilities',
    description: 'Containers drop all Linux capabilities (and add back only what they need).',
    defaultSeverity: 'warning',
    category: 'security',
    docs: {
      why: `Container runtimes grant a default set of Linux capabilities (NET_RAW, CHOWN, SETUID...), most of
which an application never needs and an attacker can use (NET_RAW allows ARP and DNS spoofing on the
node's network). Drop them all and add back the few the process needs.`,
      fix: `Set \`securityContext.capabilities.drop: [ALL]\`, and \`add: [NET_BIND_SERVICE]\` only if
the process binds a port below 1024.`,
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
          securityContext: {capabilities: {drop: [NET_RAW]}}`,
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
          securityContext: {capabilities: {drop: [ALL]}}`,
    },
  },
  (c) =>
    array(get(c.container, 'securityContext', 'capabilities', 'drop')).some(isAll)
      ? undefined
      : {
          field: 'capabilities',
          message: `Container "${c.name}" does not drop all capabilities (capabilities.drop: [ALL]).`,
        },
);

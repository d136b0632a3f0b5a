import { get } from '../../kube/values.ts';
import { containerRule } from '../../kube/security-context.ts';

export default containerRule(
  {
    id: 'no-privilege-escalation',
    description: 'Containers set allowPrivilegeEscalation: false.',
    defaultSeverity: 'warning',
    category: 'security',
    docs: {
      why: `Unless \`allowPrivilegeEscalation: false\` is set, a process in the container can gain more
privileges than its parent (setuid binaries, file capabilities): an attacker who gets a shell as the
app user can become root in the container.`,
      fix: `Set \`securityContext.allowPrivilegeEscalation: false\` on every container.`,
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
          securityContext: {}`,
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
          securityContext: {allowPrivilegeEscalation: false}`,
    },
  },
  (c) =>
    get(c.container, 'securityContext', 'allowPrivilegeEscalation') === false
      ? undefined
      : {
          field: 'allowPrivilegeEscalation',
          message: `Container "${c.name}" does not set allowPrivilegeEscalation: false.`,
        },
);

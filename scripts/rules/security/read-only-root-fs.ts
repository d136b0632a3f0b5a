import { get } from '../../kube/values.ts';
import { containerRule } from '../../kube/security-context.ts';

export default containerRule(
  {
    id: 'read-only-root-fs',
    description: 'Containers mount their root filesystem read-only.',
    defaultSeverity: 'warning',
    category: 'security',
    docs: {
      why: `A writable root filesystem lets an attacker drop tools and persist changes inside the container,
and lets the application write state where it is lost on restart. With
\`readOnlyRootFilesystem: true\`, writes go only to the volumes you mount (an \`emptyDir\` on \`/tmp\`).`,
      fix: `Set \`securityContext.readOnlyRootFilesystem: true\` and mount an \`emptyDir\` where the
application must write.`,
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
          securityContext: {readOnlyRootFilesystem: false}`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      volumes: [{name: tmp, emptyDir: {}}]
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          securityContext: {readOnlyRootFilesystem: true}
          volumeMounts: [{name: tmp, mountPath: /tmp}]`,
    },
  },
  (c) =>
    get(c.container, 'securityContext', 'readOnlyRootFilesystem') === true
      ? undefined
      : {
          field: 'readOnlyRootFilesystem',
          message: `Container "${c.name}" has a writable root filesystem (readOnlyRootFilesystem is not true).`,
        },
);

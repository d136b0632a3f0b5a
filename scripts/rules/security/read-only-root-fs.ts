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
      bad: `containers:
  - name: app
    securityContext:
      readOnlyRootFilesystem: false`,
      good: `containers:
  - name: app
    securityContext:
      readOnlyRootFilesystem: true
    volumeMounts:
      - {name: tmp, mountPath: /tmp}`,
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

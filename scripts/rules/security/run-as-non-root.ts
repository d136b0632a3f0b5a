import { int } from '../../kube/values.ts';
import { containersOf, podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { effective, isWindows, securityContextPath } from '../../kube/security-context.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'run-as-non-root',
    description: 'Containers run as a non-root user (runAsNonRoot: true or a non-zero runAsUser).',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `A process running as root inside a container is one kernel or runtime bug away from root on the
node, and can write anywhere in its own filesystem. Most images run fine as a non-root user; the
kubelet enforces it when \`runAsNonRoot: true\` is set (the pod fails to start if the image would run
as root, which is what you want to learn early).

Set on the pod's \`securityContext\` (applies to every container) or on each container's.`,
      fix: `Set \`securityContext.runAsNonRoot: true\` (and \`runAsUser\` when the image has no
numeric USER).`,
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
          securityContext: {runAsUser: 0}`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 10001}
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
    },
  },
  check({ resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template || isWindows(template)) return;
    for (const container of containersOf(template)) {
      const nonRoot = effective(template, container, 'runAsNonRoot');
      const user = int(effective(template, container, 'runAsUser'));
      if (user === 0) {
        const own =
          int(
            container.container.securityContext &&
              (container.container.securityContext as Record<string, unknown>).runAsUser,
          ) === 0;
        const path = own
          ? [...container.path, 'securityContext', 'runAsUser']
          : [...template.specPath, 'securityContext', 'runAsUser'];
        report({ resource, path, message: `Container "${container.name}" runs as root (runAsUser: 0).` });
      } else if (nonRoot !== true && user === undefined) {
        report({
          resource,
          path: securityContextPath(container, 'runAsNonRoot'),
          message: `Container "${container.name}" may run as root: neither it nor the pod sets runAsNonRoot: true or a non-zero runAsUser.`,
        });
      }
    }
    return;
  },
});

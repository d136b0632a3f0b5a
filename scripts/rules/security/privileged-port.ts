import { array, get, int } from '../../kube/values.ts';
import { containersOf, podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'privileged-port',
    description: 'Containers listen on ports from 1024 up (below that needs root or NET_BIND_SERVICE; 22 is SSH).',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `Ports below 1024 are privileged on Linux: a process binds one only as root or with the
\`NET_BIND_SERVICE\` capability, unless the runtime lowers \`net.ipv4.ip_unprivileged_port_start\` in
the pod (containerd 2 and recent CRI-O do; older nodes do not). A container that declares port 80 is
usually running as root, or will crash with "permission denied" the day it stops. Port 22 is SSH: a
shell server inside a pod is a way in that bypasses the API server's audit.

A warning: on many clusters the port binds fine, and the Service can map any port to it; the finding
asks to move the listener, not that the pod is broken.`,
      fix: `Listen on a port from 1024 up (8080 for HTTP) and keep the well-known port on the Service
(\`port: 80, targetPort: 8080\`). Use \`kubectl exec\` or an ephemeral debug container instead of SSH.`,
    },
    examples: {
      bad: exampleWorkload({ container: 'ports: [{name: http, containerPort: 80}]' }),
      good: exampleWorkload({ container: 'ports: [{name: http, containerPort: 8080}]' }),
    },
  },
  check({ resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    for (const { container, name, path } of containersOf(template)) {
      // An index loop, not forEach: no closure per container (a hole reads as undefined and is skipped).
      const ports = array(container.ports);
      for (let index = 0; index < ports.length; index++) {
        const number = int(get(ports[index], 'containerPort'));
        if (number === undefined || number <= 0 || number >= 1024) continue;
        report({
          resource,
          path: [...path, 'ports', index, 'containerPort'],
          message:
            number === 22
              ? `Container "${name}" listens on port 22 (SSH).`
              : `Container "${name}" listens on privileged port ${number}, which needs root or NET_BIND_SERVICE.`,
        });
      }
    }
  },
});

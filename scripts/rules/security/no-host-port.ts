import { array, get, int } from '../../kube/values.ts';
import { containersOf, podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'no-host-port',
    description: 'Containers do not bind a port of the node (hostPort).',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `A \`hostPort\` opens the port on the node's own address and forwards it to the pod, beside the
Service and outside any NetworkPolicy that the CNI does not apply to host ports. Only one pod per node
can hold a given host port, so a Deployment with more replicas than nodes leaves pods Pending, and a
rolling update can deadlock on the port the old pod still holds. The Pod Security Standards' baseline
profile forbids host ports.

A warning rather than an error: the exposure depends on the node's firewall, and some node agents
need it. Pods with \`hostNetwork: true\` are left to no-host-namespaces (the API sets their host
ports itself).`,
      fix: `Remove \`hostPort\` and expose the port through a Service (type ClusterIP behind an Ingress, or
LoadBalancer).`,
    },
    examples: {
      bad: exampleWorkload({ container: 'ports: [{name: http, containerPort: 8080, hostPort: 80}]' }),
      good: exampleWorkload({ container: 'ports: [{name: http, containerPort: 8080}]' }),
    },
  },
  check({ resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template || template.spec.hostNetwork === true) return;
    for (const { container, name, path } of containersOf(template)) {
      array(container.ports).forEach((port, index) => {
        const hostPort = int(get(port, 'hostPort'));
        if (hostPort === undefined || hostPort === 0) return;
        report({
          resource,
          path: [...path, 'ports', index, 'hostPort'],
          message: `Container "${name}" binds port ${hostPort} of the node (hostPort).`,
        });
      });
    }
  },
});

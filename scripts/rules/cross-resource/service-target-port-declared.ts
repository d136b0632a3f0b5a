import { targetPortMismatches } from '../../kube/service-ports.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

const service = (targetPort: number) => `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: ${targetPort}}]`;
const WEB = exampleWorkload({ container: 'ports: [{name: http, containerPort: 8080}]' });

export default defineRule({
  meta: {
    id: 'service-target-port-declared',
    description: "A Service's numeric targetPort is one of the ports the selected containers declare.",
    defaultSeverity: 'warning',
    category: 'cross-resource',
    scope: 'resource',
    kinds: ['Service'],
    reach: 'scope',
    docs: {
      why: `A numeric \`targetPort\` (by default the same number as \`port\`) is routed to the pods whether or not
a container declares it: declaring container ports is documentation. When the selected containers
declare their ports and the Service targets another number, one of the two is wrong: either the
Service sends traffic to a port nothing listens on (connection refused), or the declaration is stale
(and probes, NetworkPolicies and readers that trust it are misled).

A warning, not an error: the traffic may well arrive (an application listening on 3000 whose
container declares 80 works). Containers that declare no port are not judged.`,
      fix: `Make the Service's \`targetPort\` and the container's \`containerPort\` the same number, and prefer
a port name (\`targetPort: http\`) so that they cannot drift apart.`,
    },
    examples: { bad: `${WEB}\n---\n${service(8000)}`, good: `${WEB}\n---\n${service(8080)}` },
  },
  check({ repo, resource, app, report }) {
    for (const mismatch of targetPortMismatches(repo, app, resource)) {
      if (mismatch.kind !== 'number') continue;
      report({
        resource,
        path: mismatch.path,
        message: `Service "${resource.object.metadata?.name ?? '?'}" targets port ${mismatch.target}, which no selected container declares (they declare ${mismatch.declared.join(', ')}); it is routed anyway, but one of the two is likely wrong.`,
      });
    }
  },
});

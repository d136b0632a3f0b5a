import { targetPortMismatches } from '../../kube/service-ports.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'service-target-port-exists',
    description: "A Service's named targetPort is a port name the selected pods declare.",
    defaultSeverity: 'error',
    category: 'cross-resource',
    scope: 'resource',
    kinds: ['Service'],
    reach: 'scope',
    docs: {
      why: `A Service forwards to \`targetPort\` on its pods (by default, the same number as \`port\`). A named
targetPort must be the name of a container port in the selected pods, or the Service has no usable
endpoints, and requests to that port fail. An error: the Service cannot work.

A numeric targetPort is routed to the pod whether a container declares it or not (declaring ports is
optional), so a number the containers do not declare is only a doubt: service-target-port-declared
reports it as a warning.`,
      fix: `Use a port name the containers declare (\`targetPort: http\`), or the right number.`,
    },
    examples: {
      bad: `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: web}]   # no container port is named web
---
apiVersion: apps/v1
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
          ports: [{name: http, containerPort: 8080}]`,
      good: `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: apps/v1
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
          ports: [{name: http, containerPort: 8080}]`,
    },
  },
  check({ repo, resource, app, report }) {
    for (const mismatch of targetPortMismatches(repo, app, resource)) {
      if (mismatch.kind !== 'name') continue;
      report({
        resource,
        path: mismatch.path,
        message: `Service "${resource.object.metadata?.name ?? '?'}" targets port "${mismatch.target}", which no selected container declares: the Service has no endpoints for it.`,
      });
    }
  },
});

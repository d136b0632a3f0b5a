import type { Resource } from '../../types.ts';
import { array, get, stringMap } from '../../kube/values.ts';
import {
  longRunningContainers,
  podTemplateOf,
  relatedResources,
  scopeIsComplete,
  workloadsSelectedBy,
} from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'service-target-port-exists',
    description: "A Service's targetPort is a port the selected pods declare.",
    defaultSeverity: 'error',
    category: 'cross-resource',
    scope: 'resource',
    docs: {
      why: `A Service forwards to \`targetPort\` on its pods (by default, the same number as \`port\`). A named
targetPort must be the name of a container port in the selected pods, or the Service has no usable
endpoints. A numeric targetPort is reported only when the selected containers declare their ports
and none of them is that number (declaring ports is optional, so silence proves nothing).`,
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
    // Absence proves nothing where part of the scope could not be rendered.
    if (!scopeIsComplete(repo.apps, app)) return;
    if (resource.object.kind !== 'Service') return;
    const selector = stringMap(get(resource.object, 'spec', 'selector'));
    if (Object.keys(selector).length === 0) return;
    const selected = workloadsSelectedBy(selector, resource.object, relatedResources(repo.apps, app)).map(
      (pods) => pods.workload,
    );
    if (selected.length === 0) return; // service-selects-pods reports it
    const declared = selected.map(declaredPorts);
    array(get(resource.object, 'spec', 'ports')).forEach((port, index) => {
      const target = get(port, 'targetPort') ?? get(port, 'port');
      const field = get(port, 'targetPort') !== undefined ? 'targetPort' : 'port';
      if (typeof target === 'string' && !/^\d+$/.test(target)) {
        if (!declared.some((d) => d.names.has(target))) {
          report({
            resource,
            path: ['spec', 'ports', index, field],
            message: `Service "${resource.object.metadata?.name ?? '?'}" targets port "${target}", which no selected container declares.`,
          });
        }
      } else if (typeof target === 'number' || typeof target === 'string') {
        const number = Number(target);
        if (declared.every((d) => d.numbers.size > 0 && !d.numbers.has(number))) {
          report({
            resource,
            path: ['spec', 'ports', index, field],
            message: `Service "${resource.object.metadata?.name ?? '?'}" targets port ${number}, which no selected container declares.`,
          });
        }
      }
    });
    return;
  },
});

function declaredPorts(workload: Resource): { names: Set<string>; numbers: Set<number> } {
  const names = new Set<string>();
  const numbers = new Set<number>();
  const template = podTemplateOf(workload.object);
  for (const { container } of template ? longRunningContainers(template) : []) {
    for (const port of array(container.ports)) {
      const name = get(port, 'name');
      const number = get(port, 'containerPort');
      if (typeof name === 'string') names.add(name);
      if (typeof number === 'number') numbers.add(number);
    }
  }
  return { names, numbers };
}

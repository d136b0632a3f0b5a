import { array, get, isRecord, type Json } from '../../kube/values.ts';
import { containersOf, podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;

export default defineRule({
  meta: {
    id: 'probe-port-exists',
    description: "A probe's named port is one of the container's declared ports.",
    defaultSeverity: 'error',
    category: 'reliability',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `A probe that names a port (\`port: http\`) only works when the container declares a port with
that name. A typo, or a port renamed in one place and not the other, makes the probe fail on every
pod: readiness keeps them out of the Service forever, liveness restarts them in a loop.

Numeric probe ports are not checked against \`ports\`: declaring container ports is optional.`,
      fix: `Use a name from the container's \`ports\` list, or the port number.`,
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
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /readyz, port: web}}   # no port is named web`,
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
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /readyz, port: http}}`,
    },
  },
  check({ resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    for (const { container, name, path } of containersOf(template)) {
      // The container's port names, read only once a probe names a port (most probes use none).
      let declared: string[] | undefined;
      for (const probe of PROBES) {
        const spec = container[probe];
        if (!isRecord(spec)) continue; // no such probe: none of its handlers has a port
        for (const handler of HANDLERS) {
          const port = get(spec, handler, 'port');
          if (typeof port !== 'string' || /^\d+$/.test(port)) continue;
          declared ??= declaredPortNames(container);
          if (declared.includes(port)) continue;
          const known = declared.length ? `declared: ${declared.join(', ')}` : 'it declares no named ports';
          report({
            resource,
            path: [...path, probe, handler, 'port'],
            message: `The ${probe} of container "${name}" uses port "${port}", which the container does not declare (${known}).`,
          });
        }
      }
    }
    return;
  },
});

function declaredPortNames(container: Json): string[] {
  return array(container.ports)
    .map((port) => get(port, 'name'))
    .filter((n): n is string => typeof n === 'string');
}

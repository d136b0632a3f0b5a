import { array, get, isRecord, str, type Json } from '../../kube/values.ts';
import { containersOf, podTemplateOf, resolvePort, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'probes-differ',
    description: "A container's liveness and readiness probes, when it has both, are not the same check.",
    defaultSeverity: 'warning',
    category: 'reliability',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `Readiness and liveness answer different questions. Readiness asks "should this pod get traffic
now?" and may depend on the database, the cache or a warm-up; failing it only takes the pod out of the
Service. Liveness asks "is this process stuck beyond repair?"; failing it **restarts the container**.

When both probes run the same check, a liveness probe that depends on a database takes every pod down
when the database blinks: all pods fail liveness together, all restart together, and the outage of a
dependency becomes an outage of the service (and a restart storm when it comes back).

The same check means: the same HTTP path and port, the same TCP port, the same exec command, or the
same gRPC port and service. Thresholds and periods do not make two checks different. Any container
that has both probes is checked, serving traffic or not: a StatefulSet whose two probes run the same
exec command restarts a replica each time it is only not ready yet (catching up, rebalancing).`,
      fix: `Give liveness a cheap endpoint that only proves the process answers (\`/livez\`, no
dependency calls), and let readiness check the dependencies (\`/readyz\`). Serving workloads (selected by a
Service or declaring container ports) need both; Jobs and CronJobs need neither.`,
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
          livenessProbe: {httpGet: {path: /health, port: http}}
          readinessProbe: {httpGet: {path: /health, port: http}}`,
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
          livenessProbe: {httpGet: {path: /livez, port: http}}
          readinessProbe: {httpGet: {path: /readyz, port: http}}`,
    },
  },
  check({ resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    // containersOf and a skip, not longRunningContainers: the same containers without a filtered copy per call.
    for (const { container, name, path, init, sidecar } of containersOf(template)) {
      if (init && !sidecar) continue;
      const liveness = describeCheck(container.livenessProbe, container);
      const readiness = describeCheck(container.readinessProbe, container);
      if (liveness && readiness && liveness === readiness) {
        report({
          resource,
          path: [...path, 'livenessProbe'],
          message: `Container "${name}": livenessProbe and readinessProbe are the same check (${liveness}); a liveness probe that depends on a database restarts every pod when the database blinks.`,
          hint: 'Point liveness at a cheap endpoint that only proves the process is alive (e.g. /livez) and keep dependency checks in readiness (e.g. /readyz).',
        });
      }
    }
    return;
  },
});

/** A canonical description of what a probe checks, or undefined when there is no probe. */
export function describeCheck(probe: unknown, container: Json): string | undefined {
  if (!isRecord(probe)) return undefined;
  const port = (value: unknown) => String(resolvePort(value, container) ?? value);
  if (isRecord(probe.httpGet)) {
    const http = probe.httpGet;
    const host = str(http.host) ? ` host ${http.host}` : '';
    return `${String(http.scheme ?? 'HTTP').toUpperCase()} GET ${str(http.path) ?? '/'} on port ${port(http.port)}${host}`;
  }
  if (isRecord(probe.tcpSocket)) return `TCP connect on port ${port(probe.tcpSocket.port)}`;
  if (isRecord(probe.grpc))
    return `gRPC health of service "${str(probe.grpc.service) ?? ''}" on port ${port(probe.grpc.port)}`;
  if (isRecord(probe.exec)) return `exec ${JSON.stringify(array(get(probe, 'exec', 'command')))}`;
  return undefined;
}

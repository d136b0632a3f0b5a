import { array, get, int, isRecord } from '../../kube/values.ts';
import { isServing, podTemplateOf, relatedResources, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

/** Kubernetes' default terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;

export default defineRule({
  meta: {
    id: 'graceful-shutdown',
    description: 'Serving containers have a preStop hook, and the grace period outlasts its sleep.',
    defaultSeverity: 'warning',
    category: 'reliability',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `When a pod is deleted, Kubernetes sends SIGTERM and removes the pod from the Service's endpoints
*at the same time*. Ingress controllers, kube-proxy and service meshes learn about the removal a few
seconds later, and keep sending requests to a process that is already shutting down: every rollout
drops requests. A \`preStop\` hook that sleeps a few seconds keeps the process serving until the
endpoints have converged.

The sleep counts against \`terminationGracePeriodSeconds\` (default 30): when the grace period is not
longer than the sleep, the process is killed with SIGKILL before it gets SIGTERM and never shuts down
cleanly.

Checked on serving workloads (selected by a Service or declaring container ports) except Jobs.`,
      fix: `Add \`lifecycle.preStop\` with \`sleep: {seconds: 5}\` (Kubernetes 1.30+) or
\`exec: {command: [sleep, "5"]}\`, and keep \`terminationGracePeriodSeconds\` longer than the sleep plus
the application's own shutdown time.`,
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
      terminationGracePeriodSeconds: 10
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
          lifecycle: {preStop: {sleep: {seconds: 15}}}`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
          lifecycle: {preStop: {sleep: {seconds: 5}}}`,
    },
  },
  check({ repo, resource, app, report }) {
    const template = podTemplateOf(resource.object);
    if (!template || !isServing(resource, relatedResources(repo.apps, app))) return;
    const configuredGrace = int(template.spec.terminationGracePeriodSeconds);
    const grace = configuredGrace ?? DEFAULT_GRACE_SECONDS;
    array(template.spec.containers).forEach((container, index) => {
      if (!isRecord(container)) return;
      const name = String(container.name ?? `#${index}`);
      const preStop = get(container, 'lifecycle', 'preStop');
      if (!isRecord(preStop)) {
        report({
          resource,
          path: [...template.specPath, 'containers', index, 'name'],
          message: `Container "${name}" has no preStop hook; requests still routed to a terminating pod are dropped on every rollout.`,
        });
        return;
      }
      const sleep = preStopSleepSeconds(preStop);
      if (sleep !== undefined && grace <= sleep) {
        const at =
          configuredGrace === undefined
            ? [...template.specPath, 'containers', index, 'lifecycle', 'preStop']
            : [...template.specPath, 'terminationGracePeriodSeconds'];
        report({
          resource,
          path: at,
          message: `terminationGracePeriodSeconds (${grace}${configuredGrace === undefined ? ', the default' : ''}) is not longer than the ${sleep} s preStop sleep of container "${name}"; the process is killed before it can shut down.`,
        });
      }
    });
    return;
  },
});

/** Seconds a preStop hook sleeps: `sleep: {seconds}` or an exec of `sleep N` (also inside `sh -c`). */
export function preStopSleepSeconds(preStop: Record<string, unknown>): number | undefined {
  const native = int(get(preStop, 'sleep', 'seconds'));
  if (native !== undefined) return native;
  const command = array(get(preStop, 'exec', 'command'))
    .map(String)
    .join(' ');
  const match = /(?:^|[\s;&|/])sleep\s+(\d+)/.exec(command);
  return match ? Number(match[1]) : undefined;
}

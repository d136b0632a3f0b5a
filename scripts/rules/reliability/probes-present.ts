import { isRecord } from '../../kube/values.ts';
import {
  containersOf,
  isServing,
  podTemplateOf,
  relatedResources,
  WORKLOAD_KINDS,
  type ContainerAt,
} from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

/** "readinessProbe and no livenessProbe", "readinessProbe", "livenessProbe", or undefined when both are set. */
function missingProbes(container: Record<string, unknown>): string | undefined {
  const readiness = isRecord(container.readinessProbe);
  const liveness = isRecord(container.livenessProbe);
  if (readiness && liveness) return undefined;
  if (!readiness && !liveness) return 'readinessProbe and no livenessProbe';
  return readiness ? 'livenessProbe' : 'readinessProbe';
}

function lacksProbe(c: ContainerAt): boolean {
  return !c.init && missingProbes(c.container) !== undefined;
}

export default defineRule({
  meta: {
    id: 'probes-present',
    description: 'Every container of a serving workload has a readiness probe and a liveness probe.',
    defaultSeverity: 'warning',
    category: 'reliability',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `Without a readiness probe a pod gets traffic the moment its process starts, before it can answer,
and keeps getting it when it can no longer answer: every rollout and every hiccup drops requests.
Without a liveness probe a deadlocked process is never restarted.

A workload is *serving* when a Service selects its pods or a container declares ports. Jobs and
CronJobs run to completion and need no probes. Native sidecars (init containers with
\`restartPolicy: Always\`) are not required to have probes.`,
      fix: `Add both probes, and make them different checks (see \`probes-differ\`).`,
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
          ports: [{name: http, containerPort: 8080}]`,
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
  check({ repo, resource, app, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    // The app containers (not init containers, not sidecars); whether the workload serves is asked
    // only when one of them lacks a probe.
    const containers = containersOf(template);
    if (!containers.some(lacksProbe) || !isServing(resource, relatedResources(repo.apps, app))) return;
    for (const { container, name, path, init } of containers) {
      if (init) continue;
      const missing = missingProbes(container);
      if (missing === undefined) continue;
      report({
        resource,
        path: [...path, 'name'],
        message: `Container "${name}" of a serving workload has no ${missing}.`,
      });
    }
    return;
  },
});

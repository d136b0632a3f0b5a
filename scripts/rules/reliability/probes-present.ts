import type { ResourceRule } from '../rule.ts';
import { findingAt } from '../rule.ts';
import { isRecord } from '../values.ts';
import { isServing, longRunningContainers, podTemplateOf, relatedResources } from '../workloads.ts';

export const probesPresent: ResourceRule = {
  scope: 'resource',
  meta: {
    id: 'probes-present',
    description: 'Every container of a serving workload has a readiness probe and a liveness probe.',
    defaultSeverity: 'warning',
    category: 'reliability',
    docs: `Without a readiness probe a pod gets traffic the moment its process starts, before it can answer,
and keeps getting it when it can no longer answer: every rollout and every hiccup drops requests.
Without a liveness probe a deadlocked process is never restarted.

A workload is *serving* when a Service selects its pods or a container declares ports. Jobs and
CronJobs run to completion and need no probes. Native sidecars (init containers with
\`restartPolicy: Always\`) are not required to have probes.

**How to fix:** add both probes, and make them different checks (see \`probes-differ\`).`,
    examples: {
      bad: `containers:
  - name: app
    ports: [{name: http, containerPort: 8080}]`,
      good: `containers:
  - name: app
    ports: [{name: http, containerPort: 8080}]
    livenessProbe:
      httpGet: {path: /livez, port: http}
    readinessProbe:
      httpGet: {path: /readyz, port: http}`,
    },
  },
  check(ctx, resource, app) {
    const template = podTemplateOf(resource.object);
    if (!template || !isServing(resource, relatedResources(ctx.apps, app))) return [];
    const findings = [];
    for (const { container, name, path, init } of longRunningContainers(template)) {
      if (init) continue;
      const missing = (['readinessProbe', 'livenessProbe'] as const).filter((probe) => !isRecord(container[probe]));
      if (missing.length === 0) continue;
      findings.push(
        findingAt(
          this.meta,
          resource,
          [...path, 'name'],
          `Container "${name}" of a serving workload has no ${missing.join(' and no ')}.`,
        ),
      );
    }
    return findings;
  },
};

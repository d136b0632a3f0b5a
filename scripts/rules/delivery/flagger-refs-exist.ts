import type { JsonPath, Resource } from '../../types.ts';
import { get, str } from '../../kube/values.ts';
import { findNamed, flaggerTemplateRefs, isFlaggerCanary } from '../../kube/rollouts.ts';
import { relatedResources, resourcesOfKind, scopeIsComplete } from '../../kube/workloads.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

/** What a Canary's targetRef and autoscalerRef may name (the CRD's enums and the Knative/Service targets). */
const TARGET_KINDS = ['Deployment', 'DaemonSet', 'Service'];
const AUTOSCALER_KINDS = ['HorizontalPodAutoscaler', 'ScaledObject'];

/** A flagger.app object of `kind` named `name` in `namespace` (an object without one may be put anywhere). */
function flaggerObject(related: Resource[], kind: string, name: string, namespace: string | undefined): boolean {
  return resourcesOfKind(related, kind).some(
    (r) =>
      (r.object.apiVersion ?? '').startsWith('flagger.app/') &&
      r.object.metadata?.name === name &&
      (!namespace || !r.object.metadata?.namespace || r.object.metadata.namespace === namespace),
  );
}

/** The documented examples' Canary: a metric from MetricTemplate error-rate. */
const CANARY = `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  service: {port: 80}
  analysis:
    interval: 1m
    threshold: 5
    stepWeight: 10
    maxWeight: 50
    metrics:
      - name: error-rate
        templateRef: {name: error-rate}
        thresholdRange: {max: 1}`;

export default defineRule({
  meta: {
    id: 'flagger-refs-exist',
    description:
      "What a Flagger Canary names is deployed beside it: the targetRef workload, the autoscalerRef, the analysis's MetricTemplates and its alerts' AlertProviders.",
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: ['Canary'],
    reach: 'scope',
    docs: {
      why: `Flagger looks each of these up when it starts an analysis (fluxcd/flagger pkg/controller). A
\`targetRef\` it cannot find leaves the Canary failing to initialise, and the workload is released by
nobody; an \`autoscalerRef\` it cannot find stops the primary's HorizontalPodAutoscaler from being made;
a metric whose \`templateRef\` names no MetricTemplate fails every check ("metric template ... error"),
so every release rolls back after \`threshold\` checks; an alert whose \`providerRef\` names no
AlertProvider is never sent. A \`templateRef\` or \`providerRef\` without a namespace is looked up in the
Canary's namespace.`,
      fix: `Deploy the object in the same environment (and namespace, or the one the reference names), or fix the
name in the Canary.`,
    },
    examples: {
      bad: `${exampleWorkload()}
---
${CANARY}`,
      good: `${exampleWorkload()}
---
apiVersion: flagger.app/v1beta1
kind: MetricTemplate
metadata: {name: error-rate, namespace: shop}
spec:
  provider: {type: prometheus, address: http://prometheus.monitoring:9090}
  query: sum(rate(http_requests_total{status=~"5.."}[{{ interval }}])) / sum(rate(http_requests_total[{{ interval }}])) * 100
---
${CANARY}`,
    },
  },
  check({ repo, app, resource, report }) {
    if (!isFlaggerCanary(resource.object)) return;
    // Absence proves nothing where part of the scope could not be rendered.
    if (!scopeIsComplete(repo.apps, app)) return;
    const related = relatedResources(repo.apps, app);
    const canary = resource.object;
    const name = canary.metadata?.name ?? '?';
    const missing = (path: JsonPath, what: string, consequence: string) =>
      report({ resource, path, message: `Canary "${name}" names ${what}, which is not deployed; ${consequence}` });

    for (const [key, kinds, consequence] of [
      ['targetRef', TARGET_KINDS, 'Flagger cannot initialise the Canary and nothing is released.'],
      ['autoscalerRef', AUTOSCALER_KINDS, 'Flagger makes no autoscaler for the primary, which runs at a fixed count.'],
    ] as const) {
      const kind = str(get(canary, 'spec', key, 'kind'));
      const target = str(get(canary, 'spec', key, 'name'));
      // Other kinds are the schema's business (the CRD's enum).
      if (!kind || !target || !(kinds as readonly string[]).includes(kind)) continue;
      if (!findNamed(related, [kind], target, canary))
        missing(['spec', key, 'name'], `${kind} "${target}" as its ${key}`, consequence);
    }
    for (const ref of flaggerTemplateRefs(canary)) {
      if (flaggerObject(related, ref.kind, ref.name, ref.namespace)) continue;
      const where =
        ref.namespace && ref.namespace !== canary.metadata?.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
      missing(
        ref.path,
        `${ref.kind} "${where}"`,
        ref.kind === 'MetricTemplate'
          ? 'every check of that metric fails and each release rolls back.'
          : 'its alerts are never sent.',
      );
    }
    return;
  },
});

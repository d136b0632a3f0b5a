import { array, get, isRecord, record, str } from '../../kube/values.ts';
import {
  environmentsOption,
  FLAGGER_BUILTIN_METRICS,
  flaggerAnalysis,
  isFlaggerCanary,
  productionEnvironments,
} from '../../kube/rollouts.ts';
import { defineRule } from '../../check/contract.ts';

/** Does a metric give Flagger a bound to compare with (thresholdRange.min or .max, or the deprecated threshold)? */
function hasThreshold(metric: unknown): boolean {
  const range = record(get(metric, 'thresholdRange'));
  return (
    range.min != null ||
    range.max != null ||
    (typeof get(metric, 'threshold') === 'number' && get(metric, 'threshold') !== 0)
  );
}

/** The documented examples' production Canary, up to its metrics. */
const CANARY_HEAD = `# file: overlays/prod/web/canary.yaml
apiVersion: flagger.app/v1beta1
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
    metrics:`;

export default defineRule({
  meta: {
    id: 'flagger-analysis-valid',
    description:
      "A Flagger Canary's analysis decides: in production it exists and has metrics, and every metric has a threshold and a query Flagger can run.",
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: ['Canary'],
    reach: 'scope',
    docs: {
      why: `Flagger moves a canary forward every \`interval\` while its checks pass, and rolls it back after
\`threshold\` failed checks (fluxcd/flagger pkg/controller/scheduler_metrics.go). What decides is the
metrics, so a Canary in production without \`analysis\`, with \`skipAnalysis: true\` or with no
\`metrics\` promotes the new version whatever its error rate.

Each metric needs a bound: Flagger compares the value with \`thresholdRange.min\` and \`.max\`, and
without them with the deprecated \`threshold\`, which defaults to 0. So \`request-success-rate\` with
neither never halts (no rate is below 0), while \`request-duration\` or a MetricTemplate's query with
neither halts on any value above 0 and every release rolls back. A metric other than the two built-in
ones needs a \`templateRef\` (or the deprecated \`query\`), or each check fails ("no usable metrics
template and query were configured").

The environments are \`prod\`, \`production\` and \`prd\` unless
\`lint.rules.flagger-analysis-valid.options.environments\` lists others.`,
      fix: `Give the analysis \`metrics\` with a \`thresholdRange\`: \`request-success-rate\` with \`min: 99\`,
\`request-duration\` with \`max\` in milliseconds, a MetricTemplate with the bound its query needs.`,
    },
    examples: {
      bad: `${CANARY_HEAD}
      - name: request-success-rate
        interval: 1m
      - name: p99-latency
        interval: 1m`,
      good: `${CANARY_HEAD}
      - name: request-success-rate
        interval: 1m
        thresholdRange: {min: 99}
      - name: request-duration
        interval: 1m
        thresholdRange: {max: 500}`,
    },
    options: environmentsOption('Flagger Canaries'),
  },
  check({ resource, options, report }) {
    if (!isFlaggerCanary(resource.object)) return;
    const name = resource.object.metadata?.name ?? '?';
    const env = resource.origin.env;
    const production = !!env && productionEnvironments(options.environments).includes(env);
    const analysis = flaggerAnalysis(resource.object);
    const metrics = analysis ? array(analysis.spec.metrics) : [];

    if (production) {
      const skipped = get(resource.object, 'spec', 'skipAnalysis') === true;
      if (!analysis || skipped || metrics.length === 0) {
        report({
          resource,
          path: skipped ? ['spec', 'skipAnalysis'] : (analysis?.path ?? ['spec']),
          message: `Canary "${name}" releases in ${env} ${skipped ? 'with skipAnalysis' : analysis ? 'with no metrics in its analysis' : 'without an analysis'}: the new version is promoted whatever its error rate.`,
          hint: 'Add analysis.metrics: request-success-rate with thresholdRange.min, request-duration with thresholdRange.max.',
        });
        if (skipped || !analysis) return;
      }
    }
    if (!analysis) return;
    metrics.forEach((metric, index) => {
      if (!isRecord(metric)) return;
      const metricName = str(metric.name) ?? `#${index + 1}`;
      const path = [...analysis.path, 'metrics', index];
      const builtin = FLAGGER_BUILTIN_METRICS.includes(metricName);
      if (!builtin && !isRecord(metric.templateRef) && !str(metric.query)) {
        report({
          resource,
          path: [...path, 'name'],
          message: `Canary "${name}": metric "${metricName}" is not built in (request-success-rate, request-duration) and has no templateRef; every check fails and each release rolls back.`,
        });
        return;
      }
      if (hasThreshold(metric)) return;
      report({
        resource,
        path: [...path, 'name'],
        message:
          metricName === 'request-success-rate'
            ? `Canary "${name}": metric "request-success-rate" has no thresholdRange, so it never halts the canary (no success rate is below 0).`
            : `Canary "${name}": metric "${metricName}" has no thresholdRange, so Flagger compares it with 0 and halts on any value above it; every release rolls back.`,
        hint: 'Set thresholdRange.min (a floor, such as a success rate) or thresholdRange.max (a ceiling, such as latency or errors).',
      });
    });
    return;
  },
});

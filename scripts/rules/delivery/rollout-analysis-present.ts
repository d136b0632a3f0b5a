import { array, get } from '../../kube/values.ts';
import {
  analysisTemplateRefs,
  environmentsOption,
  isRollout,
  productionEnvironments,
  rolloutStrategy,
} from '../../kube/rollouts.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'rollout-analysis-present',
    description:
      'A Rollout in production analyses its canary (or its blue-green preview before an automatic promotion) instead of promoting on time alone.',
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: ['Rollout'],
    reach: 'scope',
    docs: {
      why: `A canary without analysis is a slow rolling update: the controller moves from step to step when the
pauses end, whatever the new version's error rate, and promotes it to every user. The point of a
progressive release in production is that a metric (the success rate, the latency) decides, and a
failing one aborts and rolls back by itself. The same holds for blue-green with
\`autoPromotionEnabled\` (the default): without \`prePromotionAnalysis\` or \`postPromotionAnalysis\`
the preview becomes active unchecked and stays so.

The environments are \`prod\`, \`production\` and \`prd\` unless
\`lint.rules.rollout-analysis-present.options.environments\` lists others.`,
      fix: `Add an \`analysis\` step (or \`strategy.canary.analysis\`, which runs in the background from the first
step) naming an AnalysisTemplate that queries the success rate and latency; for blue-green, a
\`prePromotionAnalysis\` or \`autoPromotionEnabled: false\`.`,
    },
    examples: {
      bad: `# file: overlays/prod/web/rollout.yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: ghcr.io/acme/web:1.4.2}
  strategy:
    canary:
      steps:
        - setWeight: 20
        - pause: {duration: 10m}`,
      good: `# file: overlays/prod/web/rollout.yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: ghcr.io/acme/web:1.4.2}
  strategy:
    canary:
      steps:
        - setWeight: 20
        - pause: {duration: 10m}
        - analysis:
            templates:
              - templateName: success-rate`,
    },
    options: environmentsOption('Rollouts'),
  },
  check({ resource, options, report }) {
    const env = resource.origin.env;
    if (!env || !isRollout(resource.object)) return;
    if (!productionEnvironments(options.environments).includes(env)) return;
    const strategy = rolloutStrategy(resource.object);
    if (!strategy) return;
    const name = resource.object.metadata?.name ?? '?';
    if (strategy.kind === 'canary') {
      if (analysisTemplateRefs(resource.object).length > 0) return;
      const hasSteps = array(strategy.spec.steps).length > 0;
      report({
        resource,
        path: [...strategy.path, ...(hasSteps ? ['steps'] : [])],
        message: `Rollout "${name}" releases a canary in ${env} without analysis: it is promoted when the pauses end, whatever its error rate.`,
        hint: 'Add an analysis step or strategy.canary.analysis naming an AnalysisTemplate (success rate, latency).',
      });
      return;
    }
    const autoPromotion = get(strategy.spec, 'autoPromotionEnabled') !== false;
    if (!autoPromotion || analysisTemplateRefs(resource.object).length > 0) return;
    report({
      resource,
      path: strategy.path,
      message: `Rollout "${name}" promotes its blue-green preview automatically in ${env} with no analysis before or after the switch.`,
      hint: 'Add prePromotionAnalysis (or postPromotionAnalysis, which rolls back on failure) naming an AnalysisTemplate, or set autoPromotionEnabled: false.',
    });
    return;
  },
});

import { array, get, str } from '../../kube/values.ts';
import { analysisTemplateRefs, findNamed, isRollout } from '../../kube/rollouts.ts';
import { relatedResources, resourcesOfKind, scopeIsComplete } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'rollout-analysis-exists',
    description:
      'Every AnalysisTemplate (or ClusterAnalysisTemplate) a Rollout names is deployed beside it, and the Rollout passes every argument it requires.',
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: ['Rollout'],
    reach: 'scope',
    docs: {
      why: `When a Rollout reaches an analysis whose template does not exist, the controller cannot create the
AnalysisRun: the Rollout is marked \`InvalidSpec\` ("AnalysisTemplate not found") and the release stops
in the middle, with part of the traffic on the canary, until someone notices. A template argument
without a \`value\` or \`valueFrom\` must be given by the Rollout; a missing one fails the AnalysisRun
("args.service-name was not resolved") and aborts the release. Templates are namespaced (the
Rollout's namespace); \`clusterScope: true\` names a ClusterAnalysisTemplate.`,
      fix: `Deploy the AnalysisTemplate in the Rollout's namespace (with the same environment's apps), fix the
\`templateName\`, or pass the argument under the analysis' \`args\`.`,
    },
    examples: {
      bad: `apiVersion: argoproj.io/v1alpha1
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
        - analysis:
            templates:
              - templateName: sucess-rate`,
      good: `apiVersion: argoproj.io/v1alpha1
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
        - analysis:
            templates:
              - templateName: success-rate
            args:
              - {name: service-name, value: web}
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: success-rate, namespace: shop}
spec:
  args:
    - name: service-name
  metrics:
    - name: success-rate
      interval: 1m
      successCondition: result[0] >= 0.99
      provider:
        prometheus:
          address: http://prometheus.monitoring:9090
          query: sum(rate(http_requests_total{service="{{args.service-name}}",code!~"5.."}[2m])) / sum(rate(http_requests_total{service="{{args.service-name}}"}[2m]))`,
    },
  },
  check({ repo, app, resource, report }) {
    if (!isRollout(resource.object)) return;
    const related = relatedResources(repo.apps, app);
    const complete = scopeIsComplete(repo.apps, app);
    const name = resource.object.metadata?.name ?? '?';
    for (const ref of analysisTemplateRefs(resource.object)) {
      const kind = ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      const template = ref.clusterScope
        ? resourcesOfKind(related, kind).find((r) => r.object.metadata?.name === ref.name)
        : findNamed(related, [kind], ref.name, resource.object);
      if (!template || !(template.object.apiVersion ?? '').startsWith('argoproj.io/')) {
        // Absence proves nothing where part of the scope could not be rendered.
        if (!complete) continue;
        report({
          resource,
          path: ref.path,
          message: `Rollout "${name}" runs ${kind} "${ref.name}", which is not deployed ${ref.clusterScope ? 'in this environment' : 'in its namespace'}; the release stops at that analysis.`,
        });
        continue;
      }
      const missing = array(get(template.object, 'spec', 'args')).flatMap((arg) => {
        const argName = str(get(arg, 'name'));
        const given = get(arg, 'value') !== undefined || get(arg, 'valueFrom') !== undefined;
        return argName && !given && !ref.args.includes(argName) ? [argName] : [];
      });
      if (missing.length > 0)
        report({
          resource,
          path: ref.path,
          message: `Rollout "${name}" runs ${kind} "${ref.name}" without its argument${missing.length === 1 ? '' : 's'} ${missing.map((arg) => `"${arg}"`).join(', ')}; the AnalysisRun fails and the release aborts.`,
        });
    }
    return;
  },
});

import { defineRule } from '../../check/contract.ts';
import { reportLoadProblems } from '../load-problems.ts';

export default defineRule({
  meta: {
    id: 'helm-chart-not-rendered',
    description: 'a Helm chart no Application deploys does not render with its default values, or no helm is found',
    defaultSeverity: 'info',
    category: 'render',
    scope: 'repository',
    docs: {
      why: `A chart folder that an Application deploys is rendered as Argo CD renders it (its value files,
values, parameters, release name and namespace) and checked like any other unit. A chart no Application
in the repository deploys is rendered with its default values (\`helm template <chart>\`, release and
namespace named after the folder); when that fails (the chart needs values only its users give, or its
dependencies are not vendored in charts/), or when no helm binary is found, its templates are not
checked and this says so.`,
      fix: `Give the chart defaults that render (\`helm template <chart>\` must pass), vendor its dependencies
in charts/ (\`helm dependency build\`, committed), or deploy it with an Application that sets its values.`,
    },
    examples: {
      bad: `# file: charts/web/Chart.yaml
apiVersion: v2
name: web
version: 1.4.2
# file: charts/web/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ required "set web.name" .Values.name }}`,
      good: `# file: charts/web/Chart.yaml
apiVersion: v2
name: web
version: 1.4.2
# file: charts/web/values.yaml
name: web
# file: charts/web/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ required "set web.name" .Values.name }}`,
    },
  },
  check: (context) => reportLoadProblems('helm-chart-not-rendered', context),
});

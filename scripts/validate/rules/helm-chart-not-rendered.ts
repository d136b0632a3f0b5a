import { defineRule } from '../../check/contract.ts';
import { reportLoadProblems } from '../load-problems.ts';

export default defineRule({
  meta: {
    id: 'helm-chart-not-rendered',
    description: 'a Helm chart folder is reported, not rendered or parsed',
    defaultSeverity: 'info',
    category: 'render',
    scope: 'repository',
    docs: {
      why: `A folder with a Chart.yaml is a Helm chart: its templates are Go templates, not YAML, so they are
not parsed as manifests. Validation does not run helm.`,
      fix: `Render the chart with your values (\`helm template\`) into a kustomization if you want its output checked.`,
    },
  },
  check: (context) => reportLoadProblems('helm-chart-not-rendered', context),
});

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
    examples: {
      bad: `# file: charts/web/Chart.yaml
apiVersion: v2
name: web
version: 1.4.2`,
      good: `# file: web/kustomization.yaml   # the chart rendered with helm template, committed
resources: [rendered.yaml]
# file: web/rendered.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
    },
  },
  check: (context) => reportLoadProblems('helm-chart-not-rendered', context),
});

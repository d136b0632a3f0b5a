import { defineRule } from '../../check/contract.ts';
import { reportLoadProblems } from '../load-problems.ts';

export default defineRule({
  meta: {
    id: 'render-offline-unsupported',
    description: 'a remote base, a helmCharts entry or a plugin keeps this kustomization from rendering offline',
    defaultSeverity: 'warning',
    category: 'render',
    scope: 'repository',
    docs: {
      why: `Validation renders without network access and without plugins, so it cannot check what a remote
base (a git or HTTP URL in \`resources\`), a \`helmCharts\` entry or a generator/transformer plugin would
produce. The rest of the repository is still checked.`,
      fix: `To have this app checked, vendor the remote base into the repository, or render the chart into plain
manifests (\`helm template\`) that the kustomization lists.`,
    },
    examples: {
      bad: `# file: web/kustomization.yaml
resources:
  - https://github.com/acme/platform//base/web?ref=v1.4.2`,
      good: `# file: web/kustomization.yaml
resources:
  - ../vendor/platform/base/web   # vendored into the repository
# file: vendor/platform/base/web/kustomization.yaml
resources: [deployment.yaml]
# file: vendor/platform/base/web/deployment.yaml
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
  check: (context) => reportLoadProblems('render-offline-unsupported', context),
});

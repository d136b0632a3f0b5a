import { defineRule } from '../../check/contract.ts';
import { reportLoadProblems } from '../load-problems.ts';

export default defineRule({
  meta: {
    id: 'render-offline-unsupported',
    description:
      'a remote base, a helmCharts entry, a plugin, a remote Helm chart, chart dependencies that are not vendored or a Jsonnet file keep a unit from rendering offline',
    defaultSeverity: 'warning',
    category: 'render',
    scope: 'repository',
    docs: {
      why: `Validation renders without network access and without plugins, so it cannot check what a remote
base (a git or HTTP URL in \`resources\`), a \`helmCharts\` entry, a generator/transformer plugin, a
config management plugin, a chart Argo CD pulls from a Helm repository or OCI registry, value files from
another repository or a URL, chart dependencies missing from the chart's charts/ folder (Argo CD runs
\`helm dependency build\`; validation never fetches), or a Jsonnet file in a directory source (Argo CD
evaluates it; validation runs no program) would produce. Such a unit is counted as partly
checked; --strict-render makes this an error. The rest of the repository is still checked.`,
      fix: `To have this app checked, vendor the remote base into the repository, vendor the chart (or its
dependencies, with \`helm dependency build\`, committed in charts/) into the repository, or render the
chart into plain manifests (\`helm template\`) that the kustomization lists; commit what a Jsonnet file
makes as YAML, or leave it out of the source with \`directory.exclude\`.`,
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

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
  },
  check: (context) => reportLoadProblems('render-offline-unsupported', context),
});

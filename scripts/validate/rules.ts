// The findings the pipeline itself makes (before any checker runs): what could not be rendered or
// parsed, and why. Checkers' rules live with the checkers.
import type { RuleMeta } from '../types.ts';

export const renderFailed: RuleMeta = {
  id: 'render-failed',
  description: 'kustomize build fails for this kustomization',
  defaultSeverity: 'error',
  category: 'render',
  docs: `Argo CD runs \`kustomize build\` on this folder; it fails, so the app would not sync.
The message carries kustomize's own first lines. Run \`kubectl kustomize <folder>\` locally to see the
whole error: usually a missing file, a patch whose target does not exist, or two resources with one name.`,
};

export const renderOfflineUnsupported: RuleMeta = {
  id: 'render-offline-unsupported',
  description: 'a remote base, a helmCharts entry or a plugin keeps this kustomization from rendering offline',
  defaultSeverity: 'warning',
  category: 'render',
  docs: `Validation renders without network access and without plugins, so it cannot check what a remote
base (a git or HTTP URL in \`resources\`), a \`helmCharts\` entry or a generator/transformer plugin would
produce. The rest of the repository is still checked. To have this app checked, vendor the remote base
into the repository, or render the chart into plain manifests (\`helm template\`) that the kustomization lists.`,
};

export const helmChartNotRendered: RuleMeta = {
  id: 'helm-chart-not-rendered',
  description: 'a Helm chart folder is reported, not rendered or parsed',
  defaultSeverity: 'info',
  category: 'render',
  docs: `A folder with a Chart.yaml is a Helm chart: its templates are Go templates, not YAML, so they are
not parsed as manifests. Validation does not run helm; render the chart with your values
(\`helm template\`) into a kustomization if you want its output checked.`,
};

export const yamlSyntax: RuleMeta = {
  id: 'yaml-syntax',
  description: 'the file is not valid YAML',
  defaultSeverity: 'error',
  category: 'files',
  docs: `The file cannot be parsed, so neither kustomize nor Argo CD can read it. The finding points at the
line where the parser gave up: usually an indentation mistake, a tab, or an unquoted value starting
with a special character (\`*\`, \`&\`, \`{\`, \`:\`).`,
  examples: { bad: 'metadata:\n  name: web\n   labels: {}', good: 'metadata:\n  name: web\n  labels: {}' },
};

export const yamlDuplicateKey: RuleMeta = {
  id: 'yaml-duplicate-key',
  description: 'a mapping has the same key twice',
  defaultSeverity: 'error',
  category: 'files',
  docs: `Two equal keys in one mapping: some tools keep the first value, others the last, and kustomize
refuses the file. Keep one.`,
  examples: { bad: 'spec:\n  replicas: 2\n  replicas: 3', good: 'spec:\n  replicas: 3' },
};

export const symlinkInvalid: RuleMeta = {
  id: 'symlink-invalid',
  description: 'a symbolic link points outside the repository or loops',
  defaultSeverity: 'error',
  category: 'files',
  docs: `Argo CD follows symbolic links that stay inside the repository, and refuses to render an app
whose folder holds a link out of the repository or a link loop ("illegal filepath in symlink"), so
the app would not sync. Validation reads what a link inside the repository points at, at the link's
path, and reports the others here. Replace the link by the file it points at, or point it at a file
inside the repository.`,
  examples: { bad: 'manifests/web.yaml -> /etc/passwd', good: 'manifests/web.yaml -> ../shared/web.yaml' },
};

export const internalError: RuleMeta = {
  id: 'internal-error',
  description: 'a check crashed; its findings are missing',
  defaultSeverity: 'error',
  category: 'render',
  docs: `A bug in the tool, not in your repository: one family of checks threw an exception and its findings
are missing from this run. The run exits 2. Please report it with the message (run with --debug for the stack).`,
};

export const pipelineRules: RuleMeta[] = [
  renderFailed,
  renderOfflineUnsupported,
  helmChartNotRendered,
  yamlSyntax,
  yamlDuplicateKey,
  symlinkInvalid,
  internalError,
];

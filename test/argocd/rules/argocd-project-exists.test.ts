// argocd-project-exists: its valid and invalid cases (scripts/argocd/rules/argocd-project-exists.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleTester } from '../../check/rule-tester.ts';
import { app as testApp, context, runRule } from '../../rules/helpers.ts';

const REPO = 'https://github.com/acme/gitops.git';
const application = (name: string, spec: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ${name}, namespace: argocd}
spec:
${spec}
`;
const project = (spec: string, name = 'shop') => `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: ${name}, namespace: argocd}
spec:
${spec}
`;
const dest = (namespace: string) => `  destination: {server: https://kubernetes.default.svc, namespace: ${namespace}}`;
const source = (path: string, repo = REPO) => `  source: {repoURL: ${repo}, path: ${path}, targetRevision: main}`;
const open = project(`  sourceRepos: ['*']
  destinations: [{server: '*', namespace: '*'}]
  clusterResourceWhitelist: [{group: '*', kind: '*'}]`);
const app = (name: string, project = 'shop', ns = 'shop-prod', path = 'overlays/prod/web') =>
  application(name, `  project: ${project}\n${source(path)}\n${dest(ns)}`);

ruleTester('argocd-project-exists', {
  valid: [
    { name: 'a project the repository defines', yaml: `${open}---\n${app('web-prod')}` },
    { name: "Argo CD's built-in default", yaml: app('web-prod', 'default') },
  ],
  invalid: [
    {
      name: 'an undefined project, on spec.project',
      yaml: app('web-prod', 'payments'),
      findings: [{ line: 5, severity: 'error', message: '"payments"' }],
    },
    {
      // cluster-config (corpus): its projects come from a remote app-of-apps Helm chart in bootstrap/.
      name: 'a unit not rendered whole may define the project: a warning, not an error',
      apps: [
        { files: { 'argocd/apps.yaml': app('web-prod', 'payments') } },
        { app: 'bootstrap/base', files: { 'bootstrap/base/values.yaml': '{}\n' }, partial: 'helm-charts' },
      ],
      findings: [
        {
          line: 5,
          severity: 'warning',
          message: /nothing rendered here defines; a unit could not be rendered whole \(bootstrap\/base\)/,
        },
      ],
    },
  ],
});

test('argocd-project-exists: with a unit not rendered whole (a helmCharts app-of-apps may define the project), a warning that says so', () => {
  const partial = {
    ...testApp({ app: 'bootstrap', files: { 'bootstrap/values.yaml': 'projects: {}\n' } }),
    partial: 'helmCharts',
  };
  const ctx = context([testApp({ files: { 'argocd/web.yaml': app('web-prod', 'payments') } }), partial]);
  const findings = runRule('argocd-project-exists', ctx);
  assert.equal(findings.length, 1);
  assert.equal(findings[0].severity, 'warning');
  assert.match(findings[0].message, /nothing rendered here defines; a unit could not be rendered whole/);
});

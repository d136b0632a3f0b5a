// argocd-project-exists: its valid and invalid cases (scripts/argocd/rules/argocd-project-exists.ts).
import { ruleTester } from '../../check/rule-tester.ts';

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
      name: 'a unit not rendered whole may define the project: information, not an error',
      apps: [
        { files: { 'argocd/apps.yaml': app('web-prod', 'payments') } },
        { app: 'bootstrap/base', files: { 'bootstrap/base/values.yaml': '{}\n' }, partial: 'helm-charts' },
      ],
      findings: [
        {
          line: 5,
          severity: 'info',
          message: /nothing rendered here defines; a unit could not be rendered whole \(bootstrap\/base\)/,
        },
      ],
    },
  ],
});

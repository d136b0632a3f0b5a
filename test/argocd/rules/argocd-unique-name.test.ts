// argocd-unique-name: its valid and invalid cases (scripts/argocd/rules/argocd-unique-name.ts).
import { ruleTester } from '../../check/rule-tester.ts';

const REPO = 'https://github.com/acme/gitops.git';
const application = (name: string, spec: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ${name}, namespace: argocd}
spec:
${spec}
`;
const dest = (namespace: string) => `  destination: {server: https://kubernetes.default.svc, namespace: ${namespace}}`;
const source = (path: string, repo = REPO) => `  source: {repoURL: ${repo}, path: ${path}, targetRevision: main}`;
const app = (name: string, project = 'shop', ns = 'shop-prod', path = 'overlays/prod/web') =>
  application(name, `  project: ${project}\n${source(path)}\n${dest(ns)}`);

ruleTester('argocd-unique-name', {
  valid: [{ name: 'distinct names', yaml: `${app('web-staging')}---\n${app('web-prod')}` }],
  invalid: [
    {
      name: 'the same name twice: the second',
      yaml: `${app('web')}---\n${app('web')}`,
      findings: [{ line: 11, severity: 'error' }],
    },
    {
      name: 'two loose files of one folder are applied together',
      apps: [
        { manifests: true, files: { 'argocd/web.yaml': app('web') } },
        { manifests: true, files: { 'argocd/web-again.yaml': app('web') } },
      ],
      findings: [{ file: 'argocd/web.yaml', severity: 'error', message: 'at argocd/web-again.yaml:3' }],
    },
    {
      name: 'one deployed by an app of apps, the other beside the root that deploys it',
      apps: [
        { manifests: true, files: { 'bootstrap/root.yaml': app('root', 'shop', 'argocd', 'apps') } },
        { manifests: true, files: { 'bootstrap/web.yaml': app('web') } },
        { app: 'apps', files: { 'apps/web.yaml': app('web') }, applications: ['root'] },
      ],
      findings: [{ file: 'bootstrap/web.yaml', severity: 'error' }],
    },
    {
      // gitops-examples (corpus): alternative versions of one demo in unrelated folders, each applied by hand.
      name: 'root files in unrelated folders that nothing in the repository applies both of: information',
      apps: [
        { manifests: true, files: { 'demo-v1/app.yaml': app('web') } },
        { manifests: true, files: { 'demo-v2/app.yaml': app('web') } },
      ],
      findings: [
        {
          file: 'demo-v2/app.yaml',
          severity: 'info',
          message: 'they conflict only if both are applied to one Argo CD',
        },
      ],
    },
  ],
});

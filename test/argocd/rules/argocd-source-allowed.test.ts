// argocd-source-allowed: its valid and invalid cases (scripts/argocd/rules/argocd-source-allowed.ts).
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
const app = (name: string, project = 'shop', ns = 'shop-prod', path = 'overlays/prod/web') =>
  application(name, `  project: ${project}\n${source(path)}\n${dest(ns)}`);

const narrow = project(`  sourceRepos: [${REPO}]\n  destinations: [{server: '*', namespace: '*'}]`);
ruleTester('argocd-source-allowed', {
  valid: [{ name: 'the listed repository', yaml: `${narrow}---\n${app('web-prod')}` }],
  invalid: [
    {
      name: 'another repository',
      yaml: `${narrow}---\n${application('web-prod', `  project: shop\n${source('web', 'https://github.com/other/x.git')}\n${dest('shop-prod')}`)}`,
      findings: [{ line: 13, message: 'https://github.com/other/x.git' }],
    },
  ],
});

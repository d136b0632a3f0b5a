// argocd-destination-allowed: its valid and invalid cases (scripts/argocd/rules/argocd-destination-allowed.ts).
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

const narrow = project(
  `  sourceRepos: ['*']\n  destinations: [{server: https://kubernetes.default.svc, namespace: shop-prod}]`,
);
ruleTester('argocd-destination-allowed', {
  valid: [{ name: 'the listed namespace', yaml: `${narrow}---\n${app('web-prod')}` }],
  invalid: [
    {
      name: 'another namespace',
      yaml: `${narrow}---\n${app('web-prod', 'shop', 'kube-system')}`,
      findings: [{ line: 14, message: 'kube-system' }],
    },
  ],
});

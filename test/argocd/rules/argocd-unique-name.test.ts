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
    { name: 'the same name twice: the second', yaml: `${app('web')}---\n${app('web')}`, findings: [{ line: 11 }] },
  ],
});

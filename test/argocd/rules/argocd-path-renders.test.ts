// argocd-path-renders: its valid and invalid cases (scripts/argocd/rules/argocd-path-renders.ts).
import { ruleTester } from '../../check/rule-tester.ts';
import type { AppFixture } from '../../rules/helpers.ts';

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

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {}\n';
const repo = (path: string): AppFixture[] => [
  { app: 'argocd/web.yaml', manifests: true, files: { 'argocd/web.yaml': app('web-prod', 'shop', 'shop-prod', path) } },
  {
    app: 'overlays/prod/web/deployment.yaml',
    manifests: true,
    files: { 'overlays/prod/web/deployment.yaml': deployment },
  },
];
ruleTester('argocd-path-renders', {
  valid: [{ name: 'a folder of manifests', apps: repo('overlays/prod/web'), onDisk: true }],
  invalid: [
    {
      name: 'a path that does not exist',
      apps: repo('overlays/prod/wbe'),
      onDisk: true,
      findings: [{ line: 6, message: 'does not exist' }],
    },
  ],
});

// argocd-shared-resource: its valid and invalid cases (scripts/argocd/rules/argocd-shared-resource.ts).
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

const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n';
const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: shop}\n';
const apps = (web: string): AppFixture[] => [
  { app: 'argocd/api.yaml', manifests: true, files: { 'argocd/api.yaml': app('api', 'shop', 'shop', 'apps/api') } },
  { app: 'argocd/web.yaml', manifests: true, files: { 'argocd/web.yaml': app('web', 'shop', 'shop', 'apps/web') } },
  { app: 'apps/api', files: { 'apps/api/namespace.yaml': namespace } },
  { app: 'apps/web', files: { 'apps/web/resources.yaml': web } },
];
ruleTester('argocd-shared-resource', {
  valid: [{ name: 'each object in one Application', apps: apps(configMap) }],
  invalid: [
    {
      name: 'one Namespace deployed by two Applications',
      apps: apps(namespace),
      findings: [{ message: 'is deployed by Application' }],
    },
  ],
});

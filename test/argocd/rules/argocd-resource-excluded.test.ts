// argocd-resource-excluded: its valid and invalid cases (scripts/argocd/rules/argocd-resource-excluded.ts).
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

const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\nspec: {ports: [{port: 5432}]}\n';
const endpoints =
  'apiVersion: v1\nkind: Endpoints\nmetadata: {name: db, namespace: shop}\nsubsets: [{addresses: [{ip: 10.0.0.5}]}]\n';
const apps = (resources: string): AppFixture[] => [
  { app: 'argocd/db.yaml', manifests: true, files: { 'argocd/db.yaml': app('db', 'shop', 'shop', 'apps/db') } },
  { app: 'apps/db', files: { 'apps/db/resources.yaml': resources } },
];
ruleTester('argocd-resource-excluded', {
  valid: [{ name: 'a Service alone', apps: apps(service) }],
  invalid: [
    {
      name: 'an Endpoints object, excluded by default since Argo CD 3',
      apps: apps(`${service}---\n${endpoints}`),
      findings: [{ file: 'apps/db/resources.yaml', line: 6, message: 'Endpoints' }],
    },
  ],
});

// sync-waves: its valid and invalid cases (scripts/argocd/rules/sync-waves.ts).
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

const ns = (wave: string) =>
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, annotations: {argocd.argoproj.io/sync-wave: '${wave}'}}\n`;
const cm =
  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: shop, annotations: {argocd.argoproj.io/sync-wave: '1'}}\n";
const apps = (wave: string): AppFixture[] => [
  {
    app: 'argocd/shop.yaml',
    manifests: true,
    files: { 'argocd/shop.yaml': app('shop-prod', 'shop', 'shop', 'overlays/prod/shop') },
  },
  { app: 'overlays/prod/shop', files: { 'overlays/prod/shop/resources.yaml': `${ns(wave)}---\n${cm}` } },
];
ruleTester('sync-waves', {
  valid: [{ name: 'the Namespace first', apps: apps('-1') }],
  invalid: [
    {
      name: 'the Namespace in a later wave than what lives in it',
      apps: apps('2'),
      findings: [{ file: 'overlays/prod/shop/resources.yaml', line: 7 }],
    },
  ],
});

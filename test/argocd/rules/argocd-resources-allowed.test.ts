// argocd-resources-allowed: its valid and invalid cases (scripts/argocd/rules/argocd-resources-allowed.ts).
import { ruleTester } from '../../check/rule-tester.ts';
import type { AppFixture } from '../../rules/helpers.ts';

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

const narrow = project(
  `  sourceRepos: ['*']\n  destinations: [{server: '*', namespace: '*'}]\n  clusterResourceWhitelist: []`,
);
const role = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\nrules: []\n';
const apps = (projectYaml: string): AppFixture[] => [
  { app: 'argocd', files: { 'argocd/web.yaml': `${projectYaml}---\n${app('web-prod')}` } },
  { app: 'overlays/prod/web', files: { 'overlays/prod/web/role.yaml': role } },
];
ruleTester('argocd-resources-allowed', {
  valid: [{ name: 'a whitelisted cluster-scoped kind', apps: apps(open) }],
  invalid: [
    {
      name: 'a ClusterRole the project does not whitelist',
      apps: apps(narrow),
      findings: [{ message: 'ClusterRole' }],
    },
  ],
});

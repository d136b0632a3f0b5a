// sync-policy-per-env: its valid and invalid cases (scripts/argocd/rules/sync-policy-per-env.ts).
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
const prod = (syncPolicy: string) =>
  application('web-prod', `  project: shop\n${source('overlays/prod/web')}\n${dest('shop-prod')}\n${syncPolicy}`);
ruleTester('sync-policy-per-env', {
  valid: [
    {
      name: 'prod syncs automatically with selfHeal and PruneLast',
      yaml: prod('  syncPolicy: {automated: {prune: true, selfHeal: true}, syncOptions: [PruneLast=true]}'),
    },
  ],
  invalid: [{ name: 'prod without automated sync', yaml: prod('  syncPolicy: {}'), findings: [{ line: 8 }] }],
});

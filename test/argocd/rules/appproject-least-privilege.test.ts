// appproject-least-privilege: its valid and invalid cases (scripts/argocd/rules/appproject-least-privilege.ts).
import { ruleTester } from '../../check/rule-tester.ts';

const REPO = 'https://github.com/acme/gitops.git';
const project = (spec: string, name = 'shop') => `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: ${name}, namespace: argocd}
spec:
${spec}
`;
const open = project(`  sourceRepos: ['*']
  destinations: [{server: '*', namespace: '*'}]
  clusterResourceWhitelist: [{group: '*', kind: '*'}]`);
ruleTester('appproject-least-privilege', {
  valid: [
    {
      name: 'one repository, one destination, one kind',
      yaml: project(
        `  sourceRepos: [${REPO}]\n  destinations: [{server: https://kubernetes.default.svc, namespace: shop-prod}]\n  clusterResourceWhitelist: [{group: '', kind: Namespace}]`,
      ),
    },
  ],
  invalid: [{ name: 'wildcards everywhere', yaml: open, findings: [{ line: 5 }, { line: 6 }, { line: 7 }] }],
});

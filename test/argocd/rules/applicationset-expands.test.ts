// applicationset-expands: its valid and invalid cases (scripts/argocd/rules/applicationset-expands.ts).
import { ruleTester } from '../../check/rule-tester.ts';

const REPO = 'https://github.com/acme/gitops.git';
const dest = (namespace: string) => `  destination: {server: https://kubernetes.default.svc, namespace: ${namespace}}`;
const source = (path: string, repo = REPO) => `  source: {repoURL: ${repo}, path: ${path}, targetRevision: main}`;
const appSet = (elements: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: services, namespace: argocd}
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list: {elements: ${elements}}
  template:
    metadata: {name: '{{.service}}-{{.env}}'}
    spec:
      project: shop
${source("'overlays/{{.env}}/{{.service}}'").replace(/^/gm, '    ')}
${dest('shop').replace(/^/gm, '    ')}
`;
ruleTester('applicationset-expands', {
  valid: [{ name: 'every key set', yaml: appSet('[{service: api, env: prod}]') }],
  invalid: [
    {
      name: 'a key no generator sets',
      yaml: appSet('[{service: api}]'),
      findings: [
        { line: 10, message: 'env' },
        { line: 13, message: 'env' },
      ],
    },
  ],
});

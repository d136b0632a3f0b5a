// rollingsync-steps-match (scripts/argocd/rules/rollingsync-steps-match.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../../rules/helpers.ts';

const appSet = (steps: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: web, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - list:
        elements: [{env: dev}, {env: staging}, {env: prod}]
  strategy:
    type: RollingSync
    rollingSync:
      steps:
${steps}
  template:
    metadata:
      name: "web-{{.env}}"
      labels: {environment: "{{.env}}"}
    spec:
      project: shop
      source: {repoURL: https://github.com/acme/gitops.git, targetRevision: HEAD, path: "overlays/{{.env}}/web"}
      destination: {server: https://kubernetes.default.svc, namespace: web}
`;
const step = (key: string, values: string) =>
  `        - matchExpressions: [{key: ${key}, operator: In, values: [${values}]}]`;

test('rollingsync-steps-match: a step selecting nothing, and Applications no step selects, are reported', () => {
  const yaml = appSet([step('envirnoment', 'dev'), step('environment', 'dev, staging')].join('\n'));
  const findings = runRule('rollingsync-steps-match', single(yaml, 'argocd/web.yaml'));
  assert.deepEqual(where(findings), [
    ['rollingsync-steps-match', 'argocd/web.yaml', lineOf(yaml, 'steps:')],
    ['rollingsync-steps-match', 'argocd/web.yaml', lineOf(yaml, 'envirnoment')],
  ]);
  assert.match(findings[1].message, /step 1 of ApplicationSet "web" selects none/);
  assert.match(findings[0].message, /generates web-prod, which no RollingSync step selects/);
});

test('rollingsync-steps-match: steps that together select every Application pass', () => {
  const yaml = appSet([step('environment', 'dev'), step('environment', 'staging, prod')].join('\n'));
  assert.deepEqual(runRule('rollingsync-steps-match', single(yaml)), []);
});

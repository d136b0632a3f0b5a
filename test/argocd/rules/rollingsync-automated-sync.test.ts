// rollingsync-automated-sync (scripts/argocd/rules/rollingsync-automated-sync.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../../rules/helpers.ts';

const appSet = (syncPolicy: string, type = 'RollingSync') => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: web, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - list:
        elements: [{env: dev}]
  strategy:
    type: ${type}
    rollingSync:
      steps:
        - matchExpressions: [{key: env, operator: In, values: [dev]}]
  template:
    metadata: {name: "web-{{.env}}", labels: {env: "{{.env}}"}}
    spec:
      project: shop
      source: {repoURL: https://github.com/acme/gitops.git, targetRevision: HEAD, path: "overlays/{{.env}}/web"}
      destination: {server: https://kubernetes.default.svc, namespace: web}
${syncPolicy}`;

test('rollingsync-automated-sync: automated sync in a RollingSync template is reported on the automated block', () => {
  const yaml = appSet('      syncPolicy:\n        automated: {prune: true}\n');
  const findings = runRule('rollingsync-automated-sync', single(yaml, 'argocd/web.yaml'));
  assert.deepEqual(where(findings), [['rollingsync-automated-sync', 'argocd/web.yaml', lineOf(yaml, 'automated:')]]);
  assert.match(findings[0].message, /with progressive syncs enabled the automated block is turned off/);
});

test('rollingsync-automated-sync: no automated block, or no RollingSync, passes', () => {
  assert.deepEqual(
    runRule('rollingsync-automated-sync', single(appSet('      syncPolicy: {syncOptions: [CreateNamespace=true]}\n'))),
    [],
  );
  assert.deepEqual(
    runRule('rollingsync-automated-sync', single(appSet('      syncPolicy: {automated: {}}\n', 'AllAtOnce'))),
    [],
  );
});

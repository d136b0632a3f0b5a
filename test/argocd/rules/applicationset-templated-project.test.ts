// applicationset-templated-project (scripts/argocd/rules/applicationset-templated-project.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../../rules/helpers.ts';

const appSet = (generator: string, project: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: previews}
spec:
  goTemplate: true
  generators:
${generator}
  template:
    metadata: {name: "preview-{{.number}}"}
    spec:
      project: ${project}
      source: {repoURL: https://github.com/acme/web.git, targetRevision: "{{.head_sha}}", path: deploy}
      destination: {server: https://kubernetes.default.svc, namespace: "preview-{{.number}}"}
`;
const pullRequests = '    - pullRequest:\n        github: {owner: acme, repo: web}';

test('applicationset-templated-project: a templated project is reported, naming generators fed from outside the repository', () => {
  const yaml = appSet(
    `    - matrix:\n        generators:\n${pullRequests.replace(/^/gm, '      ')}\n          - list: {elements: [{x: 1}]}`,
    '"{{.branch}}"',
  );
  const findings = runRule('applicationset-templated-project', single(yaml, 'argocd/previews.yaml'));
  assert.deepEqual(where(findings), [
    ['applicationset-templated-project', 'argocd/previews.yaml', lineOf(yaml, 'project:')],
  ]);
  assert.match(
    findings[0].message,
    /filled in by pullRequest generators whose input comes from outside the repository/,
  );
});

test('applicationset-templated-project: a fixed project passes', () => {
  assert.deepEqual(runRule('applicationset-templated-project', single(appSet(pullRequests, 'previews'))), []);
});

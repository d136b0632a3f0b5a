// rbac-no-wildcards: its failing and passing cases (scripts/rules/security/rbac-no-wildcards.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRule, single, where } from '../helpers.ts';

test('rbac-no-wildcards: "*" verbs and resources', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - apiGroups: [""]
    resources: ["*"]
    verbs: ["*"]
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [get, list]
`;
  assert.deepEqual(where(runRule('rbac-no-wildcards', single(yaml, 'rbac.yaml'))), [
    ['rbac-no-wildcards', 'rbac.yaml', 6],
    ['rbac-no-wildcards', 'rbac.yaml', 7],
  ]);
  assert.deepEqual(runRule('rbac-no-wildcards', single(yaml.replace(/\["\*"\]/g, '[pods]'))), []);
});

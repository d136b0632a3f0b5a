// service-account-token: its failing and passing cases (scripts/rules/security/service-account-token.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('service-account-token: a mounted token nobody grants anything; a bound service account passes', () => {
  const yaml = deployment('image: x:1', { podSpec: 'serviceAccountName: web' });
  assert.deepEqual(where(runRule('service-account-token', single(yaml, 'w.yaml'))), [
    ['service-account-token', 'w.yaml', lineOf(yaml, '    spec:')],
  ]);
  const bound =
    yaml +
    `---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
subjects:
  - {kind: ServiceAccount, name: web}
`;
  assert.deepEqual(runRule('service-account-token', single(bound)), []);
  const accountOff =
    yaml +
    `---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
automountServiceAccountToken: false
`;
  assert.deepEqual(runRule('service-account-token', single(accountOff)), []);
});

// deprecated-service-account-field (scripts/rules/security/deprecated-service-account-field.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('deprecated-service-account-field: serviceAccount is reported; both with different names say which wins', () => {
  const yaml = deployment('image: x:1', { podSpec: 'serviceAccount: old\nserviceAccountName: web' });
  const findings = runRule('deprecated-service-account-field', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [
    ['deprecated-service-account-field', 'w.yaml', lineOf(yaml, 'serviceAccount: old')],
  ]);
  assert.match(findings[0].message, /the pod runs as "web"/);
});

test('deprecated-service-account-field: serviceAccountName alone passes', () => {
  const yaml = deployment('image: x:1', { podSpec: 'serviceAccountName: web' });
  assert.deepEqual(runRule('deprecated-service-account-field', single(yaml)), []);
});

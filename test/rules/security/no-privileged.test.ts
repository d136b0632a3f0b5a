// no-privileged: its failing and passing cases (scripts/rules/security/no-privileged.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('no-privileged: privileged: true is an error', () => {
  const yaml = deployment('securityContext:\n  privileged: true');
  const findings = runRule('no-privileged', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [['no-privileged', 'w.yaml', lineOf(yaml, 'privileged: true')]]);
  assert.equal(findings[0].severity, 'error');
});

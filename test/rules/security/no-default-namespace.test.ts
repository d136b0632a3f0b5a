// no-default-namespace: its failing and passing cases (scripts/rules/security/no-default-namespace.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRule, single, where } from '../helpers.ts';

test('no-default-namespace: an explicit "default" namespace; no namespace passes', () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\n';
  assert.deepEqual(where(runRule('no-default-namespace', single(yaml, 'cm.yaml'))), [
    ['no-default-namespace', 'cm.yaml', 5],
  ]);
  assert.deepEqual(runRule('no-default-namespace', single(yaml.replace('  namespace: default\n', ''))), []);
});

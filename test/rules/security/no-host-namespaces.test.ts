// no-host-namespaces: its failing and passing cases (scripts/rules/security/no-host-namespaces.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('no-host-namespaces: hostNetwork and hostPID', () => {
  const yaml = deployment('image: x:1', { podSpec: 'hostNetwork: true\nhostPID: true\nhostIPC: false' });
  assert.deepEqual(where(runRule('no-host-namespaces', single(yaml, 'w.yaml'))), [
    ['no-host-namespaces', 'w.yaml', lineOf(yaml, 'hostNetwork')],
    ['no-host-namespaces', 'w.yaml', lineOf(yaml, 'hostPID')],
  ]);
});

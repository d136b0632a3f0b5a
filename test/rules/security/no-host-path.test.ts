// no-host-path: its failing and passing cases (scripts/rules/security/no-host-path.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('no-host-path: a hostPath volume is reported on the volume', () => {
  const yaml = deployment('image: x:1', {
    podSpec: 'volumes:\n  - name: docker\n    hostPath: {path: /var/run/docker.sock}\n  - name: tmp\n    emptyDir: {}',
  });
  const findings = runRule('no-host-path', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [['no-host-path', 'w.yaml', lineOf(yaml, 'hostPath')]]);
  assert.match(findings[0].message, /\/var\/run\/docker.sock/);
});

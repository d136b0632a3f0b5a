// run-as-non-root: its failing and passing cases (scripts/rules/security/run-as-non-root.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

const hardened = deployment(
  `image: ghcr.io/acme/web:1.0.0
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities: {drop: [ALL]}`,
  { podSpec: 'automountServiceAccountToken: false\nsecurityContext: {runAsNonRoot: true, runAsUser: 10001}' },
);

test('run-as-non-root: runAsUser 0 on the container, or nothing set', () => {
  const root = hardened.replace(
    'allowPrivilegeEscalation: false',
    'allowPrivilegeEscalation: false\n            runAsUser: 0',
  );
  assert.deepEqual(where(runRule('run-as-non-root', single(root, 'base/web.yaml'))), [
    ['run-as-non-root', 'base/web.yaml', lineOf(root, 'runAsUser: 0')],
  ]);
  const unset = deployment('image: x:1');
  assert.deepEqual(where(runRule('run-as-non-root', single(unset, 'base/web.yaml'))), [
    ['run-as-non-root', 'base/web.yaml', lineOf(unset, '- name: app')],
  ]);
});

// Security rules: each with a failing and a passing fixture, asserting rule, file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from './helpers.ts';

const hardened = deployment(
  `image: ghcr.io/acme/web:1.0.0
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities: {drop: [ALL]}`,
  { podSpec: 'automountServiceAccountToken: false\nsecurityContext: {runAsNonRoot: true, runAsUser: 10001}' },
);

test('a hardened pod passes every security rule', () => {
  for (const id of [
    'run-as-non-root',
    'no-privilege-escalation',
    'read-only-root-fs',
    'drop-all-capabilities',
    'no-privileged',
    'no-host-namespaces',
    'no-host-path',
    'service-account-token',
    'no-default-namespace',
  ]) {
    assert.deepEqual(runRule(id, single(hardened)), [], id);
  }
});

test('no-privilege-escalation, read-only-root-fs, drop-all-capabilities: reported on the securityContext field', () => {
  const weak = deployment(`securityContext:
  allowPrivilegeEscalation: true
  readOnlyRootFilesystem: false
  capabilities: {drop: [NET_RAW]}`);
  assert.deepEqual(where(runRule('no-privilege-escalation', single(weak, 'w.yaml'))), [
    ['no-privilege-escalation', 'w.yaml', lineOf(weak, 'allowPrivilegeEscalation')],
  ]);
  assert.deepEqual(where(runRule('read-only-root-fs', single(weak, 'w.yaml'))), [
    ['read-only-root-fs', 'w.yaml', lineOf(weak, 'readOnlyRootFilesystem')],
  ]);
  assert.deepEqual(where(runRule('drop-all-capabilities', single(weak, 'w.yaml'))), [
    ['drop-all-capabilities', 'w.yaml', lineOf(weak, 'capabilities')],
  ]);
});

// seccomp-profile (scripts/rules/security/seccomp-profile.ts): its failing and passing cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('seccomp-profile: no profile is one finding on the pod; Unconfined on a container or the pod is reported where it is set', () => {
  const none = deployment('image: x:1', { podSpec: 'securityContext: {runAsNonRoot: true}' });
  assert.deepEqual(where(runRule('seccomp-profile', single(none, 'w.yaml'))), [
    ['seccomp-profile', 'w.yaml', lineOf(none, 'securityContext: {runAsNonRoot')],
  ]);
  const container = deployment('image: x:1\nsecurityContext:\n  seccompProfile: {type: Unconfined}', {
    podSpec: 'securityContext: {seccompProfile: {type: RuntimeDefault}}',
  });
  const findings = runRule('seccomp-profile', single(container, 'w.yaml'));
  assert.deepEqual(where(findings), [['seccomp-profile', 'w.yaml', lineOf(container, 'type: Unconfined')]]);
  assert.match(findings[0].message, /Container "app" runs with seccomp profile Unconfined/);
  const pod = deployment('image: x:1', { podSpec: 'securityContext:\n  seccompProfile:\n    type: Unconfined' });
  assert.deepEqual(where(runRule('seccomp-profile', single(pod, 'w.yaml'))), [
    ['seccomp-profile', 'w.yaml', lineOf(pod, 'type: Unconfined')],
  ]);
});

test('seccomp-profile: RuntimeDefault on the pod, or Localhost on every container, passes', () => {
  const pod = deployment('image: x:1', { podSpec: 'securityContext: {seccompProfile: {type: RuntimeDefault}}' });
  assert.deepEqual(runRule('seccomp-profile', single(pod)), []);
  const own = deployment('image: x:1\nsecurityContext: {seccompProfile: {type: Localhost, localhostProfile: p.json}}');
  assert.deepEqual(runRule('seccomp-profile', single(own)), []);
});

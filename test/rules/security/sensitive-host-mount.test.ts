// sensitive-host-mount (scripts/rules/security/sensitive-host-mount.ts): its failing and passing cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

const volumes = (paths: string[]) =>
  deployment('image: x:1', {
    podSpec: `volumes:\n${paths.map((p, i) => `  - name: v${i}\n    hostPath:\n      path: ${p}`).join('\n')}`,
  });

test('sensitive-host-mount: runtime sockets, system folders and the kubelet state are errors on the path', () => {
  const yaml = volumes([
    '/var/run/docker.sock',
    '/etc/',
    '/var/lib/kubelet/pods',
    '/run/containerd/containerd.sock',
    '/',
  ]);
  const findings = runRule('sensitive-host-mount', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [
    ['sensitive-host-mount', 'w.yaml', lineOf(yaml, 'docker.sock')],
    ['sensitive-host-mount', 'w.yaml', lineOf(yaml, 'path: /etc/')],
    ['sensitive-host-mount', 'w.yaml', lineOf(yaml, '/var/lib/kubelet/pods')],
    ['sensitive-host-mount', 'w.yaml', lineOf(yaml, 'containerd.sock')],
    ['sensitive-host-mount', 'w.yaml', lineOf(yaml, 'path: /', 5)],
  ]);
  assert.match(findings[0].message, /container runtime socket/);
  assert.equal(findings[0].severity, 'error');
});

test('sensitive-host-mount: ordinary host paths (left to no-host-path) pass', () => {
  assert.deepEqual(runRule('sensitive-host-mount', single(volumes(['/var/log', '/etc/localtime', '/data/cache']))), []);
});

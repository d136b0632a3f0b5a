// unsafe-sysctls (scripts/rules/security/unsafe-sysctls.ts): its failing and passing cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

const sysctls = (names: string[]) =>
  deployment('image: x:1', {
    podSpec: `securityContext:\n  sysctls:\n${names.map((n) => `    - name: ${n}\n      value: "1"`).join('\n')}`,
  });

test('unsafe-sysctls: a sysctl outside the safe set is reported on its name', () => {
  const yaml = sysctls(['net.core.somaxconn', 'net.ipv4.tcp_syncookies']);
  const findings = runRule('unsafe-sysctls', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [['unsafe-sysctls', 'w.yaml', lineOf(yaml, 'net.core.somaxconn')]]);
  assert.match(findings[0].message, /unsafe sysctl net.core.somaxconn/);
});

test('unsafe-sysctls: the safe set depends on the Kubernetes version; slashes are dots', () => {
  const yaml = sysctls(['net/ipv4/tcp_keepalive_time', 'net.ipv4.ip_unprivileged_port_start']);
  assert.deepEqual(runRule('unsafe-sysctls', single(yaml)), []);
  const old = single(yaml);
  old.kubernetesVersion = '1.28';
  assert.deepEqual(
    runRule('unsafe-sysctls', old).map((f) => f.message.includes('tcp_keepalive_time')),
    [true],
  );
});

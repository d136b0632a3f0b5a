// no-host-port (scripts/rules/security/no-host-port.ts): its failing and passing cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('no-host-port: a hostPort is reported on its line', () => {
  const yaml = deployment(`image: x:1
ports:
  - containerPort: 8080
    hostPort: 8080`);
  const findings = runRule('no-host-port', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [['no-host-port', 'w.yaml', lineOf(yaml, 'hostPort')]]);
  assert.match(findings[0].message, /binds port 8080 of the node/);
});

test('no-host-port: container ports alone, and hostNetwork pods (no-host-namespaces reports them), pass', () => {
  assert.deepEqual(runRule('no-host-port', single(deployment('image: x:1\nports: [{containerPort: 8080}]'))), []);
  const hostNetwork = deployment('image: x:1\nports: [{containerPort: 9100, hostPort: 9100}]', {
    podSpec: 'hostNetwork: true',
  });
  assert.deepEqual(runRule('no-host-port', single(hostNetwork)), []);
});

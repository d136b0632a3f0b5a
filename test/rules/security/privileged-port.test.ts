// privileged-port (scripts/rules/security/privileged-port.ts): its failing and passing cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('privileged-port: ports below 1024 are reported, 22 as SSH', () => {
  const yaml = deployment(`image: x:1
ports:
  - containerPort: 80
  - containerPort: 22
  - containerPort: 8080`);
  const findings = runRule('privileged-port', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [
    ['privileged-port', 'w.yaml', lineOf(yaml, 'containerPort: 80')],
    ['privileged-port', 'w.yaml', lineOf(yaml, 'containerPort: 22')],
  ]);
  assert.match(findings[0].message, /privileged port 80/);
  assert.match(findings[1].message, /port 22 \(SSH\)/);
});

test('privileged-port: 1024 and above pass', () => {
  assert.deepEqual(runRule('privileged-port', single(deployment('image: x:1\nports: [{containerPort: 1024}]'))), []);
});

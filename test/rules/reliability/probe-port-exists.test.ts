// probe-port-exists: its failing and passing cases (scripts/rules/reliability/probe-port-exists.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('probe-port-exists: a named probe port the container does not declare', () => {
  const yaml = deployment(`ports: [{name: http, containerPort: 8080}]
readinessProbe:
  httpGet: {path: /readyz, port: web}
livenessProbe:
  tcpSocket: {port: 8080}`);
  const findings = runRule('probe-port-exists', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['probe-port-exists', 'base/web.yaml', lineOf(yaml, 'port: web')]]);
  assert.match(findings[0].message, /"web".*declared: http/);
  assert.deepEqual(runRule('probe-port-exists', single(yaml.replace('port: web', 'port: http'))), []);
});

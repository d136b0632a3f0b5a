// probes-differ: its failing and passing cases (scripts/rules/reliability/probes-differ.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('probes-differ: the same HTTP check for liveness and readiness is reported on livenessProbe', () => {
  const yaml = deployment(`image: ghcr.io/acme/web:1.0.0
ports: [{name: http, containerPort: 8080}]
livenessProbe:
  httpGet: {path: /health, port: http}
  periodSeconds: 20
readinessProbe:
  httpGet: {path: /health, port: 8080}`);
  const findings = runRule('probes-differ', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['probes-differ', 'base/web.yaml', lineOf(yaml, 'livenessProbe')]]);
  assert.match(findings[0].message, /same check \(HTTP GET \/health on port 8080\)/);
  assert.match(findings[0].message, /database/);
});

test('probes-differ: TCP, exec and gRPC checks compare too; different checks pass', () => {
  const tcp = deployment(`ports: [{containerPort: 6379, name: redis}]
livenessProbe: {tcpSocket: {port: redis}}
readinessProbe: {tcpSocket: {port: 6379}}`);
  assert.equal(runRule('probes-differ', single(tcp)).length, 1);
  const exec = deployment(`ports: [{containerPort: 5432}]
livenessProbe: {exec: {command: [pg_isready]}}
readinessProbe: {exec: {command: [pg_isready]}}`);
  assert.equal(runRule('probes-differ', single(exec)).length, 1);
  const grpc = deployment(`ports: [{containerPort: 9000}]
livenessProbe: {grpc: {port: 9000}}
readinessProbe: {grpc: {port: 9000, service: readiness}}`);
  assert.deepEqual(runRule('probes-differ', single(grpc)), []);
  const good = deployment(`ports: [{name: http, containerPort: 8080}]
livenessProbe: {httpGet: {path: /livez, port: http}}
readinessProbe: {httpGet: {path: /readyz, port: http}}`);
  assert.deepEqual(runRule('probes-differ', single(good)), []);
});

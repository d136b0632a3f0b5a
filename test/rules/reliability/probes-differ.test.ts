// probes-differ: its failing and passing cases (scripts/rules/reliability/probes-differ.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
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

const statefulSet = (readiness: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: x:1
          livenessProbe:
            exec: {command: [pg_isready, -U, app]}
          readinessProbe:
            exec: {command: [${readiness}]}
`;

test('probes-differ: a StatefulSet no Service selects, whose two probes run the same exec command, is reported', () => {
  const yaml = statefulSet('pg_isready, -U, app');
  assert.deepEqual(where(runRule('probes-differ', single(yaml, 'db.yaml'))), [
    ['probes-differ', 'db.yaml', lineOf(yaml, 'livenessProbe')],
  ]);
});

test('probes-differ: different commands pass', () => {
  assert.deepEqual(runRule('probes-differ', single(statefulSet('psql, -c, select 1'))), []);
});

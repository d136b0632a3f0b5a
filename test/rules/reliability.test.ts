// The three rules the users named first: probes-differ, resources-set (+ requests-within-limits),
// no-plaintext-secrets (+ no-secret-literals).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, runRule, single } from './helpers.ts';

test('probes-present ignores Jobs and workloads that serve nothing; probes-differ judges any container with both probes', () => {
  const job = `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      containers:
        - name: migrate
          ports: [{containerPort: 8080}]
          livenessProbe: {tcpSocket: {port: 8080}}
          readinessProbe: {tcpSocket: {port: 8080}}
`;
  assert.equal(runRule('probes-differ', single(job)).length, 1);
  assert.deepEqual(runRule('probes-present', single(job)), []);
  const worker = deployment('image: ghcr.io/acme/worker:1.0.0', { name: 'worker' });
  assert.deepEqual(runRule('probes-present', single(worker)), []);
});

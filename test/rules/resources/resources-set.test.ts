// resources-set: its failing and passing cases (scripts/rules/resources/resources-set.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, context, deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('resources-set: every container, init containers included, needs CPU and memory requests and limits', () => {
  const yaml = deployment(
    `image: ghcr.io/acme/web:1.0.0
resources:
  requests: {cpu: 100m, memory: 128Mi}
  limits: {memory: 256Mi}`,
    { podSpec: `initContainers:\n  - name: migrate\n    image: ghcr.io/acme/migrate:1.0.0` },
  );
  const findings = runRule('resources-set', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [
    ['resources-set', 'base/web.yaml', lineOf(yaml, '- name: migrate')],
    ['resources-set', 'base/web.yaml', lineOf(yaml, 'resources:')],
  ]);
  assert.match(
    findings[0].message,
    /Init container "migrate" sets no requests.cpu, requests.memory, limits.memory, limits.cpu/,
  );
  assert.match(findings[1].message, /Container "app" sets no limits.cpu\./);
});

test('resources-set: complete resources pass; requireCpuLimit: false and LimitRange defaults are honoured', () => {
  const complete = deployment(`resources:
  requests: {cpu: 100m, memory: 128Mi}
  limits: {cpu: 500m, memory: 256Mi}`);
  assert.deepEqual(runRule('resources-set', single(complete)), []);
  const noCpuLimit = deployment(`resources:
  requests: {cpu: 100m, memory: 128Mi}
  limits: {memory: 256Mi}`);
  const config = { lint: { rules: { 'resources-set': { options: { requireCpuLimit: false } } } } };
  assert.deepEqual(runRule('resources-set', context(single(noCpuLimit).apps, config)), []);
  const bare = deployment('image: ghcr.io/acme/web:1.0.0').replace('name: web\n', 'name: web\n  namespace: shop\n');
  const limitRange = `apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: shop}
spec:
  limits:
    - type: Container
      default: {cpu: 500m, memory: 256Mi}
      defaultRequest: {cpu: 100m, memory: 128Mi}
`;
  const ctx = context([
    app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': bare } }),
    app({ env: 'prod', files: { 'overlays/prod/namespaces/limits.yaml': limitRange } }),
  ]);
  assert.deepEqual(runRule('resources-set', ctx), []);
  // the LimitRange of another environment does not count
  const otherEnv = context([
    app({ env: 'dev', files: { 'overlays/dev/web/web.yaml': bare } }),
    app({ env: 'prod', files: { 'overlays/prod/namespaces/limits.yaml': limitRange } }),
  ]);
  assert.equal(runRule('resources-set', otherEnv).length, 1);
});

test('resources-set: a limit with no request is the request too (the API server copies it); a request without its limit is not', () => {
  // cluster-config (corpus): noobaa-operator sets only limits, and runs Guaranteed.
  const limitsOnly = deployment(`resources:
  limits: {cpu: 250m, memory: 512Mi}`);
  assert.deepEqual(runRule('resources-set', single(limitsOnly)), []);
  const memoryOnly = deployment(`resources:
  limits: {memory: 512Mi}`);
  assert.match(runRule('resources-set', single(memoryOnly))[0]?.message ?? '', /sets no requests\.cpu, limits\.cpu\./);
});

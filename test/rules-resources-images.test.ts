// Resource and image rules: jvm-heap-fits-limit, namespace-quota-fits, image-tag-pinned, image-registry-allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseImage } from '../scripts/kube/image-ref.ts';
import { app, context, deployment, lineOf, runRule, single, where } from './rules/helpers.ts';

test('jvm-heap-fits-limit: -Xmx at the limit and a high MaxRAMPercentage are reported on the value', () => {
  const yaml = deployment(`env:
  - name: JAVA_OPTS
    value: "-Xms512m -Xmx1g"
args: ["-XX:MaxRAMPercentage=95"]
resources:
  limits: {memory: 1Gi}`);
  const findings = runRule('jvm-heap-fits-limit', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [
    ['jvm-heap-fits-limit', 'base/web.yaml', lineOf(yaml, '-Xmx1g')],
    ['jvm-heap-fits-limit', 'base/web.yaml', lineOf(yaml, 'args:')],
  ]);
  assert.match(findings[0].message, /-Xmx1g is 100% of its 1Gi memory limit/);
  const good = deployment(`env:
  - {name: JAVA_TOOL_OPTIONS, value: "-Xmx700m -XX:MaxRAMPercentage=75"}
resources:
  limits: {memory: 1Gi}`);
  assert.deepEqual(runRule('jvm-heap-fits-limit', single(good)), []);
});

test('namespace-quota-fits: requests times maximum replicas above the quota, per environment', () => {
  const web =
    deployment(`resources:
  requests: {cpu: 500m, memory: 256Mi}
  limits: {cpu: "1", memory: 512Mi}`).replace('name: web\n', 'name: web\n  namespace: shop\n') +
    `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
`;
  const quota = `apiVersion: v1
kind: ResourceQuota
metadata: {name: shop, namespace: shop}
spec:
  hard:
    requests.cpu: "4"
    requests.memory: 4Gi
    pods: "20"
`;
  const ctx = context([
    app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': web } }),
    app({ env: 'prod', files: { 'overlays/prod/namespaces/quota.yaml': quota } }),
  ]);
  const findings = runRule('namespace-quota-fits', ctx);
  assert.deepEqual(where(findings), [
    ['namespace-quota-fits', 'overlays/prod/namespaces/quota.yaml', lineOf(quota, 'requests.cpu')],
  ]);
  assert.match(findings[0].message, /allows 4 requests.cpu .* need 5 at their maximum replicas/);
  const roomy = context([
    ctx.apps[0],
    app({ env: 'prod', files: { 'overlays/prod/namespaces/quota.yaml': quota.replace('"4"', '"6"') } }),
  ]);
  assert.deepEqual(runRule('namespace-quota-fits', roomy), []);
});

test('image references parse with Docker Hub defaults, ports and digests', () => {
  assert.deepEqual(parseImage('nginx'), { registry: 'docker.io', repository: 'library/nginx' });
  assert.deepEqual(parseImage('localhost:5000/web:1.2'), { registry: 'localhost:5000', repository: 'web', tag: '1.2' });
  assert.deepEqual(parseImage('ghcr.io/acme/web@sha256:abc'), {
    registry: 'ghcr.io',
    repository: 'acme/web',
    digest: 'sha256:abc',
  });
});

test('image-tag-pinned: latest and missing tags; digests required where configured', () => {
  const yaml = deployment('image: ghcr.io/acme/web:latest', {
    podSpec: 'initContainers:\n  - name: migrate\n    image: ghcr.io/acme/migrate',
  });
  const findings = runRule('image-tag-pinned', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [
    ['image-tag-pinned', 'base/web.yaml', lineOf(yaml, 'image: ghcr.io/acme/migrate')],
    ['image-tag-pinned', 'base/web.yaml', lineOf(yaml, 'image: ghcr.io/acme/web:latest')],
  ]);
  assert.match(findings[0].message, /has no tag/);
  const pinned = deployment('image: ghcr.io/acme/web:1.4.2');
  assert.deepEqual(runRule('image-tag-pinned', single(pinned)), []);
  const config = { lint: { rules: { 'image-tag-pinned': { options: { requireDigestIn: ['prod'] } } } } };
  const prod = context([app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': pinned } })], config);
  assert.match(runRule('image-tag-pinned', prod)[0].message, /not pinned by digest, which prod requires/);
  const digest = deployment('image: ghcr.io/acme/web:1.4.2@sha256:4b9f0c2d');
  assert.deepEqual(
    runRule(
      'image-tag-pinned',
      context([app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': digest } })], config),
    ),
    [],
  );
});

test('image-registry-allowed: only checked with a list; Docker Hub images are docker.io', () => {
  const yaml = deployment('image: bitnami/redis:7.2');
  assert.deepEqual(runRule('image-registry-allowed', single(yaml)), []);
  const config = { lint: { allowedRegistries: ['ghcr.io/acme', 'registry.k8s.io'] } };
  const findings = runRule('image-registry-allowed', context(single(yaml, 'base/web.yaml').apps, config));
  assert.deepEqual(where(findings), [['image-registry-allowed', 'base/web.yaml', lineOf(yaml, 'image:')]]);
  assert.match(findings[0].message, /comes from docker.io/);
  assert.deepEqual(
    runRule('image-registry-allowed', context(single(deployment('image: ghcr.io/acme/redis:7.2')).apps, config)),
    [],
  );
  assert.equal(
    runRule('image-registry-allowed', context(single(deployment('image: ghcr.io/acme-evil/redis:7.2')).apps, config))
      .length,
    1,
  );
});

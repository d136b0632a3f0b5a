// image-registry-allowed: its failing and passing cases (scripts/rules/images/image-registry-allowed.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, deployment, lineOf, runRule, single, where } from '../helpers.ts';

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

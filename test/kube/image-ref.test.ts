// Resource and image rules: jvm-heap-fits-limit, namespace-quota-fits, image-tag-pinned, image-registry-allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseImage } from '../../scripts/kube/image-ref.ts';

test('image references parse with Docker Hub defaults, ports and digests', () => {
  assert.deepEqual(parseImage('nginx'), { registry: 'docker.io', repository: 'library/nginx' });
  assert.deepEqual(parseImage('localhost:5000/web:1.2'), { registry: 'localhost:5000', repository: 'web', tag: '1.2' });
  assert.deepEqual(parseImage('ghcr.io/acme/web@sha256:abc'), {
    registry: 'ghcr.io',
    repository: 'acme/web',
    digest: 'sha256:abc',
  });
});

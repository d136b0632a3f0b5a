// image-tag-pinned: its failing and passing cases (scripts/rules/images/image-tag-pinned.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { app, context, deployment, lineOf, runRule, single, where } from '../helpers.ts';

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

test('image-tag-pinned: channel tags (alpine, stable, main, nightly) are errors like latest', () => {
  for (const tag of ['alpine', 'stable', 'main', 'nightly']) {
    const yaml = deployment(`image: docker.io/library/redis:${tag}`);
    const findings = runRule('image-tag-pinned', single(yaml, 'w.yaml'));
    assert.deepEqual(where(findings), [['image-tag-pinned', 'w.yaml', lineOf(yaml, 'image: ')]], tag);
    assert.equal(findings[0].severity, 'error', tag);
    assert.match(findings[0].message, new RegExp(`uses the tag "${tag}", a channel its publisher moves`));
  }
});

test('image-tag-pinned: another version-less word (blue, secure-port) is a warning, not an error', () => {
  for (const tag of ['blue', 'secure-port']) {
    const findings = runRule('image-tag-pinned', single(deployment(`image: ghcr.io/acme/web:${tag}`), 'w.yaml'));
    assert.equal(findings.length, 1, tag);
    assert.equal(findings[0].severity, 'warning', tag);
    assert.match(findings[0].message, /names no version/);
  }
});

test('image-tag-pinned: version tags, commit ids and digests pass; an invalid reference is left to image-reference-valid', () => {
  for (const image of [
    'redis:7.2.4',
    'redis:7-alpine',
    'quay.io/gnunn/tools:4.10-1',
    'ghcr.io/acme/web:v2',
    'ghcr.io/acme/web:3f9c2ab',
    `redis@sha256:${'b'.repeat(64)}`,
    '"redis: stable"',
  ])
    assert.deepEqual(runRule('image-tag-pinned', single(deployment(`image: ${image}`))), [], image);
});

// image-reference-valid (scripts/rules/images/image-reference-valid.ts), issue 9: validate flags what
// the generator refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('image-reference-valid: spaces, line breaks, upper case, bad tags and digests are errors on the image line', () => {
  for (const image of [
    '"ghcr.io/acme/web: 1.0"',
    '"ghcr.io/acme/web:1.0\\n"',
    'ghcr.io/Acme/web:1.0',
    'ghcr.io/acme/web:1+0',
    'ghcr.io/acme/web@sha256:xyz',
    '"  "',
  ]) {
    const yaml = deployment(`image: ${image}`);
    const findings = runRule('image-reference-valid', single(yaml, 'w.yaml'));
    assert.deepEqual(where(findings), [['image-reference-valid', 'w.yaml', lineOf(yaml, 'image: ')]], image);
    assert.equal(findings[0].severity, 'error');
    assert.match(findings[0].message, /is not a valid image reference/);
  }
  const long = deployment(`image: ghcr.io/acme/${'a'.repeat(5000)}:1`);
  assert.ok(
    runRule('image-reference-valid', single(long))[0].message.length < 400,
    'a hostile image is not quoted whole',
  );
});

test('image-reference-valid: registries with ports, digests, and parameterised images pass', () => {
  for (const image of [
    'nginx',
    'localhost:5000/acme/web:1.0',
    'ghcr.io/acme/web:1.4.2@sha256:' + 'a'.repeat(64),
    '"$(params.image)"',
    '"${IMAGE}"',
    '[fe80::1]:5000/web:2',
  ])
    assert.deepEqual(runRule('image-reference-valid', single(deployment(`image: ${image}`))), [], image);
});

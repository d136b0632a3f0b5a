// unmasked-proc-mount (scripts/rules/security/unmasked-proc-mount.ts): its failing and passing cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('unmasked-proc-mount: procMount Unmasked is an error on its line; Default passes', () => {
  const yaml = deployment('image: x:1\nsecurityContext:\n  procMount: Unmasked');
  assert.deepEqual(where(runRule('unmasked-proc-mount', single(yaml, 'w.yaml'))), [
    ['unmasked-proc-mount', 'w.yaml', lineOf(yaml, 'procMount')],
  ]);
  assert.deepEqual(
    runRule('unmasked-proc-mount', single(deployment('image: x:1\nsecurityContext: {procMount: Default}'))),
    [],
  );
});

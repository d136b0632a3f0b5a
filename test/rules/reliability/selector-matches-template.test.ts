// selector-matches-template: its failing and passing cases (scripts/rules/reliability/selector-matches-template.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('selector-matches-template: a selector the template labels do not satisfy', () => {
  const yaml = deployment('image: x:1').replace(
    '      labels:\n        app: web',
    '      labels:\n        app: web-v2',
  );
  assert.deepEqual(where(runRule('selector-matches-template', single(yaml, 'base/web.yaml'))), [
    ['selector-matches-template', 'base/web.yaml', lineOf(yaml, 'selector:')],
  ]);
  assert.deepEqual(runRule('selector-matches-template', single(deployment('image: x:1'))), []);
});

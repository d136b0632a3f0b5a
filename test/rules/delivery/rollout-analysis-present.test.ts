// rollout-analysis-present: its failing and passing cases (scripts/rules/delivery/rollout-analysis-present.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, app, lineOf, runRule, single, where } from '../helpers.ts';
import { rollout } from './fixtures.ts';

const unanalysed = rollout('canary:\n  steps:\n    - setWeight: 20\n    - pause: {duration: 10m}');

test('rollout-analysis-present: a prod canary promoted on time alone', () => {
  const findings = runRule('rollout-analysis-present', single(unanalysed, 'overlays/prod/web/rollout.yaml', 'prod'));
  assert.deepEqual(where(findings), [
    ['rollout-analysis-present', 'overlays/prod/web/rollout.yaml', lineOf(unanalysed, 'steps:')],
  ]);
  assert.match(findings[0].message, /in prod without analysis/);
});

test('rollout-analysis-present: a blue-green preview promoted automatically without analysis', () => {
  const yaml = rollout('blueGreen:\n  activeService: web\n  previewService: web-preview');
  assert.deepEqual(where(runRule('rollout-analysis-present', single(yaml, 'p/rollout.yaml', 'prod'))), [
    ['rollout-analysis-present', 'p/rollout.yaml', lineOf(yaml, 'blueGreen:')],
  ]);
  const manual = yaml.replace(
    'previewService: web-preview',
    'previewService: web-preview\n      autoPromotionEnabled: false',
  );
  assert.deepEqual(runRule('rollout-analysis-present', single(manual, 'p/rollout.yaml', 'prod')), []);
});

test('rollout-analysis-present: analysis steps, background analysis and other environments pass', () => {
  const step = unanalysed.replace(
    '- pause: {duration: 10m}',
    '- analysis: {templates: [{templateName: success-rate}]}',
  );
  const background = unanalysed.replace(
    'steps:',
    'analysis: {templates: [{templateName: success-rate}], startingStep: 1}\n      steps:',
  );
  for (const yaml of [step, background])
    assert.deepEqual(runRule('rollout-analysis-present', single(yaml, 'p/rollout.yaml', 'prod')), []);
  assert.deepEqual(runRule('rollout-analysis-present', single(unanalysed, 'd/rollout.yaml', 'dev')), []);
});

test('rollout-analysis-present: options.environments names the environments that must analyse', () => {
  const ctx = context([app({ env: 'live', files: { 'live/web/rollout.yaml': unanalysed } })], {
    lint: { rules: { 'rollout-analysis-present': { severity: 'error', options: { environments: ['live'] } } } },
  } as never);
  assert.equal(runRule('rollout-analysis-present', ctx).length, 1);
});

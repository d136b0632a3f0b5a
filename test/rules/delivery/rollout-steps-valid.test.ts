// rollout-steps-valid: its failing and passing cases (scripts/rules/delivery/rollout-steps-valid.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';
import { rollout } from './fixtures.ts';
import { pauseDurationReadable } from '../../../scripts/rules/delivery/rollout-steps-valid.ts';

const canary = (steps: string, extra = '') => rollout(`canary:\n${extra}  steps:\n${steps.replace(/^/gm, '    ')}`);

test('rollout-steps-valid: a lowered weight, a weight over 100, an unreadable pause, two actions in one step', () => {
  const yaml = canary(`- setWeight: 40
- pause: {duration: 5 min}
- setWeight: 20
- setWeight: 120
- {setWeight: 60, pause: {duration: 1m}}`);
  const findings = runRule('rollout-steps-valid', single(yaml, 'overlays/prod/web/rollout.yaml'));
  assert.deepEqual(where(findings), [
    ['rollout-steps-valid', 'overlays/prod/web/rollout.yaml', lineOf(yaml, '5 min')],
    ['rollout-steps-valid', 'overlays/prod/web/rollout.yaml', lineOf(yaml, 'setWeight: 20')],
    ['rollout-steps-valid', 'overlays/prod/web/rollout.yaml', lineOf(yaml, 'setWeight: 120')],
    ['rollout-steps-valid', 'overlays/prod/web/rollout.yaml', lineOf(yaml, 'setWeight: 60')],
  ]);
  assert.match(findings[1].message, /from 40 \(step 1\) to 20/);
  assert.match(findings[3].message, /setWeight and pause/);
});

test('rollout-steps-valid: maxTrafficWeight is the ceiling; canary-only fields need traffic routing', () => {
  const routed = canary(
    '- setWeight: 20\n- setWeight: 60',
    '  trafficRouting:\n    maxTrafficWeight: 50\n    nginx: {stableIngress: web}\n',
  );
  assert.deepEqual(where(runRule('rollout-steps-valid', single(routed))), [
    ['rollout-steps-valid', 'app/resources.yaml', lineOf(routed, 'setWeight: 60')],
  ]);
  const plain = canary('- setCanaryScale: {weight: 20}\n- setWeight: 20', '  dynamicStableScale: true\n');
  assert.deepEqual(where(runRule('rollout-steps-valid', single(plain))), [
    ['rollout-steps-valid', 'app/resources.yaml', lineOf(plain, 'dynamicStableScale')],
    ['rollout-steps-valid', 'app/resources.yaml', lineOf(plain, 'setCanaryScale')],
  ]);
});

test('rollout-steps-valid: ascending weights, readable pauses, analysis steps and blue-green pass', () => {
  const yaml = canary(`- setWeight: 10
- pause: {duration: 300}
- setWeight: 10
- pause: {duration: "90"}
- setWeight: 50
- pause: {duration: 1h30m}
- analysis: {templates: [{templateName: success-rate}]}
- pause: {}`);
  assert.deepEqual(runRule('rollout-steps-valid', single(yaml)), []);
  assert.deepEqual(runRule('rollout-steps-valid', single(rollout('blueGreen: {activeService: web}'))), []);
});

test('rollout-steps-valid: pause durations as the controller reads them', () => {
  for (const ok of [0, 30, '30', '30s', '5m', '1h30m', '1.5h', '250ms'])
    assert.ok(pauseDurationReadable(ok), String(ok));
  for (const bad of [-1, 1.5, '5 min', '-5m', 'soon', '', true]) assert.ok(!pauseDurationReadable(bad), String(bad));
});

// flagger-analysis-valid: its failing and passing cases (scripts/rules/delivery/flagger-analysis-valid.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';
import { flaggerCanary } from './fixtures.ts';

const PROD = 'overlays/prod/web/canary.yaml';
const withMetrics = (metrics: string) =>
  flaggerCanary(
    `analysis:\n  interval: 1m\n  threshold: 5\n  stepWeight: 10\n  maxWeight: 50\n  metrics:\n${metrics.replace(/^/gm, '    ')}`,
  );

test('flagger-analysis-valid: metrics without thresholds, a custom metric without a template', () => {
  const yaml = withMetrics(`- name: request-success-rate
  interval: 1m
- name: request-duration
  thresholdRange: {}
- name: error-rate
  templateRef: {name: error-rate}
- name: p99-latency
  interval: 1m`);
  const findings = runRule('flagger-analysis-valid', single(yaml, PROD, 'prod'));
  assert.deepEqual(where(findings), [
    ['flagger-analysis-valid', PROD, lineOf(yaml, 'request-success-rate')],
    ['flagger-analysis-valid', PROD, lineOf(yaml, 'request-duration')],
    ['flagger-analysis-valid', PROD, lineOf(yaml, 'name: error-rate')],
    ['flagger-analysis-valid', PROD, lineOf(yaml, 'p99-latency')],
  ]);
  assert.match(findings[0].message, /never halts/);
  assert.match(findings[1].message, /compares it with 0/);
  assert.match(findings[3].message, /no templateRef/);
});

test('flagger-analysis-valid: a production Canary without analysis, with skipAnalysis or with no metrics', () => {
  const none = flaggerCanary();
  assert.deepEqual(where(runRule('flagger-analysis-valid', single(none, PROD, 'prod'))), [
    ['flagger-analysis-valid', PROD, lineOf(none, 'spec:')],
  ]);
  const skipped = withMetrics('- {name: request-success-rate, thresholdRange: {min: 99}}').replace(
    'service: {port: 80}',
    'service: {port: 80}\n  skipAnalysis: true',
  );
  assert.deepEqual(where(runRule('flagger-analysis-valid', single(skipped, PROD, 'prod'))), [
    ['flagger-analysis-valid', PROD, lineOf(skipped, 'skipAnalysis')],
  ]);
  const empty = flaggerCanary('analysis:\n  interval: 1m\n  threshold: 5\n  stepWeight: 10');
  const findings = runRule('flagger-analysis-valid', single(empty, PROD, 'prod'));
  assert.deepEqual(where(findings), [['flagger-analysis-valid', PROD, lineOf(empty, 'analysis:')]]);
  assert.match(findings[0].message, /no metrics/);
  // outside production none of these is required
  assert.deepEqual(runRule('flagger-analysis-valid', single(none, 'overlays/dev/web/canary.yaml', 'dev')), []);
  // the option names the environments
  const ctx = single(none, 'overlays/live/web/canary.yaml', 'live');
  ctx.config = {
    lint: { rules: { 'flagger-analysis-valid': { severity: 'error', options: { environments: ['live'] } } } },
  } as never;
  assert.equal(runRule('flagger-analysis-valid', ctx).length, 1);
});

test('flagger-analysis-valid: bounded built-in metrics, a template with a range, the deprecated threshold pass', () => {
  const yaml = withMetrics(`- {name: request-success-rate, thresholdRange: {min: 99}}
- {name: request-duration, thresholdRange: {max: 500}}
- {name: error-rate, templateRef: {name: error-rate}, thresholdRange: {max: 1}}
- {name: legacy, query: up, threshold: 2}`);
  assert.deepEqual(runRule('flagger-analysis-valid', single(yaml, PROD, 'prod')), []);
});

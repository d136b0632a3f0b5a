// rollout-analysis-exists: its failing and passing cases (scripts/rules/delivery/rollout-analysis-exists.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, context, lineOf, runRule, single, where } from '../helpers.ts';
import { analysisTemplate, docs, partialScope, rollout } from './fixtures.ts';

const withAnalysis = (analysis: string) =>
  rollout(`canary:\n  steps:\n    - setWeight: 20\n    - analysis:\n${analysis.replace(/^/gm, '        ')}`);

test('rollout-analysis-exists: a misspelt template, a cluster template that is missing, a required argument not passed', () => {
  const first = withAnalysis(
    'templates:\n  - templateName: sucess-rate\n  - {templateName: latency, clusterScope: true}',
  );
  const second = withAnalysis('templates:\n  - templateName: success-rate').replace('name: web,', 'name: api,');
  const yaml = docs(first, second, analysisTemplate('success-rate', ['service-name']));
  const findings = runRule('rollout-analysis-exists', single(yaml, 'overlays/prod/web/rollout.yaml'));
  assert.deepEqual(where(findings), [
    ['rollout-analysis-exists', 'overlays/prod/web/rollout.yaml', lineOf(yaml, 'sucess-rate')],
    ['rollout-analysis-exists', 'overlays/prod/web/rollout.yaml', lineOf(yaml, 'templateName: latency')],
    ['rollout-analysis-exists', 'overlays/prod/web/rollout.yaml', lineOf(yaml, 'templateName: success-rate')],
  ]);
  assert.match(findings[1].message, /ClusterAnalysisTemplate "latency"/);
  assert.match(findings[2].message, /without its argument "service-name"/);
});

test('rollout-analysis-exists: templates in the environment, arguments passed or defaulted, blue-green analyses', () => {
  const step = withAnalysis('templates:\n  - templateName: success-rate\nargs:\n  - {name: service-name, value: web}');
  const clusterTemplate = `apiVersion: argoproj.io/v1alpha1
kind: ClusterAnalysisTemplate
metadata: {name: latency}
spec:
  args:
    - {name: quantile, value: "0.99"}
  metrics:
    - {name: p99, provider: {prometheus: {address: http://prometheus:9090, query: up}}}
`;
  const blueGreen = rollout(
    'blueGreen:\n  activeService: web\n  prePromotionAnalysis: {templates: [{templateName: latency, clusterScope: true}]}',
  ).replace('name: web,', 'name: api,');
  const ctx = context([
    app({ env: 'prod', files: { 'overlays/prod/web/rollout.yaml': docs(step, blueGreen) } }),
    app({
      env: 'prod',
      files: {
        'overlays/prod/analysis/templates.yaml': docs(
          analysisTemplate('success-rate', ['service-name']),
          clusterTemplate,
        ),
      },
    }),
  ]);
  assert.deepEqual(runRule('rollout-analysis-exists', ctx), []);
});

test('rollout-analysis-exists: quiet where part of the scope could not be rendered (the template may be in it)', () => {
  const yaml = withAnalysis('templates:\n  - templateName: success-rate');
  assert.equal(runRule('rollout-analysis-exists', single(yaml)).length, 1);
  assert.deepEqual(runRule('rollout-analysis-exists', partialScope(yaml)), []);
});

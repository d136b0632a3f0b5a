// flagger-refs-exist: its failing and passing cases (scripts/rules/delivery/flagger-refs-exist.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';
import { deploymentYaml, docs, flaggerCanary, hpaYaml, partialScope } from './fixtures.ts';

const analysis = `autoscalerRef: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: web-hpa}
analysis:
  interval: 1m
  threshold: 5
  metrics:
    - name: error-rate
      templateRef: {name: error-rate, namespace: monitoring}
      thresholdRange: {max: 1}
    - name: request-success-rate
      thresholdRange: {min: 99}
  alerts:
    - name: on-call
      severity: error
      providerRef: {name: slack}`;

const metricTemplate = (namespace: string) => `apiVersion: flagger.app/v1beta1
kind: MetricTemplate
metadata: {name: error-rate, namespace: ${namespace}}
spec:
  provider: {type: prometheus, address: http://prometheus.monitoring:9090}
  query: up
`;
const alertProvider = `apiVersion: flagger.app/v1beta1
kind: AlertProvider
metadata: {name: slack, namespace: shop}
spec: {type: slack, channel: releases}
`;

test('flagger-refs-exist: a missing target, autoscaler, MetricTemplate (in the namespace named) and AlertProvider', () => {
  const canary = flaggerCanary(analysis);
  // the template is deployed, but in the Canary's namespace, not the one templateRef names
  const yaml = docs(canary, metricTemplate('shop'));
  const findings = runRule('flagger-refs-exist', single(yaml, 'overlays/prod/web/canary.yaml'));
  assert.deepEqual(where(findings), [
    ['flagger-refs-exist', 'overlays/prod/web/canary.yaml', lineOf(yaml, 'targetRef')],
    ['flagger-refs-exist', 'overlays/prod/web/canary.yaml', lineOf(yaml, 'autoscalerRef')],
    ['flagger-refs-exist', 'overlays/prod/web/canary.yaml', lineOf(yaml, 'templateRef')],
    ['flagger-refs-exist', 'overlays/prod/web/canary.yaml', lineOf(yaml, 'providerRef')],
  ]);
  assert.match(findings[0].message, /Deployment "web" as its targetRef/);
  assert.match(findings[2].message, /MetricTemplate "monitoring\/error-rate"/);
  assert.match(findings[3].message, /AlertProvider "slack"/);
});

test('flagger-refs-exist: everything named deployed passes; a partial scope says nothing', () => {
  const yaml = docs(
    flaggerCanary(analysis),
    deploymentYaml('web'),
    hpaYaml('web-hpa', 'web'),
    metricTemplate('monitoring'),
    alertProvider,
  );
  assert.deepEqual(runRule('flagger-refs-exist', single(yaml)), []);
  assert.deepEqual(runRule('flagger-refs-exist', partialScope(flaggerCanary(analysis))), []);
  // an Argo Rollouts object of the same kind name is not Flagger's
  const argo = flaggerCanary(analysis).replace('flagger.app/v1beta1', 'argoproj.io/v1alpha1');
  assert.deepEqual(runRule('flagger-refs-exist', single(argo)), []);
});

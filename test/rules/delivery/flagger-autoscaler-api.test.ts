// flagger-autoscaler-api: its failing and passing cases (scripts/rules/delivery/flagger-autoscaler-api.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';
import { flaggerCanary } from './fixtures.ts';

const canary = (apiVersion: string) =>
  flaggerCanary(`autoscalerRef: {apiVersion: ${apiVersion}, kind: HorizontalPodAutoscaler, name: web}`);

test('flagger-autoscaler-api: autoscaling/v2beta2 in the autoscalerRef, removed in Kubernetes 1.26', () => {
  const yaml = canary('autoscaling/v2beta2');
  const findings = runRule('flagger-autoscaler-api', single(yaml));
  assert.deepEqual(where(findings), [['flagger-autoscaler-api', 'app/resources.yaml', lineOf(yaml, 'autoscalerRef')]]);
  assert.equal(findings[0].severity, 'warning');
  assert.match(findings[0].message, /no longer serves \(removed in 1\.26\)/);
});

test('flagger-autoscaler-api: autoscaling/v2, and v2beta2 on a cluster older than 1.26, pass', () => {
  assert.deepEqual(runRule('flagger-autoscaler-api', single(canary('autoscaling/v2'))), []);
  const old = single(canary('autoscaling/v2beta2'));
  old.kubernetesVersion = '1.25';
  assert.deepEqual(runRule('flagger-autoscaler-api', old), []);
});

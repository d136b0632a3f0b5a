// flagger-primary-scaler: its failing and passing cases (scripts/rules/delivery/flagger-primary-scaler.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';
import { docs, flaggerCanary, hpaYaml, scaledObjectYaml } from './fixtures.ts';

test('flagger-primary-scaler: an HPA on the primary, a ScaledObject on the target the Canary does not name', () => {
  const yaml = docs(
    flaggerCanary(),
    hpaYaml('web-primary', 'web-primary'),
    flaggerCanary('', 'orders'),
    scaledObjectYaml('orders', 'orders'),
  );
  const findings = runRule('flagger-primary-scaler', single(yaml));
  assert.deepEqual(where(findings), [
    ['flagger-primary-scaler', 'app/resources.yaml', lineOf(yaml, 'name: web-primary}')],
    ['flagger-primary-scaler', 'app/resources.yaml', lineOf(yaml, 'scaleTargetRef: {name: orders}')],
  ]);
  assert.match(findings[0].message, /the primary Flagger's Canary "web" runs/);
  assert.match(findings[1].message, /does not name it in autoscalerRef/);
});

test('flagger-primary-scaler: the autoscalerRef on the target passes, as do HPAs of workloads no Canary releases', () => {
  const yaml = docs(
    flaggerCanary('autoscalerRef: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: web}'),
    hpaYaml('web', 'web'),
    hpaYaml('api', 'api'),
    hpaYaml('api-primary', 'api-primary'),
  );
  assert.deepEqual(runRule('flagger-primary-scaler', single(yaml)), []);
});

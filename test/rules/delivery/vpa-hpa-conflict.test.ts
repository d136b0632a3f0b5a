// vpa-hpa-conflict: its failing and passing cases (scripts/rules/delivery/vpa-hpa-conflict.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';
import { deploymentYaml, docs, hpaYaml, scaledObjectYaml } from './fixtures.ts';

const vpa = (target: string, spec = '') => `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {name: ${target}, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
${spec ? spec.replace(/^/gm, '  ') + '\n' : ''}`;
const cpu = '- type: Resource\n  resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}';
const rps =
  '- type: Pods\n  pods: {metric: {name: http_requests_per_second}, target: {type: AverageValue, averageValue: "100"}}';

test('vpa-hpa-conflict: a VPA in Auto beside a CPU HPA, one with the default mode beside an HPA without metrics, one beside a KEDA cpu trigger', () => {
  const yaml = docs(
    vpa('web', 'updatePolicy: {updateMode: Auto}'),
    hpaYaml('web', 'web', cpu),
    vpa('api'),
    hpaYaml('api', 'api'),
    vpa('orders', 'updatePolicy: {updateMode: Initial}'),
    scaledObjectYaml('orders', 'orders', '').replace(
      '    - type: kafka',
      '    - type: memory\n      metricType: Utilization\n      metadata: {value: "80"}\n    - type: kafka',
    ),
  );
  const findings = runRule('vpa-hpa-conflict', single(yaml));
  assert.deepEqual(where(findings), [
    ['vpa-hpa-conflict', 'app/resources.yaml', lineOf(yaml, 'name: web}')],
    ['vpa-hpa-conflict', 'app/resources.yaml', lineOf(yaml, 'kind: Deployment, name: api}')],
    ['vpa-hpa-conflict', 'app/resources.yaml', lineOf(yaml, 'kind: Deployment, name: orders}')],
  ]);
  assert.match(findings[0].message, /sets the cpu requests/);
  assert.match(findings[2].message, /ScaledObject "orders" scales on memory/);
});

test('vpa-hpa-conflict: recommend-only, another resource, another metric, containers in mode Off pass', () => {
  const yaml = docs(
    vpa('web', 'updatePolicy: {updateMode: "Off"}'),
    hpaYaml('web', 'web', cpu),
    vpa('api', 'resourcePolicy:\n  containerPolicies:\n    - {containerName: "*", controlledResources: [memory]}'),
    hpaYaml('api', 'api', cpu),
    vpa('cart'),
    hpaYaml('cart', 'cart', rps),
    deploymentYaml('stock'),
    vpa('stock', 'resourcePolicy:\n  containerPolicies:\n    - {containerName: stock, mode: "Off"}'),
    hpaYaml('stock', 'stock', cpu),
  );
  assert.deepEqual(runRule('vpa-hpa-conflict', single(yaml)), []);
});

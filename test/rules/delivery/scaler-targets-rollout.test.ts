// scaler-targets-rollout: its failing and passing cases (scripts/rules/delivery/scaler-targets-rollout.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';
import { deploymentYaml, docs, rollout } from './fixtures.ts';

const borrowing = rollout('canary:\n  steps: [{setWeight: 10}]', {
  spec: 'workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web, scaleDown: progressively}',
});
const hpa = (target: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: ${target}
  minReplicas: 2
  maxReplicas: 6
`;
const scaledObject = (target: string) => `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: ${target}
  triggers:
    - {type: cpu, metricType: Utilization, metadata: {value: "70"}}
`;

test('scaler-targets-rollout: an HPA and a ScaledObject left on the borrowed Deployment, an HPA naming the Rollout in apps/v1', () => {
  const yaml = docs(
    borrowing,
    deploymentYaml('web'),
    hpa('{apiVersion: apps/v1, kind: Deployment, name: web}'),
    scaledObject('{name: web}'),
    hpa('{apiVersion: apps/v1, kind: Rollout, name: web}').replace(
      'name: web, namespace',
      'name: web-rollout, namespace',
    ),
  );
  const findings = runRule('scaler-targets-rollout', single(yaml));
  assert.deepEqual(where(findings), [
    [
      'scaler-targets-rollout',
      'app/resources.yaml',
      lineOf(yaml, 'scaleTargetRef: {apiVersion: apps/v1, kind: Deployment'),
    ],
    ['scaler-targets-rollout', 'app/resources.yaml', lineOf(yaml, 'scaleTargetRef: {name: web}')],
    ['scaler-targets-rollout', 'app/resources.yaml', lineOf(yaml, 'kind: Rollout, name: web}')],
  ]);
  assert.match(findings[1].message, /ScaledObject "web" scales Deployment "web"/);
});

test('scaler-targets-rollout: autoscalers on the Rollout, or on a Deployment no Rollout borrows, pass', () => {
  const yaml = docs(
    borrowing,
    deploymentYaml('web'),
    hpa('{apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web}'),
    deploymentYaml('api'),
    scaledObject('{name: api}').replace('name: web,', 'name: api,'),
  );
  assert.deepEqual(runRule('scaler-targets-rollout', single(yaml)), []);
});

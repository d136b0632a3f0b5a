// replicas-spread (scripts/rules/reliability/replicas-spread.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('replicas-spread: 2+ replicas (or an HPA with minReplicas 2+) without anti-affinity or spread are reported', () => {
  const yaml = deployment('image: x:1', { spec: 'replicas: 3' });
  const findings = runRule('replicas-spread', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [['replicas-spread', 'w.yaml', lineOf(yaml, '    spec:')]]);
  assert.match(findings[0].message, /runs 3 replicas with no pod anti-affinity/);
  const hpa = `${deployment('image: x:1', { spec: 'replicas: 1' })}---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
`;
  assert.equal(runRule('replicas-spread', single(hpa)).length, 1);
});

test('replicas-spread: one replica, topology spread or anti-affinity pass', () => {
  assert.deepEqual(runRule('replicas-spread', single(deployment('image: x:1', { spec: 'replicas: 1' }))), []);
  const spread = deployment('image: x:1', {
    spec: 'replicas: 3',
    podSpec:
      'topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway}]',
  });
  assert.deepEqual(runRule('replicas-spread', single(spread)), []);
  const affinity = deployment('image: x:1', {
    spec: 'replicas: 3',
    podSpec:
      'affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, podAffinityTerm: {topologyKey: kubernetes.io/hostname}}]}}',
  });
  assert.deepEqual(runRule('replicas-spread', single(affinity)), []);
});

test("replicas-spread: a Flagger target counts its primary's replicas (primaryScalerReplicas), not its own", () => {
  const canary = (min: number) => `---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  autoscalerRef:
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    name: web
    primaryScalerReplicas: {minReplicas: ${min}, maxReplicas: 4}
  service: {port: 80}
  analysis: {interval: 1m, threshold: 5, stepWeight: 10}
`;
  const yaml = deployment('image: x:1', { spec: 'replicas: 3' });
  assert.deepEqual(runRule('replicas-spread', single(yaml + canary(1))), []);
  const findings = runRule('replicas-spread', single(yaml + canary(2)));
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /runs 2 replicas/);
});

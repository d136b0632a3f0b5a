// pdb-present: its failing and passing cases (scripts/rules/reliability/pdb-present.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, runRule, single, where } from '../helpers.ts';

const pdb = (spec: string) => `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  ${spec}
  selector:
    matchLabels: {app: web}
`;

test('pdb-present: several pods and no PodDisruptionBudget; a matching PDB passes', () => {
  const yaml = deployment('image: x:1', { spec: 'replicas: 3' });
  assert.deepEqual(where(runRule('pdb-present', single(yaml, 'base/web.yaml'))), [['pdb-present', 'base/web.yaml', 4]]);
  assert.deepEqual(runRule('pdb-present', single(yaml + pdb('maxUnavailable: 1'))), []);
  assert.deepEqual(runRule('pdb-present', single(deployment('image: x:1', { spec: 'replicas: 1' }))), []);
});

const flaggerCanary = (extra = '') => `---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
${extra}  service: {port: 80}
  analysis: {interval: 1m, threshold: 5, stepWeight: 10}
`;

test("pdb-present: a Flagger target is covered by a PDB of its primary's relabelled pods (app: web-primary); a PDB of other pods is not", () => {
  const yaml = deployment('image: x:1', { spec: 'replicas: 3' }) + flaggerCanary();
  const primaryPdb = pdb('maxUnavailable: 1').replace('{app: web}', '{app: web-primary}');
  assert.deepEqual(runRule('pdb-present', single(yaml + primaryPdb)), []);
  const otherPdb = pdb('maxUnavailable: 1').replace('{app: web}', '{app: api-primary}');
  assert.deepEqual(where(runRule('pdb-present', single(yaml + otherPdb, 'base/web.yaml'))), [
    ['pdb-present', 'base/web.yaml', 4],
  ]);
  // without a Canary the -primary budget selects nothing of this Deployment
  assert.equal(
    runRule('pdb-present', single(deployment('image: x:1', { spec: 'replicas: 3' }) + primaryPdb)).length,
    1,
  );
});

test('pdb-present: the primary of a Flagger target runs primaryScalerReplicas: one pod needs no budget', () => {
  const canary = flaggerCanary(
    '  autoscalerRef:\n    apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    name: web\n    primaryScalerReplicas: {minReplicas: 1, maxReplicas: 1}\n',
  );
  assert.deepEqual(runRule('pdb-present', single(deployment('image: x:1', { spec: 'replicas: 3' }) + canary)), []);
});

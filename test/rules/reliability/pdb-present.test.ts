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

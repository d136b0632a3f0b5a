// pdb-not-blocking: its failing and passing cases (scripts/rules/reliability/pdb-not-blocking.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

const pdb = (spec: string) => `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  ${spec}
  selector:
    matchLabels: {app: web}
`;

test('pdb-not-blocking: maxUnavailable 0 and minAvailable at the replica count block drains', () => {
  const zero = deployment('image: x:1', { spec: 'replicas: 3' }) + pdb('maxUnavailable: 0');
  assert.deepEqual(where(runRule('pdb-not-blocking', single(zero, 'base/web.yaml'))), [
    ['pdb-not-blocking', 'base/web.yaml', lineOf(zero, 'maxUnavailable: 0')],
  ]);
  const all = deployment('image: x:1', { spec: 'replicas: 2' }) + pdb('minAvailable: 2');
  const findings = runRule('pdb-not-blocking', single(all, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['pdb-not-blocking', 'base/web.yaml', lineOf(all, 'minAvailable: 2')]]);
  assert.match(findings[0].message, /requires 2 available pods but Deployment "web" runs 2/);
  assert.deepEqual(
    runRule('pdb-not-blocking', single(deployment('image: x:1', { spec: 'replicas: 3' }) + pdb('minAvailable: 2'))),
    [],
  );
});

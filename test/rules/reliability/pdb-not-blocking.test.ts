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

test("pdb-not-blocking: KEDA's minReplicaCount is the count, and a workload that scales from zero is blocked from its first pod; one fixed at zero pods is not", () => {
  const scaledObject = (range: string) => `---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: web}
spec:
  scaleTargetRef: {name: web}
  ${range}
  triggers:
    - type: kafka
      metadata: {topic: orders, lagThreshold: "50"}
`;
  const web = deployment('image: x:1', { spec: 'replicas: 1' });
  assert.deepEqual(
    runRule(
      'pdb-not-blocking',
      single(web + scaledObject('minReplicaCount: 3\n  maxReplicaCount: 10') + pdb('minAvailable: 2')),
    ),
    [],
  );
  const fromZero = runRule(
    'pdb-not-blocking',
    single(web + scaledObject('minReplicaCount: 0\n  maxReplicaCount: 10') + pdb('minAvailable: 1')),
  );
  assert.equal(fromZero.length, 1);
  assert.match(fromZero[0].message, /runs as few as 1 \(it scales from zero\)/);
  const parked = deployment('image: x:1', { spec: 'replicas: 0' }) + pdb('minAvailable: 1');
  assert.deepEqual(runRule('pdb-not-blocking', single(parked)), []);
});

test('pdb-not-blocking: a budget over several workloads it blocks is one finding, naming the first and counting the rest', () => {
  const both = { spec: 'replicas: 1', labels: 'app: web' };
  const text =
    deployment('image: x:1', both) +
    '---\n' +
    deployment('image: x:1', { ...both, name: 'api' }) +
    pdb('minAvailable: 1');
  const findings = runRule('pdb-not-blocking', single(text, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['pdb-not-blocking', 'base/web.yaml', lineOf(text, 'minAvailable: 1')]]);
  assert.match(findings[0].message, /but Deployment "web" runs 1 \(and 1 more it blocks\); it blocks every node drain/);
});

// The rules that count pods follow the workload that owns them: a Deployment a Rollout borrows
// (workloadRef) runs the Rollout's count, and a KEDA ScaledObject's minReplicaCount is the minimum.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../rules/helpers.ts';
import { deploymentYaml, docs, rollout } from '../rules/delivery/fixtures.ts';

const borrowing = rollout('canary:\n  steps: [{setWeight: 10}]', {
  spec: 'workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web, scaleDown: progressively}',
});
const rolloutHpa = (min: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web}
  minReplicas: ${min}
  maxReplicas: 6
`;
const scaledObject = (min: number) => `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: worker, namespace: shop}
spec:
  scaleTargetRef: {name: worker}
  minReplicaCount: ${min}
  maxReplicaCount: 20
  triggers:
    - {type: rabbitmq, metadata: {queueName: orders, mode: QueueLength, value: "20"}}
`;
const pdb = (app: string, minAvailable: number) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: ${app}, namespace: shop}
spec:
  minAvailable: ${minAvailable}
  selector: {matchLabels: {app: ${app}}}
`;

test('replicas-minimum: a Deployment a Rollout borrows is counted as the Rollout, once', () => {
  const ok = docs(borrowing, deploymentYaml('web'), rolloutHpa(2));
  assert.deepEqual(runRule('replicas-minimum', single(ok, 'overlays/prod/web/all.yaml', 'prod')), []);
  const low = docs(borrowing, deploymentYaml('web'), rolloutHpa(1));
  assert.deepEqual(where(runRule('replicas-minimum', single(low, 'overlays/prod/web/all.yaml', 'prod'))), [
    ['replicas-minimum', 'overlays/prod/web/all.yaml', lineOf(low, 'minReplicas: 1')],
  ]);
});

test('replicas-minimum: a ScaledObject sets the minimum', () => {
  const yaml = docs(deploymentYaml('worker'), scaledObject(1));
  const findings = runRule('replicas-minimum', single(yaml, 'overlays/prod/worker/all.yaml', 'prod'));
  assert.deepEqual(where(findings), [
    ['replicas-minimum', 'overlays/prod/worker/all.yaml', lineOf(yaml, 'minReplicaCount')],
  ]);
  assert.match(findings[0].message, /a ScaledObject with minReplicaCount 1/);
  assert.deepEqual(
    runRule('replicas-minimum', single(docs(deploymentYaml('worker'), scaledObject(2)), 'p/a.yaml', 'prod')),
    [],
  );
});

test('pdb-not-blocking: minReplicaCount against the PDB, and the Rollout that owns the pods', () => {
  const blocking = docs(deploymentYaml('worker'), scaledObject(1), pdb('worker', 1));
  const findings = runRule('pdb-not-blocking', single(blocking));
  assert.deepEqual(where(findings), [['pdb-not-blocking', 'app/resources.yaml', lineOf(blocking, 'minAvailable')]]);
  assert.match(findings[0].message, /runs 1/);
  assert.deepEqual(
    runRule('pdb-not-blocking', single(docs(deploymentYaml('worker'), scaledObject(3), pdb('worker', 1)))),
    [],
  );
  // The Deployment a Rollout borrows has no HPA of its own: the Rollout's minReplicas count.
  assert.deepEqual(
    runRule('pdb-not-blocking', single(docs(borrowing, deploymentYaml('web'), rolloutHpa(3), pdb('web', 2)))),
    [],
  );
});

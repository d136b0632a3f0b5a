// rollout-workload-ref: its failing and passing cases (scripts/rules/delivery/rollout-workload-ref.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';
import { deploymentYaml, docs, partialScope, rollout } from './fixtures.ts';

const borrowing = (ref: string, name = 'web') =>
  rollout('canary:\n  steps: [{setWeight: 10}]', { name, spec: `workloadRef: {apiVersion: apps/v1, ${ref}}` });

test('rollout-workload-ref: a Deployment still running beside the Rollout, one not deployed, a selector that misses', () => {
  const yaml = docs(
    borrowing('kind: Deployment, name: web'),
    deploymentYaml('web', 'replicas: 3'),
    borrowing('kind: Deployment, name: gone', 'api'),
    borrowing('kind: Deployment, name: cart, scaleDown: onsuccess', 'basket'),
    deploymentYaml('cart'),
  );
  const findings = runRule('rollout-workload-ref', single(yaml));
  assert.deepEqual(where(findings), [
    ['rollout-workload-ref', 'app/resources.yaml', lineOf(yaml, 'replicas: 3')],
    ['rollout-workload-ref', 'app/resources.yaml', lineOf(yaml, 'name: gone')],
    ['rollout-workload-ref', 'app/resources.yaml', lineOf(yaml, 'matchLabels: {app: basket}')],
  ]);
  assert.match(findings[0].message, /keeps 3 replicas beside Rollout "web"/);
  // With no replicas at all the Deployment runs its default one.
  const defaulted = runRule(
    'rollout-workload-ref',
    single(docs(borrowing('kind: Deployment, name: web'), deploymentYaml('web'))),
  );
  assert.match(defaulted[0].message, /default 1 replica/);
});

test('rollout-workload-ref: a template beside the reference, a kind that cannot lend one', () => {
  const both = rollout('canary:\n  steps: [{setWeight: 10}]').replace(
    '  template:',
    '  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  template:',
  );
  assert.match(runRule('rollout-workload-ref', single(both))[0].message, /both a template and a workloadRef/);
  const statefulSet = borrowing('kind: StatefulSet, name: db');
  assert.deepEqual(where(runRule('rollout-workload-ref', single(statefulSet))), [
    ['rollout-workload-ref', 'app/resources.yaml', lineOf(statefulSet, 'kind: StatefulSet')],
  ]);
});

test('rollout-workload-ref: a Deployment at zero, or scaled down by the controller, passes', () => {
  const zero = docs(borrowing('kind: Deployment, name: web'), deploymentYaml('web', 'replicas: 0'));
  const progressive = docs(borrowing('kind: Deployment, name: web, scaleDown: progressively'), deploymentYaml('web'));
  for (const yaml of [zero, progressive]) assert.deepEqual(runRule('rollout-workload-ref', single(yaml)), []);
});

test('rollout-workload-ref: a borrowed Deployment is not reported missing where part of the scope could not be rendered', () => {
  const yaml = borrowing('kind: Deployment, name: web, scaleDown: progressively');
  assert.equal(runRule('rollout-workload-ref', single(yaml)).length, 1);
  assert.deepEqual(runRule('rollout-workload-ref', partialScope(yaml)), []);
});

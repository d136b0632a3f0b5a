// pdb-selects-pods (scripts/rules/cross-resource/pdb-selects-pods.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

const pdb = (selector: string, namespace = 'shop') => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: ${namespace}
spec:
  maxUnavailable: 1
  selector: ${selector}
`;
const web = deployment('image: x:1').replace('name: web\n', 'name: web\n  namespace: shop\n');

test('pdb-selects-pods: a selector that matches no pod of its namespace is reported', () => {
  const yaml = `${web}---\n${pdb('{matchExpressions: [{key: app, operator: In, values: [api]}]}')}`;
  const findings = runRule('pdb-selects-pods', single(yaml, 'pdb.yaml'));
  assert.deepEqual(where(findings), [['pdb-selects-pods', 'pdb.yaml', lineOf(yaml, 'selector: {matchExpressions')]]);
  assert.match(findings[0].message, /selects app In \(api\)/);
});

test('pdb-selects-pods: matching pods, or a namespace without workloads here, pass', () => {
  assert.deepEqual(runRule('pdb-selects-pods', single(`${web}---\n${pdb('{matchLabels: {app: web}}')}`)), []);
  assert.deepEqual(runRule('pdb-selects-pods', single(`${web}---\n${pdb('{matchLabels: {app: x}}', 'other')}`)), []);
});

test('pdb-selects-pods: Exists and DoesNotExist test the pods own labels, not properties every object inherits', () => {
  const exists = `${web}---\n${pdb('{matchExpressions: [{key: constructor, operator: Exists}]}')}`;
  assert.deepEqual(where(runRule('pdb-selects-pods', single(exists, 'pdb.yaml'))), [
    ['pdb-selects-pods', 'pdb.yaml', lineOf(exists, 'selector: {matchExpressions')],
  ]);
  const doesNotExist = `${web}---\n${pdb('{matchLabels: {app: web}, matchExpressions: [{key: toString, operator: DoesNotExist}]}')}`;
  assert.deepEqual(runRule('pdb-selects-pods', single(doesNotExist)), []);
});

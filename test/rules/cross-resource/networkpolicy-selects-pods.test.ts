// networkpolicy-selects-pods (scripts/rules/cross-resource/networkpolicy-selects-pods.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

const policy = (selector: string, namespace = 'shop') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: ${namespace}
spec:
  podSelector: ${selector}
  policyTypes: [Ingress]
`;
const web = deployment('image: x:1').replace('name: web\n', 'name: web\n  namespace: shop\n');

test('networkpolicy-selects-pods: a selector no pod of its namespace carries is reported on podSelector', () => {
  const yaml = `${web}---\n${policy('{matchLabels: {app: webb}}')}`;
  const findings = runRule('networkpolicy-selects-pods', single(yaml, 'np.yaml'));
  assert.deepEqual(where(findings), [['networkpolicy-selects-pods', 'np.yaml', lineOf(yaml, 'podSelector')]]);
  assert.match(findings[0].message, /selects app=webb, which no workload's pods/);
});

test('networkpolicy-selects-pods: matching pods, an empty selector, and a namespace the repository runs nothing in pass', () => {
  assert.deepEqual(
    runRule('networkpolicy-selects-pods', single(`${web}---\n${policy('{matchLabels: {app: web}}')}`)),
    [],
  );
  assert.deepEqual(runRule('networkpolicy-selects-pods', single(`${web}---\n${policy('{}')}`)), []);
  const operator = `${web}---\n${policy('{matchLabels: {app: operator}}', 'openshift-operators')}`;
  assert.deepEqual(runRule('networkpolicy-selects-pods', single(operator)), []);
});

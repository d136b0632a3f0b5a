// networkpolicy-default-deny: its failing and passing cases (scripts/rules/cross-resource/networkpolicy-default-deny.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { app, context, deployment, runRule, single, where } from '../helpers.ts';

const web = deployment('ports: [{name: http, containerPort: 8080}]');

test('networkpolicy-default-deny: per environment and namespace; the policy may live in the namespaces app', () => {
  const ns = web.replace('name: web\n', 'name: web\n  namespace: shop\n');
  const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
  const deny = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;
  const without = context([
    app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': ns } }),
    app({ env: 'prod', files: { 'overlays/prod/namespaces/ns.yaml': namespace } }),
  ]);
  assert.deepEqual(where(runRule('networkpolicy-default-deny', without)), [
    ['networkpolicy-default-deny', 'overlays/prod/namespaces/ns.yaml', 4],
  ]);
  const withPolicy = context([
    without.apps[0],
    app({ env: 'prod', files: { 'overlays/prod/namespaces/ns.yaml': namespace + deny } }),
  ]);
  assert.deepEqual(runRule('networkpolicy-default-deny', withPolicy), []);
  const allowAll = deny.replace('policyTypes: [Ingress]', 'policyTypes: [Ingress]\n  ingress: [{}]');
  assert.equal(
    runRule(
      'networkpolicy-default-deny',
      context([
        without.apps[0],
        app({ env: 'prod', files: { 'overlays/prod/namespaces/ns.yaml': namespace + allowAll } }),
      ]),
    ).length,
    1,
  );
});

const inNamespace = (namespace: string) =>
  deployment('image: x:1').replace('name: web\n', `name: web\n  namespace: ${namespace}\n`);

test('networkpolicy-default-deny: workloads in kube-* and openshift-* namespaces are not reported', () => {
  for (const namespace of ['openshift-gitops', 'kube-system', 'openshift'])
    assert.deepEqual(runRule('networkpolicy-default-deny', single(inNamespace(namespace))), [], namespace);
});

test('networkpolicy-default-deny: a team namespace, even one named like a system prefix, is still reported', () => {
  assert.equal(runRule('networkpolicy-default-deny', single(inNamespace('shop'))).length, 1);
  assert.equal(runRule('networkpolicy-default-deny', single(inNamespace('kubernetes-dashboard'))).length, 1);
});

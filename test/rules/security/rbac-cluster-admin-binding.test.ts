// rbac-cluster-admin-binding (scripts/rules/security/rbac-cluster-admin-binding.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';

const binding = (kind: string, role: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: deployer
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ${role}
subjects:
  - kind: ServiceAccount
    name: deployer
    namespace: ci
`;

test('rbac-cluster-admin-binding: ClusterRoleBindings and RoleBindings to cluster-admin are reported on roleRef.name', () => {
  const yaml = binding('ClusterRoleBinding', 'cluster-admin');
  const findings = runRule('rbac-cluster-admin-binding', single(yaml, 'rbac.yaml'));
  assert.deepEqual(where(findings), [['rbac-cluster-admin-binding', 'rbac.yaml', lineOf(yaml, 'name: cluster-admin')]]);
  assert.match(findings[0].message, /grants cluster-admin on the whole cluster to ServiceAccount deployer/);
  assert.match(
    runRule('rbac-cluster-admin-binding', single(binding('RoleBinding', 'cluster-admin')))[0].message,
    /namespace shop/,
  );
});

test('rbac-cluster-admin-binding: a binding to another role passes', () => {
  assert.deepEqual(runRule('rbac-cluster-admin-binding', single(binding('RoleBinding', 'edit'))), []);
});

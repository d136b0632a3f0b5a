// powerful-service-account-token (scripts/rules/security/powerful-service-account-token.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

const role = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules:
  - {apiGroups: [""], resources: [secrets], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: web}]
`;

test('powerful-service-account-token: a pod whose account is bound to a role that reads Secrets, or to edit, is reported', () => {
  const yaml =
    deployment('image: x:1', { podSpec: 'serviceAccountName: web' }).replace(
      'name: web\n',
      'name: web\n  namespace: shop\n',
    ) +
    '---\n' +
    role;
  const findings = runRule('powerful-service-account-token', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [
    ['powerful-service-account-token', 'w.yaml', lineOf(yaml, 'serviceAccountName: web') - 1],
  ]);
  assert.match(findings[0].message, /RoleBinding "web-reader" binds it to Role "reader", which can read Secrets/);
  const edit =
    deployment('image: x:1', { podSpec: 'serviceAccountName: web' }) +
    '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: w}\nroleRef: {kind: ClusterRole, name: edit, apiGroup: rbac.authorization.k8s.io}\nsubjects: [{kind: ServiceAccount, name: web, namespace: shop}]\n';
  assert.match(runRule('powerful-service-account-token', single(edit))[0].message, /built-in edit ClusterRole/);
});

test('powerful-service-account-token: no automount, or a binding to a harmless role, passes', () => {
  const off =
    deployment('image: x:1', { podSpec: 'serviceAccountName: web\nautomountServiceAccountToken: false' }) +
    '---\n' +
    role;
  assert.deepEqual(runRule('powerful-service-account-token', single(off)), []);
  const view =
    deployment('image: x:1', { podSpec: 'serviceAccountName: web' }) + '---\n' + role.replace('secrets', 'configmaps');
  assert.deepEqual(runRule('powerful-service-account-token', single(view)), []);
});

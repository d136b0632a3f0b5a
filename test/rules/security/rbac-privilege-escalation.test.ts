// rbac-privilege-escalation (scripts/rules/security/rbac-privilege-escalation.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';

test('rbac-privilege-escalation: reading Secrets, exec, creating workloads and binding roles are reported per rule', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ops
  namespace: shop
rules:
  - apiGroups: [""]
    resources: [secrets, configmaps]
    verbs: [list]
  - apiGroups: [""]
    resources: [pods/exec]
    verbs: [create]
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [patch]
  - apiGroups: [rbac.authorization.k8s.io]
    resources: [clusterroles]
    verbs: [bind]
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get]
`;
  const findings = runRule('rbac-privilege-escalation', single(yaml, 'rbac.yaml'));
  assert.deepEqual(
    where(findings),
    [
      ['rbac-privilege-escalation', 'rbac.yaml', lineOf(yaml, 'resources: [secrets')],
      ['rbac-privilege-escalation', 'rbac.yaml', lineOf(yaml, 'pods/exec')],
      ['rbac-privilege-escalation', 'rbac.yaml', lineOf(yaml, 'deployments')],
      ['rbac-privilege-escalation', 'rbac.yaml', lineOf(yaml, 'clusterroles')],
    ].map(([rule, file, line]) => [rule, file, (line as number) - 1]),
  );
  assert.match(findings[0].message, /read Secrets/);
  assert.match(findings[2].message, /create deployments/);
});

test('rbac-privilege-escalation: resourceNames-limited rules, read-only access to other kinds and wildcards (rbac-no-wildcards) pass', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules:
  - {apiGroups: [""], resources: [secrets], resourceNames: [tls], verbs: [get]}
  - {apiGroups: ["", apps], resources: [pods, deployments], verbs: [get, list, watch]}
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
`;
  assert.deepEqual(runRule('rbac-privilege-escalation', single(yaml)), []);
});

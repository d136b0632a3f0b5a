// Security rules: each with a failing and a passing fixture, asserting rule, file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from './rules/helpers.ts';

const hardened = deployment(
  `image: ghcr.io/acme/web:1.0.0
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities: {drop: [ALL]}`,
  { podSpec: 'automountServiceAccountToken: false\nsecurityContext: {runAsNonRoot: true, runAsUser: 10001}' },
);

test('a hardened pod passes every security rule', () => {
  for (const id of [
    'run-as-non-root',
    'no-privilege-escalation',
    'read-only-root-fs',
    'drop-all-capabilities',
    'no-privileged',
    'no-host-namespaces',
    'no-host-path',
    'service-account-token',
    'no-default-namespace',
  ]) {
    assert.deepEqual(runRule(id, single(hardened)), [], id);
  }
});

test('run-as-non-root: runAsUser 0 on the container, or nothing set', () => {
  const root = hardened.replace(
    'allowPrivilegeEscalation: false',
    'allowPrivilegeEscalation: false\n            runAsUser: 0',
  );
  assert.deepEqual(where(runRule('run-as-non-root', single(root, 'base/web.yaml'))), [
    ['run-as-non-root', 'base/web.yaml', lineOf(root, 'runAsUser: 0')],
  ]);
  const unset = deployment('image: x:1');
  assert.deepEqual(where(runRule('run-as-non-root', single(unset, 'base/web.yaml'))), [
    ['run-as-non-root', 'base/web.yaml', lineOf(unset, '- name: app')],
  ]);
});

test('no-privilege-escalation, read-only-root-fs, drop-all-capabilities: reported on the securityContext field', () => {
  const weak = deployment(`securityContext:
  allowPrivilegeEscalation: true
  readOnlyRootFilesystem: false
  capabilities: {drop: [NET_RAW]}`);
  assert.deepEqual(where(runRule('no-privilege-escalation', single(weak, 'w.yaml'))), [
    ['no-privilege-escalation', 'w.yaml', lineOf(weak, 'allowPrivilegeEscalation')],
  ]);
  assert.deepEqual(where(runRule('read-only-root-fs', single(weak, 'w.yaml'))), [
    ['read-only-root-fs', 'w.yaml', lineOf(weak, 'readOnlyRootFilesystem')],
  ]);
  assert.deepEqual(where(runRule('drop-all-capabilities', single(weak, 'w.yaml'))), [
    ['drop-all-capabilities', 'w.yaml', lineOf(weak, 'capabilities')],
  ]);
});

test('no-privileged: privileged: true is an error', () => {
  const yaml = deployment('securityContext:\n  privileged: true');
  const findings = runRule('no-privileged', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [['no-privileged', 'w.yaml', lineOf(yaml, 'privileged: true')]]);
  assert.equal(findings[0].severity, 'error');
});

test('no-host-namespaces: hostNetwork and hostPID', () => {
  const yaml = deployment('image: x:1', { podSpec: 'hostNetwork: true\nhostPID: true\nhostIPC: false' });
  assert.deepEqual(where(runRule('no-host-namespaces', single(yaml, 'w.yaml'))), [
    ['no-host-namespaces', 'w.yaml', lineOf(yaml, 'hostNetwork')],
    ['no-host-namespaces', 'w.yaml', lineOf(yaml, 'hostPID')],
  ]);
});

test('no-host-path: a hostPath volume is reported on the volume', () => {
  const yaml = deployment('image: x:1', {
    podSpec: 'volumes:\n  - name: docker\n    hostPath: {path: /var/run/docker.sock}\n  - name: tmp\n    emptyDir: {}',
  });
  const findings = runRule('no-host-path', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [['no-host-path', 'w.yaml', lineOf(yaml, 'hostPath')]]);
  assert.match(findings[0].message, /\/var\/run\/docker.sock/);
});

test('service-account-token: a mounted token nobody grants anything; a bound service account passes', () => {
  const yaml = deployment('image: x:1', { podSpec: 'serviceAccountName: web' });
  assert.deepEqual(where(runRule('service-account-token', single(yaml, 'w.yaml'))), [
    ['service-account-token', 'w.yaml', lineOf(yaml, '    spec:')],
  ]);
  const bound =
    yaml +
    `---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
subjects:
  - {kind: ServiceAccount, name: web}
`;
  assert.deepEqual(runRule('service-account-token', single(bound)), []);
  const accountOff =
    yaml +
    `---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
automountServiceAccountToken: false
`;
  assert.deepEqual(runRule('service-account-token', single(accountOff)), []);
});

test('rbac-no-wildcards: "*" verbs and resources', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - apiGroups: [""]
    resources: ["*"]
    verbs: ["*"]
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [get, list]
`;
  assert.deepEqual(where(runRule('rbac-no-wildcards', single(yaml, 'rbac.yaml'))), [
    ['rbac-no-wildcards', 'rbac.yaml', 6],
    ['rbac-no-wildcards', 'rbac.yaml', 7],
  ]);
  assert.deepEqual(runRule('rbac-no-wildcards', single(yaml.replace(/\["\*"\]/g, '[pods]'))), []);
});

test('no-default-namespace: an explicit "default" namespace; no namespace passes', () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\n';
  assert.deepEqual(where(runRule('no-default-namespace', single(yaml, 'cm.yaml'))), [
    ['no-default-namespace', 'cm.yaml', 5],
  ]);
  assert.deepEqual(runRule('no-default-namespace', single(yaml.replace('  namespace: default\n', ''))), []);
});

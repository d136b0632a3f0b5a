// no-default-namespace: its failing and passing cases (scripts/rules/security/no-default-namespace.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineOf, runRule, single, where } from '../helpers.ts';

test('no-default-namespace: an explicit "default" namespace; no namespace passes', () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\n';
  assert.deepEqual(where(runRule('no-default-namespace', single(yaml, 'cm.yaml'))), [
    ['no-default-namespace', 'cm.yaml', 5],
  ]);
  assert.deepEqual(runRule('no-default-namespace', single(yaml.replace('  namespace: default\n', ''))), []);
});

test('no-default-namespace: a ClusterRole, and a CRD-declared cluster-scoped kind, with namespace default pass', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader, namespace: default}
rules: []
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.acme.io}
spec:
  group: acme.io
  scope: Cluster
  names: {kind: Widget, plural: widgets}
  versions: [{name: v1, served: true, storage: true}]
---
apiVersion: acme.io/v1
kind: Widget
metadata: {name: w, namespace: default}
`;
  assert.deepEqual(runRule('no-default-namespace', single(yaml)), []);
});

test('no-default-namespace: a namespaced object in default is still reported', () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n';
  assert.deepEqual(where(runRule('no-default-namespace', single(yaml, 'c.yaml'))), [
    ['no-default-namespace', 'c.yaml', lineOf(yaml, 'namespace: default')],
  ]);
});

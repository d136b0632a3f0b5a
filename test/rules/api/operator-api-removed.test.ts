// operator-api-removed (scripts/rules/api/operator-api-removed.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';

const externalSecret = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: ExternalSecret
metadata: {name: db}
spec:
  secretStoreRef: {name: vault, kind: ClusterSecretStore}
  target: {name: db}
`;

test('operator-api-removed: an ExternalSecret at v1beta1 and a cert-manager v1alpha2 Issuer are reported on apiVersion', () => {
  const yaml = externalSecret('external-secrets.io/v1beta1');
  const findings = runRule('operator-api-removed', single(yaml, 'es.yaml'));
  assert.deepEqual(where(findings), [['operator-api-removed', 'es.yaml', lineOf(yaml, 'apiVersion')]]);
  assert.match(
    findings[0].message,
    /External Secrets Operator no longer serves since 0.17.0; use external-secrets.io\/v1/,
  );
  const issuer =
    'apiVersion: cert-manager.io/v1alpha2\nkind: Issuer\nmetadata: {name: ca}\nspec: {ca: {secretName: ca}}\n';
  assert.equal(runRule('operator-api-removed', single(issuer)).length, 1);
});

test('operator-api-removed: current versions, kinds a fact does not list, and a shipped CRD that still serves the version pass', () => {
  assert.deepEqual(runRule('operator-api-removed', single(externalSecret('external-secrets.io/v1'))), []);
  const push = 'apiVersion: external-secrets.io/v1alpha1\nkind: PushSecret\nmetadata: {name: p}\n';
  assert.deepEqual(runRule('operator-api-removed', single(push)), []);
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: externalsecrets.external-secrets.io}
spec:
  group: external-secrets.io
  names: {kind: ExternalSecret, plural: externalsecrets}
  scope: Namespaced
  versions:
    - {name: v1beta1, served: true, storage: true}
`;
  assert.deepEqual(
    runRule('operator-api-removed', single(`${externalSecret('external-secrets.io/v1beta1')}---\n${crd}`)),
    [],
  );
});

// sealed-secret-scope: its failing and passing cases (scripts/rules/delivery/sealed-secret-scope.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';
import { docs } from './fixtures.ts';

const sealed = (
  name: string,
  namespace: string,
  sealedAs: string,
  sealedIn: string,
  annotations = '',
) => `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: ${name}
  namespace: ${namespace}
${annotations ? `  annotations: {${annotations}}\n` : ''}spec:
  encryptedData:
    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq
  template:
    metadata: {name: ${sealedAs}, namespace: ${sealedIn}}
`;

test('sealed-secret-scope: a namePrefix on a strict SealedSecret, a namespace change on a namespace-wide one', () => {
  const yaml = docs(
    sealed('prod-db', 'shop', 'db', 'shop'),
    sealed('api-token', 'shop-prod', 'api-token', 'shop', 'sealedsecrets.bitnami.com/namespace-wide: "true"'),
  );
  const findings = runRule('sealed-secret-scope', single(yaml));
  assert.deepEqual(where(findings), [
    ['sealed-secret-scope', 'app/resources.yaml', lineOf(yaml, 'name: prod-db')],
    ['sealed-secret-scope', 'app/resources.yaml', lineOf(yaml, 'namespace: shop-prod')],
  ]);
  assert.match(findings[0].message, /sealed as "db" \(strict scope\)/);
  assert.match(findings[1].message, /sealed for "shop" \(namespace-wide scope\)/);
});

test('sealed-secret-scope: the sealed name and namespace, a rename in a wider scope, no recorded scope pass', () => {
  const unrecorded = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: prod-db, namespace: shop}
spec:
  encryptedData: {password: AgBy3i4OJSWK}
`;
  const yaml = docs(
    sealed('db', 'shop', 'db', 'shop'),
    sealed('prod-token', 'shop', 'token', 'shop', 'sealedsecrets.bitnami.com/namespace-wide: "true"'),
    sealed('prod-key', 'other', 'key', 'shop', 'sealedsecrets.bitnami.com/cluster-wide: "true"'),
    unrecorded,
  );
  assert.deepEqual(runRule('sealed-secret-scope', single(yaml)), []);
});

// no-plaintext-secrets: its failing and passing cases (scripts/rules/secrets/no-plaintext-secrets.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoLeak, runRule, single, where } from '../helpers.ts';

test('no-plaintext-secrets: data and stringData are errors that name keys but never values', () => {
  const yaml = `apiVersion: v1
kind: Secret
metadata: {name: db}
type: Opaque
data:
  password: aHVudGVyMg==
stringData:
  username: shop-admin
`;
  const findings = runRule('no-plaintext-secrets', single(yaml, 'base/db-secret.yaml'));
  assert.deepEqual(where(findings), [
    ['no-plaintext-secrets', 'base/db-secret.yaml', 5],
    ['no-plaintext-secrets', 'base/db-secret.yaml', 7],
  ]);
  assert.equal(findings[0].severity, 'error');
  assert.match(findings[0].message, /"password"/);
  assertNoLeak(findings, 'aHVudGVyMg==', 'hunter2', 'shop-admin');
});

test('no-plaintext-secrets: SOPS-encrypted files, SealedSecrets, ExternalSecrets and empty Secrets pass', () => {
  const sops = `apiVersion: v1
kind: Secret
metadata: {name: db}
data:
  password: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]
sops:
  version: 3.8.1
`;
  const sealed = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db}
spec:
  encryptedData: {password: AgBy8hCi8DCK0aDfF1e0}
`;
  const tokenSecret = `apiVersion: v1
kind: Secret
metadata:
  name: build-robot
  annotations: {kubernetes.io/service-account.name: build-robot}
type: kubernetes.io/service-account-token
`;
  for (const yaml of [sops, sealed, tokenSecret]) assert.deepEqual(runRule('no-plaintext-secrets', single(yaml)), []);
});

test('no-plaintext-secrets: a Secret whose values only point somewhere (a token file path, a URL without credentials) holds no credential', () => {
  const path = Buffer.from('/var/run/secrets/kubernetes.io/serviceaccount/token').toString('base64');
  const yaml = (extra = '') => `apiVersion: v1
kind: Secret
metadata: {name: gateway}
data:
  token: ${path}
stringData:
  endpoint: https://loki.example.com/api
${extra}`;
  assert.deepEqual(runRule('no-plaintext-secrets', single(yaml())), []);
  // A credential beside them is still reported, naming only its key.
  const findings = runRule('no-plaintext-secrets', single(yaml('  password: hunter2hunter2\n')));
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /key "password"/);
});

// secret-ref-exists: its failing and passing cases (scripts/rules/secrets/secret-ref-exists.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('secret-ref-exists: missing Secret, missing key, and every kind of provider', () => {
  const yaml =
    deployment(
      `env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef: {name: postgres, key: pasword}
  - name: API_TOKEN
    valueFrom:
      secretKeyRef: {name: api-token, key: token}
  - name: OPTIONAL
    valueFrom:
      secretKeyRef: {name: nowhere, key: x, optional: true}
envFrom:
  - configMapRef: {name: web-config}
  - secretRef: {name: sealed}`,
      {
        podSpec:
          'volumes:\n  - name: tls\n    secret: {secretName: web-tls}\n  - name: files\n    configMap:\n      name: files\n      items: [{key: missing.conf, path: a.conf}]',
      },
    ) +
    `---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: postgres-external}
spec:
  target: {name: postgres}
  data:
    - secretKey: password
      remoteRef: {key: shop/db, property: password}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config-5f7h9g2k8m}
data: {LOG_LEVEL: info}
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: sealed}
spec:
  encryptedData: {token: AgBy8hCi}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web}
spec:
  secretName: web-tls
---
apiVersion: v1
kind: ConfigMap
metadata: {name: files}
data: {app.conf: "x=1"}
`;
  const findings = runRule('secret-ref-exists', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [
    ['secret-ref-exists', 'base/web.yaml', lineOf(yaml, 'missing.conf')],
    ['secret-ref-exists', 'base/web.yaml', lineOf(yaml, 'key: pasword')],
    ['secret-ref-exists', 'base/web.yaml', lineOf(yaml, 'name: api-token')],
  ]);
  assert.match(
    findings[1].message,
    /key "pasword" of Secret "postgres", which has no such key \(keys: password; defined by ExternalSecret "postgres-external"\)/,
  );
  assert.match(findings[2].message, /Secret "api-token", which nothing in this environment defines/);
  const fixed = yaml
    .replace('pasword', 'password')
    .replace('missing.conf', 'app.conf')
    .replace('{name: api-token, key: token}', '{name: sealed, key: token}');
  assert.deepEqual(runRule('secret-ref-exists', single(fixed)), []);
});

const consumer = (secret: string, key = 'tls.crt') =>
  deployment(`image: x:1
env:
  - name: VALUE
    valueFrom:
      secretKeyRef: {name: ${secret}, key: ${key}}`);

test('secret-ref-exists: an OpenShift serving-cert annotation, a Job that runs kubectl create secret, and an operator resource create Secrets', () => {
  const service = `---
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations: {service.beta.openshift.io/serving-cert-secret-name: web-tls}
spec: {selector: {app: web}, ports: [{port: 443}]}
`;
  assert.deepEqual(runRule('secret-ref-exists', single(consumer('web-tls') + service)), []);
  assert.equal(runRule('secret-ref-exists', single(consumer('web-tls', 'password') + service)).length, 1, 'keys known');
  const job = `---
apiVersion: batch/v1
kind: Job
metadata: {name: make-token}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: make
          image: x:1
          command: [/bin/sh, -c, "TOKEN=$(fetch) && oc create secret generic api-token --from-literal=token=$TOKEN -n shop"]
`;
  assert.deepEqual(runRule('secret-ref-exists', single(consumer('api-token', 'token') + job)), []);
  const kafka = `---
apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata: {name: events}
spec: {}
`;
  assert.deepEqual(runRule('secret-ref-exists', single(consumer('events-cluster-ca-cert', 'ca.crt') + kafka)), []);
});

test('secret-ref-exists: optional references pass; an unknown name is an error; an operator-made fixed name elsewhere is info', () => {
  const optional = deployment(`image: x:1
envFrom: [{secretRef: {name: extra, optional: true}}]`);
  assert.deepEqual(runRule('secret-ref-exists', single(optional)), []);
  const yaml =
    consumer('central-htpasswd', 'password') +
    '---\n' +
    consumer('central-htpasswds', 'password').replace(/web/g, 'api');
  const findings = runRule('secret-ref-exists', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [
    ['secret-ref-exists', 'w.yaml', lineOf(yaml, 'name: central-htpasswd,')],
    ['secret-ref-exists', 'w.yaml', lineOf(yaml, 'name: central-htpasswds,')],
  ]);
  assert.deepEqual(
    findings.map((f) => f.severity),
    ['info', 'error'],
  );
  assert.match(findings[0].message, /StackRox \(RHACS\) operator's Central creates/);
});

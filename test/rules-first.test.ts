// The three rules the users named first: probes-differ, resources-set (+ requests-within-limits),
// no-plaintext-secrets (+ no-secret-literals).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, assertNoLeak, context, deployment, lineOf, runRule, single, where } from './rules/helpers.ts';

const service = `---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

test('probes-differ: the same HTTP check for liveness and readiness is reported on livenessProbe', () => {
  const yaml = deployment(`image: ghcr.io/acme/web:1.0.0
ports: [{name: http, containerPort: 8080}]
livenessProbe:
  httpGet: {path: /health, port: http}
  periodSeconds: 20
readinessProbe:
  httpGet: {path: /health, port: 8080}`);
  const findings = runRule('probes-differ', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['probes-differ', 'base/web.yaml', lineOf(yaml, 'livenessProbe')]]);
  assert.match(findings[0].message, /same check \(HTTP GET \/health on port 8080\)/);
  assert.match(findings[0].message, /database/);
});

test('probes-differ: TCP, exec and gRPC checks compare too; different checks pass', () => {
  const tcp = deployment(`ports: [{containerPort: 6379, name: redis}]
livenessProbe: {tcpSocket: {port: redis}}
readinessProbe: {tcpSocket: {port: 6379}}`);
  assert.equal(runRule('probes-differ', single(tcp)).length, 1);
  const exec = deployment(`ports: [{containerPort: 5432}]
livenessProbe: {exec: {command: [pg_isready]}}
readinessProbe: {exec: {command: [pg_isready]}}`);
  assert.equal(runRule('probes-differ', single(exec)).length, 1);
  const grpc = deployment(`ports: [{containerPort: 9000}]
livenessProbe: {grpc: {port: 9000}}
readinessProbe: {grpc: {port: 9000, service: readiness}}`);
  assert.deepEqual(runRule('probes-differ', single(grpc)), []);
  const good = deployment(`ports: [{name: http, containerPort: 8080}]
livenessProbe: {httpGet: {path: /livez, port: http}}
readinessProbe: {httpGet: {path: /readyz, port: http}}`);
  assert.deepEqual(runRule('probes-differ', single(good)), []);
});

test('probes-differ and probes-present ignore Jobs and workloads that serve nothing', () => {
  const job = `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      containers:
        - name: migrate
          ports: [{containerPort: 8080}]
          livenessProbe: {tcpSocket: {port: 8080}}
          readinessProbe: {tcpSocket: {port: 8080}}
`;
  assert.deepEqual(runRule('probes-differ', single(job)), []);
  assert.deepEqual(runRule('probes-present', single(job)), []);
  const worker = deployment('image: ghcr.io/acme/worker:1.0.0', { name: 'worker' });
  assert.deepEqual(runRule('probes-present', single(worker)), []);
});

test('probes-present: a container selected by a Service without probes is reported on its name', () => {
  const yaml =
    deployment('image: ghcr.io/acme/web:1.0.0\nreadinessProbe: {httpGet: {path: /readyz, port: 8080}}') + service;
  const findings = runRule('probes-present', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['probes-present', 'base/web.yaml', lineOf(yaml, '- name: app')]]);
  assert.match(findings[0].message, /no livenessProbe/);
  const good =
    deployment(
      'livenessProbe: {httpGet: {path: /livez, port: 8080}}\nreadinessProbe: {httpGet: {path: /readyz, port: 8080}}',
    ) + service;
  assert.deepEqual(runRule('probes-present', single(good)), []);
});

test('resources-set: every container, init containers included, needs CPU and memory requests and limits', () => {
  const yaml = deployment(
    `image: ghcr.io/acme/web:1.0.0
resources:
  requests: {cpu: 100m, memory: 128Mi}
  limits: {memory: 256Mi}`,
    { podSpec: `initContainers:\n  - name: migrate\n    image: ghcr.io/acme/migrate:1.0.0` },
  );
  const findings = runRule('resources-set', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [
    ['resources-set', 'base/web.yaml', lineOf(yaml, '- name: migrate')],
    ['resources-set', 'base/web.yaml', lineOf(yaml, 'resources:')],
  ]);
  assert.match(
    findings[0].message,
    /Init container "migrate" sets no requests.cpu, requests.memory, limits.memory, limits.cpu/,
  );
  assert.match(findings[1].message, /Container "app" sets no limits.cpu\./);
});

test('resources-set: complete resources pass; requireCpuLimit: false and LimitRange defaults are honoured', () => {
  const complete = deployment(`resources:
  requests: {cpu: 100m, memory: 128Mi}
  limits: {cpu: 500m, memory: 256Mi}`);
  assert.deepEqual(runRule('resources-set', single(complete)), []);
  const noCpuLimit = deployment(`resources:
  requests: {cpu: 100m, memory: 128Mi}
  limits: {memory: 256Mi}`);
  const config = { lint: { rules: { 'resources-set': { options: { requireCpuLimit: false } } } } };
  assert.deepEqual(runRule('resources-set', context(single(noCpuLimit).apps, config)), []);
  const bare = deployment('image: ghcr.io/acme/web:1.0.0').replace('name: web\n', 'name: web\n  namespace: shop\n');
  const limitRange = `apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: shop}
spec:
  limits:
    - type: Container
      default: {cpu: 500m, memory: 256Mi}
      defaultRequest: {cpu: 100m, memory: 128Mi}
`;
  const ctx = context([
    app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': bare } }),
    app({ env: 'prod', files: { 'overlays/prod/namespaces/limits.yaml': limitRange } }),
  ]);
  assert.deepEqual(runRule('resources-set', ctx), []);
  // the LimitRange of another environment does not count
  const otherEnv = context([
    app({ env: 'dev', files: { 'overlays/dev/web/web.yaml': bare } }),
    app({ env: 'prod', files: { 'overlays/prod/namespaces/limits.yaml': limitRange } }),
  ]);
  assert.equal(runRule('resources-set', otherEnv).length, 1);
});

test('requests-within-limits: a request above its limit is reported on the request', () => {
  const yaml = deployment(`resources:
  requests: {cpu: "1", memory: 128Mi}
  limits: {cpu: 500m, memory: 1Gi}`);
  const findings = runRule('requests-within-limits', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['requests-within-limits', 'base/web.yaml', lineOf(yaml, 'requests:')]]);
  assert.equal(findings[0].path?.at(-1), 'cpu');
  const good = deployment(`resources:
  requests: {cpu: 500m, memory: 1Gi}
  limits: {cpu: "1", memory: 1024Mi}`);
  assert.deepEqual(runRule('requests-within-limits', single(good)), []);
});

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

test('no-secret-literals: connection strings, keys and tokens are found in env, args, ConfigMaps and annotations, masked', () => {
  const password = 's3cr3t-Pa55';
  const githubToken = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
  const yaml =
    deployment(`image: ghcr.io/acme/web:1.0.0
args: ["--db-password=${password}", "--port=8080"]
env:
  - name: DATABASE_URL
    value: postgresql://shop:${password}@postgres:5432/shop
  - name: SAFE_URL
    value: postgresql://shop:$(DB_PASSWORD)@postgres:5432/shop
  - name: GITHUB_TOKEN
    value: ${githubToken}
  - name: TOKEN_FILE
    value: /var/run/secrets/token`) +
    `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  annotations:
    slack-webhook: https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX
data:
  application.properties: |
    spring.datasource.url=jdbc:postgresql://postgres:5432/shop
    spring.datasource.password=${password}
  LOG_LEVEL: info
`;
  const findings = runRule('no-secret-literals', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [
    ['no-secret-literals', 'base/web.yaml', lineOf(yaml, '--db-password')],
    ['no-secret-literals', 'base/web.yaml', lineOf(yaml, 'value: postgresql://shop:s3cr3t')],
    ['no-secret-literals', 'base/web.yaml', lineOf(yaml, 'value: ghp_')],
    ['no-secret-literals', 'base/web.yaml', lineOf(yaml, 'slack-webhook')],
    ['no-secret-literals', 'base/web.yaml', lineOf(yaml, 'application.properties')],
  ]);
  assert.match(findings[1].message, /postgresql:\/\/ connection string with a password/);
  assert.match(findings[2].message, /GitHub token/);
  assertNoLeak(findings, password, githubToken, 'XXXXXXXXXXXXXXXXXXXXXXXX');
});

test('no-secret-literals: placeholders, references and ordinary settings pass', () => {
  const yaml = deployment(`env:
  - name: DB_PASSWORD
    valueFrom: {secretKeyRef: {name: db, key: password}}
  - name: DATABASE_URL
    value: postgres://shop:\${DB_PASSWORD}@postgres:5432/shop
  - name: AUTH_ENABLED
    value: "true"
  - name: SECRET_NAME
    value: shop-db
  - name: API_KEY_PATH
    value: /etc/keys/api
  - name: OTEL_EXPORTER_OTLP_ENDPOINT
    value: http://collector:4317
  - name: REDIS_PASSWORD
    value: "{{ .Values.redis.password }}"
  - name: SESSION_TOKEN_TTL
    value: 3600s`);
  assert.deepEqual(runRule('no-secret-literals', single(yaml)), []);
});

// no-secret-literals: its failing and passing cases (scripts/rules/secrets/no-secret-literals.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoLeak, deployment, lineOf, runRule, single, where } from '../helpers.ts';

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

const job = (script: string) =>
  deployment(
    `image: x:1
command:
  - /bin/bash
  - -c
  - |
${script
  .trim()
  .split('\n')
  .map((line) => `    ${line}`)
  .join('\n')}`,
  );

test('no-secret-literals: computed values and prose in a script are not literals', () => {
  const yaml = job(`
PASSWORD=$(oc get secret argocd-cluster -o jsonpath="{.data.admin\\.password}" | base64 -d)
TOKEN=\`cat /var/run/token\`
export API_KEY="\${API_KEY:-}"
ADMIN_PASSWORD=$ADMIN_PASSWORD
PASSWORD="not set"
argocd login --password \${PASSWORD} argocd-server`);
  assert.deepEqual(runRule('no-secret-literals', single(yaml)), []);
});

test('no-secret-literals: a literal password assigned in a script, or a token inside code, is still found', () => {
  const password = 'hunter2-Zq9';
  const token = 'ghp_' + 'Z1y2X3w4V5u6T7s8R9q0P1o2N3m4L5k6J7i8';
  const yaml = job(`
export DB_PASSWORD=${password}
curl -H "Authorization: token ${token}" https://api.github.com/user`);
  const findings = runRule('no-secret-literals', single(yaml, 'job.yaml'));
  assert.deepEqual(where(findings), [['no-secret-literals', 'job.yaml', lineOf(yaml, '- |')]]);
  assertNoLeak(findings, password, token);
});

test("no-secret-literals: secretlint's credential patterns are found, in plain or base64-encoded values, never quoted", () => {
  const npm = 'npm_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
  const github = 'ghp_' + 'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8';
  const encoded = Buffer.from(`token=${github}`).toString('base64');
  const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: build
  annotations:
    ci.example.com/registry-auth: ${encoded}
data:
  NPMRC: ${npm}
  GREETING: ${Buffer.from('hello world, nothing secret here').toString('base64')}
`;
  const findings = runRule('no-secret-literals', single(yaml, 'cm.yaml'));
  assert.deepEqual(where(findings), [
    ['no-secret-literals', 'cm.yaml', lineOf(yaml, 'registry-auth')],
    ['no-secret-literals', 'cm.yaml', lineOf(yaml, 'NPMRC')],
  ]);
  assert.match(findings[0].message, /a GitHub token \(base64-encoded\)/);
  assert.match(findings[1].message, /an npm token/);
  assertNoLeak(findings, npm, github, encoded, encoded.slice(8, 24));
});

test('no-secret-literals: a ConfigMap line with a long run of spaces in its value is read at once', () => {
  // The line regex this rule used took 54 s on 5,000 spaces and grew as their cube.
  const line = `a=x${' '.repeat(100_000)}y`;
  const yaml = `apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data:
  app.properties: ${JSON.stringify(`${line}\nspring.datasource.password=s3cr3t-Pa55${' '.repeat(100_000)},\n`)}
`;
  const findings = runRule('no-secret-literals', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['no-secret-literals', 'base/web.yaml', lineOf(yaml, 'app.properties')]]);
  assertNoLeak(findings, 's3cr3t-Pa55');
});

// Cross-resource and cross-environment rules: references between objects, across apps and environments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, context, deployment, lineOf, runRule, single, where } from './rules/helpers.ts';

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

const service = (selector: string, ports = '[{port: 80, targetPort: http}]') => `---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: ${selector}
  ports: ${ports}
`;
const web = deployment('ports: [{name: http, containerPort: 8080}]');

test('service-selects-pods: a selector no pod carries; pods in another app of the environment count', () => {
  const yaml = web + service('{app: web-server}');
  assert.deepEqual(where(runRule('service-selects-pods', single(yaml, 'base/web.yaml'))), [
    ['service-selects-pods', 'base/web.yaml', lineOf(yaml, 'selector: {app: web-server}')],
  ]);
  assert.deepEqual(runRule('service-selects-pods', single(web + service('{app: web}'))), []);
  const split = context([
    app({ env: 'prod', files: { 'overlays/prod/web/deploy.yaml': web } }),
    app({ env: 'prod', files: { 'overlays/prod/edge/svc.yaml': service('{app: web}') } }),
  ]);
  assert.deepEqual(runRule('service-selects-pods', split), []);
});

test('service-target-port-exists: a named targetPort the pods do not declare; numeric ports when ports are declared', () => {
  const named = web + service('{app: web}', '[{port: 80, targetPort: web}]');
  assert.deepEqual(where(runRule('service-target-port-exists', single(named, 'w.yaml'))), [
    ['service-target-port-exists', 'w.yaml', lineOf(named, 'targetPort: web')],
  ]);
  const numeric = web + service('{app: web}', '[{port: 80, targetPort: 9090}]');
  assert.equal(runRule('service-target-port-exists', single(numeric)).length, 1);
  assert.deepEqual(
    runRule('service-target-port-exists', single(web + service('{app: web}', '[{port: 80, targetPort: 8080}]'))),
    [],
  );
  assert.deepEqual(runRule('service-target-port-exists', single(web + service('{app: web}'))), []);
});

const ingress = (backend: string, tls = '') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:${tls}
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${backend}
                port: {name: http}
`;

test('ingress-backend-exists: a missing Service or port', () => {
  const svc = service('{app: web}', '[{name: http, port: 80, targetPort: http}]');
  const missing = ingress('web-svc') + svc;
  assert.deepEqual(where(runRule('ingress-backend-exists', single(missing, 'ing.yaml'))), [
    ['ingress-backend-exists', 'ing.yaml', lineOf(missing, 'name: web-svc')],
  ]);
  const badPort = ingress('web') + svc.replace('name: http, ', 'name: web, ');
  assert.match(
    runRule('ingress-backend-exists', single(badPort))[0].message,
    /port "http" of Service "web", which has no such port/,
  );
  assert.deepEqual(runRule('ingress-backend-exists', single(ingress('web') + svc)), []);
});

test('ingress-tls: no tls section, and a host tls does not cover; a wildcard covers one label', () => {
  const plain = ingress('web');
  assert.deepEqual(where(runRule('ingress-tls', single(plain, 'ing.yaml'))), [
    ['ingress-tls', 'ing.yaml', lineOf(plain, 'rules:')],
  ]);
  const other = ingress('web', '\n  tls:\n    - hosts: [api.example.com]\n      secretName: api-tls');
  assert.deepEqual(where(runRule('ingress-tls', single(other, 'ing.yaml'))), [
    ['ingress-tls', 'ing.yaml', lineOf(other, 'host: shop')],
  ]);
  assert.deepEqual(
    runRule('ingress-tls', single(ingress('web', '\n  tls:\n    - hosts: ["*.example.com"]\n      secretName: wild'))),
    [],
  );
});

test('networkpolicy-default-deny: per environment and namespace; the policy may live in the namespaces app', () => {
  const ns = web.replace('name: web\n', 'name: web\n  namespace: shop\n');
  const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
  const deny = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;
  const without = context([
    app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': ns } }),
    app({ env: 'prod', files: { 'overlays/prod/namespaces/ns.yaml': namespace } }),
  ]);
  assert.deepEqual(where(runRule('networkpolicy-default-deny', without)), [
    ['networkpolicy-default-deny', 'overlays/prod/namespaces/ns.yaml', 4],
  ]);
  const withPolicy = context([
    without.apps[0],
    app({ env: 'prod', files: { 'overlays/prod/namespaces/ns.yaml': namespace + deny } }),
  ]);
  assert.deepEqual(runRule('networkpolicy-default-deny', withPolicy), []);
  const allowAll = deny.replace('policyTypes: [Ingress]', 'policyTypes: [Ingress]\n  ingress: [{}]');
  assert.equal(
    runRule(
      'networkpolicy-default-deny',
      context([
        without.apps[0],
        app({ env: 'prod', files: { 'overlays/prod/namespaces/ns.yaml': namespace + allowAll } }),
      ]),
    ).length,
    1,
  );
});

test('duplicate-resource: two apps of one environment deploy the same object; other environments do not collide', () => {
  const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
  const ctx = context([
    app({ env: 'prod', files: { 'overlays/prod/web/ns.yaml': namespace } }),
    app({ env: 'prod', files: { 'overlays/prod/api/ns.yaml': namespace } }),
    app({ env: 'dev', files: { 'overlays/dev/api/ns.yaml': namespace } }),
  ]);
  const findings = runRule('duplicate-resource', ctx);
  assert.deepEqual(where(findings), [
    ['duplicate-resource', 'overlays/prod/api/ns.yaml', 4],
    ['duplicate-resource', 'overlays/prod/web/ns.yaml', 4],
  ]);
  assert.match(findings[0].message, /also deployed by overlays\/prod\/web/);
  assert.deepEqual(runRule('duplicate-resource', context([ctx.apps[0], ctx.apps[2]])), []);
});

test('env-consistency: a missing environment, prod below staging, a different image repository', () => {
  const sized = (replicas: number, image: string) => deployment(`image: ${image}`, { spec: `replicas: ${replicas}` });
  const apps = [
    app({ env: 'dev', files: { 'overlays/dev/web/web.yaml': sized(1, 'ghcr.io/acme/web:1.5.0') } }),
    app({ env: 'staging', files: { 'overlays/staging/web/web.yaml': sized(3, 'ghcr.io/acme/web:1.4.2') } }),
    app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': sized(2, 'docker.io/acme/web:1.4.1') } }),
    app({ env: 'dev', files: { 'overlays/dev/api/api.yaml': sized(1, 'ghcr.io/acme/api:2.0.0') } }),
    app({ env: 'staging', files: { 'overlays/staging/api/api.yaml': sized(2, 'ghcr.io/acme/api:2.0.0') } }),
  ];
  const config = { environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod' }] };
  const findings = runRule('env-consistency', context(apps, config));
  const prod = sized(2, 'docker.io/acme/web:1.4.1');
  assert.deepEqual(where(findings), [
    ['env-consistency', 'overlays/dev/api/api.yaml', 4],
    ['env-consistency', 'overlays/prod/web/web.yaml', lineOf(prod, 'replicas: 2')],
    ['env-consistency', 'overlays/prod/web/web.yaml', lineOf(prod, 'image:')],
  ]);
  assert.equal(findings[0].env, 'prod');
  assert.match(findings[0].message, /overlays\/\*\/api is deployed to dev, staging but not to prod/);
  assert.match(findings[1].message, /runs 2 replica\(s\) in prod but 3 in staging/);
  assert.match(findings[2].message, /docker.io\/acme\/web in prod but ghcr.io\/acme\/web in dev, staging/);
  const consistent = [
    app({ env: 'staging', files: { 'overlays/staging/web/web.yaml': sized(2, 'ghcr.io/acme/web:1.5.0') } }),
    app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': sized(3, 'ghcr.io/acme/web:1.4.2') } }),
  ];
  assert.deepEqual(runRule('env-consistency', context(consistent, config)), []);
});

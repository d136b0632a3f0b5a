// ingress-backend-exists: its failing and passing cases (scripts/rules/cross-resource/ingress-backend-exists.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, context, deployment, lineOf, runRule, single, where } from '../helpers.ts';

const service = (selector: string, ports = '[{port: 80, targetPort: http}]') => `---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: ${selector}
  ports: ${ports}
`;

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

test("ingress-backend-exists: a namespace the repository runs nothing in routes to an operator's Service; another folder's Service is information", () => {
  // cluster-config (corpus): an Ingress to NooBaa's "s3" Service in openshift-storage, which the operator creates.
  const operator = ingress('s3').replace(
    'metadata: {name: shop}',
    'metadata: {name: s3, namespace: openshift-storage}',
  );
  assert.deepEqual(runRule('ingress-backend-exists', single(operator)), []);
  // A Service of the namespace exists, just not this one: still an error.
  const svc = service('{app: web}', '[{name: http, port: 80, targetPort: http}]');
  assert.equal(runRule('ingress-backend-exists', single(ingress('api') + svc))[0]?.severity, 'error');
  const apps = [
    app({ manifests: true, files: { 'web/ingress.yaml': `${ingress('web')}---\n${deployment('image: x:1')}` } }),
    app({ manifests: true, files: { 'api/service.yaml': svc } }),
  ];
  const findings = runRule('ingress-backend-exists', context(apps));
  assert.deepEqual(
    findings.map((f) => [f.file, f.severity]),
    [['web/ingress.yaml', 'info']],
  );
  assert.match(findings[0].message, /which only api\/service.yaml deploys/);
});

test("ingress-backend-exists: in a namespace the scope deploys nothing else to, the Service is an operator's to make", () => {
  const operatorNamespace = ingress('s3').replace(
    'metadata: {name: shop}',
    'metadata: {name: s3-route, namespace: openshift-storage}',
  );
  assert.deepEqual(runRule('ingress-backend-exists', single(operatorNamespace)), []);
  // Beside a workload of the scope, the same Ingress is judged.
  const beside = `${operatorNamespace}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: gateway, namespace: openshift-storage}
spec:
  selector: {matchLabels: {app: gateway}}
  template:
    metadata: {labels: {app: gateway}}
    spec:
      containers: [{name: gateway, image: ghcr.io/acme/gateway:1.0.0}]
`;
  assert.equal(runRule('ingress-backend-exists', single(beside)).length, 1);
});

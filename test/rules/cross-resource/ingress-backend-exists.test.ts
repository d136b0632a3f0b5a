// ingress-backend-exists: its failing and passing cases (scripts/rules/cross-resource/ingress-backend-exists.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';

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

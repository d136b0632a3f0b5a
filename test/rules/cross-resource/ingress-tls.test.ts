// ingress-tls: its failing and passing cases (scripts/rules/cross-resource/ingress-tls.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';

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

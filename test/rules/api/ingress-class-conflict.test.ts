// ingress-class-conflict (scripts/rules/api/ingress-class-conflict.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';

const ingress = (annotations: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
${annotations}
spec:
  ingressClassName: nginx
  rules: [{host: a.example.com}]
`;

test('ingress-class-conflict: the class annotation beside ingressClassName is an error on the annotation', () => {
  const yaml = ingress('    kubernetes.io/ingress.class: nginx');
  const findings = runRule('ingress-class-conflict', single(yaml, 'i.yaml'));
  assert.deepEqual(where(findings), [
    ['ingress-class-conflict', 'i.yaml', lineOf(yaml, 'kubernetes.io/ingress.class')],
  ]);
  assert.equal(findings[0].severity, 'error');
});

test('ingress-class-conflict: ingressClassName alone passes', () => {
  assert.deepEqual(runRule('ingress-class-conflict', single(ingress('    team: shop'))), []);
});

// probes-present: its failing and passing cases (scripts/rules/reliability/probes-present.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

const service = `---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

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

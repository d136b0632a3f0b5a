// service-selects-pods: its failing and passing cases (scripts/rules/cross-resource/service-selects-pods.ts).
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

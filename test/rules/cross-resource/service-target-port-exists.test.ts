// service-target-port-exists: its failing and passing cases (scripts/rules/cross-resource/service-target-port-exists.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

const service = (selector: string, ports = '[{port: 80, targetPort: http}]') => `---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: ${selector}
  ports: ${ports}
`;

const web = deployment('ports: [{name: http, containerPort: 8080}]');

test('service-target-port-exists: a named targetPort the pods do not declare (numbers are service-target-port-declared)', () => {
  const named = web + service('{app: web}', '[{port: 80, targetPort: web}]');
  assert.deepEqual(where(runRule('service-target-port-exists', single(named, 'w.yaml'))), [
    ['service-target-port-exists', 'w.yaml', lineOf(named, 'targetPort: web')],
  ]);
  const numeric = web + service('{app: web}', '[{port: 80, targetPort: 9090}]');
  assert.deepEqual(runRule('service-target-port-exists', single(numeric)), []);
  assert.deepEqual(
    runRule('service-target-port-exists', single(web + service('{app: web}', '[{port: 80, targetPort: 8080}]'))),
    [],
  );
  assert.deepEqual(runRule('service-target-port-exists', single(web + service('{app: web}'))), []);
});

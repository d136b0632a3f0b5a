// service-target-port-declared (scripts/rules/cross-resource/service-target-port-declared.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

const service = (ports: string) => `---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: ${ports}
`;
const web = deployment('ports: [{name: http, containerPort: 80}]');

test('service-target-port-declared: a number the containers do not declare is a warning naming what they declare', () => {
  const yaml = web + service('[{port: 3000, targetPort: 3000}]');
  const findings = runRule('service-target-port-declared', single(yaml, 'w.yaml'));
  assert.deepEqual(where(findings), [['service-target-port-declared', 'w.yaml', lineOf(yaml, 'targetPort: 3000')]]);
  assert.equal(findings[0].severity, 'warning');
  assert.match(findings[0].message, /targets port 3000, which no selected container declares \(they declare 80\)/);
});

test('service-target-port-declared: a declared number, a port name, or containers that declare nothing pass', () => {
  assert.deepEqual(
    runRule('service-target-port-declared', single(web + service('[{port: 8080, targetPort: 80}]'))),
    [],
  );
  assert.deepEqual(
    runRule('service-target-port-declared', single(web + service('[{port: 8080, targetPort: http}]'))),
    [],
  );
  assert.deepEqual(
    runRule('service-target-port-declared', single(deployment('image: x:1') + service('[{port: 3000}]'))),
    [],
  );
});

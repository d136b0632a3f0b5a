// hpa-target-exists: its failing and passing cases (scripts/rules/reliability/hpa-target-exists.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

const hpa = (target: string, min = 2, max = 6) => `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
  minReplicas: ${min}
  maxReplicas: ${max}
`;

test('hpa-target-exists: an HPA whose Deployment is not deployed', () => {
  const yaml = deployment('image: x:1', { spec: 'selector: {}' }).replace('  selector: {}\n', '') + hpa('web-v1');
  const findings = runRule('hpa-target-exists', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['hpa-target-exists', 'base/web.yaml', lineOf(yaml, 'scaleTargetRef')]]);
  assert.match(findings[0].message, /Deployment "web-v1"/);
  assert.deepEqual(runRule('hpa-target-exists', single(yaml.replace('name: web-v1', 'name: web'))), []);
});

// hpa-replicas-conflict: its failing and passing cases (scripts/rules/reliability/hpa-replicas-conflict.ts).
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

test('hpa-replicas-conflict: replicas pinned under an HPA is reported on spec.replicas', () => {
  const yaml = deployment('image: x:1', { spec: 'replicas: 3' }) + hpa('web');
  assert.deepEqual(where(runRule('hpa-replicas-conflict', single(yaml, 'base/web.yaml'))), [
    ['hpa-replicas-conflict', 'base/web.yaml', lineOf(yaml, 'replicas: 3')],
  ]);
  const noReplicas = yaml.replace('  replicas: 3\n', '');
  assert.deepEqual(runRule('hpa-replicas-conflict', single(noReplicas)), []);
});

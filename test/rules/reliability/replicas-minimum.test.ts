// replicas-minimum: its failing and passing cases (scripts/rules/reliability/replicas-minimum.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, context, deployment, lineOf, runRule, where } from '../helpers.ts';

const hpa = (target: string, min = 2, max = 6) => `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
  minReplicas: ${min}
  maxReplicas: ${max}
`;

test('replicas-minimum: prod needs two pods by default; options set it per environment; an HPA counts', () => {
  const one = deployment('image: x:1', { spec: 'replicas: 1' });
  const prod = context([app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': one } })]);
  assert.deepEqual(where(runRule('replicas-minimum', prod)), [
    ['replicas-minimum', 'overlays/prod/web/web.yaml', lineOf(one, 'replicas: 1')],
  ]);
  const dev = context([app({ env: 'dev', files: { 'overlays/dev/web/web.yaml': one } })]);
  assert.deepEqual(runRule('replicas-minimum', dev), []);
  const configured = context(dev.apps, {
    lint: { rules: { 'replicas-minimum': { options: { minimum: { dev: 2 } } } } },
  });
  assert.equal(runRule('replicas-minimum', configured).length, 1);
  const scaled = one + hpa('web', 3);
  assert.deepEqual(
    runRule('replicas-minimum', context([app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': scaled } })])),
    [],
  );
  const three = deployment('image: x:1', { spec: 'replicas: 3' });
  assert.deepEqual(
    runRule('replicas-minimum', context([app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': three } })])),
    [],
  );
});

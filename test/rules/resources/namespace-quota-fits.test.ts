// namespace-quota-fits: its failing and passing cases (scripts/rules/resources/namespace-quota-fits.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, context, deployment, lineOf, runRule, where } from '../helpers.ts';

test('namespace-quota-fits: requests times maximum replicas above the quota, per environment', () => {
  const web =
    deployment(`resources:
  requests: {cpu: 500m, memory: 256Mi}
  limits: {cpu: "1", memory: 512Mi}`).replace('name: web\n', 'name: web\n  namespace: shop\n') +
    `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
`;
  const quota = `apiVersion: v1
kind: ResourceQuota
metadata: {name: shop, namespace: shop}
spec:
  hard:
    requests.cpu: "4"
    requests.memory: 4Gi
    pods: "20"
`;
  const ctx = context([
    app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': web } }),
    app({ env: 'prod', files: { 'overlays/prod/namespaces/quota.yaml': quota } }),
  ]);
  const findings = runRule('namespace-quota-fits', ctx);
  assert.deepEqual(where(findings), [
    ['namespace-quota-fits', 'overlays/prod/namespaces/quota.yaml', lineOf(quota, 'requests.cpu')],
  ]);
  assert.match(findings[0].message, /allows 4 requests.cpu .* need 5 at their maximum replicas/);
  const roomy = context([
    ctx.apps[0],
    app({ env: 'prod', files: { 'overlays/prod/namespaces/quota.yaml': quota.replace('"4"', '"6"') } }),
  ]);
  assert.deepEqual(runRule('namespace-quota-fits', roomy), []);
});

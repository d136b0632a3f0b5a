// namespace-quota-fits: its failing and passing cases (scripts/rules/resources/namespace-quota-fits.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, context, deployment, lineOf, runRule, single, where } from '../helpers.ts';

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

test('namespace-quota-fits: a Deployment whose template a Rollout borrows is counted once, as the Rollout', () => {
  const yaml = `apiVersion: v1
kind: ResourceQuota
metadata: {name: quota, namespace: shop}
spec:
  hard: {pods: "10"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: ghcr.io/acme/web:1.4.2}]
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web, scaleDown: progressively}
  strategy: {canary: {steps: [{setWeight: 20}]}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web}
  minReplicas: 2
  maxReplicas: QUOTA
`;
  // 8 pods fit a quota of 10, however many objects describe them; 12 do not
  assert.deepEqual(runRule('namespace-quota-fits', single(yaml.replace('QUOTA', '8'))), []);
  assert.equal(runRule('namespace-quota-fits', single(yaml.replace('QUOTA', '12'))).length, 1);
});

test('namespace-quota-fits: a Rollout with a workloadRef counts the borrowed pods, and a borrowed Deployment still running counts too', () => {
  const objects = (quota: string, workloadRef: string, deploymentReplicas: string) => `apiVersion: v1
kind: ResourceQuota
metadata: {name: quota, namespace: shop}
spec:
  hard: {${quota}}
---
${deployment('resources: {requests: {cpu: "1"}}', { spec: `replicas: ${deploymentReplicas}` }).replace(
  'name: web\n',
  'name: web\n  namespace: shop\n',
)}---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  replicas: 5
  selector: {matchLabels: {app: web}}
  workloadRef: {${workloadRef}}
  strategy: {canary: {steps: [{setWeight: 20}]}}
`;
  const scaledDown = 'apiVersion: apps/v1, kind: Deployment, name: web, scaleDown: onsuccess';
  // 5 pods of 1 CPU from the borrowed template: over a quota of 4, within one of 5.
  const over = runRule('namespace-quota-fits', single(objects('requests.cpu: "4"', scaledDown, '2')));
  assert.equal(over.length, 1);
  assert.match(over[0].message, /allows 4 requests.cpu .* need 5 at their maximum replicas/);
  assert.deepEqual(runRule('namespace-quota-fits', single(objects('requests.cpu: "5"', scaledDown, '2'))), []);
  // Without scaleDown the Deployment's own 2 pods run beside the Rollout's 5.
  const beside = 'apiVersion: apps/v1, kind: Deployment, name: web';
  assert.match(
    runRule('namespace-quota-fits', single(objects('pods: "6"', beside, '2')))[0]?.message ?? '',
    /allows 6 pods .* need 7/,
  );
  assert.deepEqual(runRule('namespace-quota-fits', single(objects('pods: "6"', beside, '0'))), []);
});

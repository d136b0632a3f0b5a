// hpa-target-exists: its failing and passing cases (scripts/rules/reliability/hpa-target-exists.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, context, deployment, lineOf, runRule, single, where } from '../helpers.ts';

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

test("hpa-target-exists: a target only another folder deploys is information naming it, another environment's is not", () => {
  // podinfo (corpus): deploy/webapp/frontend's HPA names "backend", which deploy/webapp/backend deploys.
  const frontend = deployment('image: x:1', { name: 'frontend' }) + hpa('backend');
  const apps = [
    app({ manifests: true, files: { 'webapp/frontend/all.yaml': frontend } }),
    app({ manifests: true, files: { 'webapp/backend/all.yaml': deployment('image: x:1', { name: 'backend' }) } }),
  ];
  const findings = runRule('hpa-target-exists', context(apps));
  assert.deepEqual(
    findings.map((f) => [f.file, f.severity]),
    [['webapp/frontend/all.yaml', 'info']],
  );
  assert.match(findings[0].message, /targets Deployment "backend", which only webapp\/backend\/all.yaml deploys/);
  // Another environment's Deployment is not this environment's target: still an error.
  const envs = [
    app({ env: 'dev', files: { 'overlays/dev/all.yaml': frontend } }),
    app({ env: 'prod', files: { 'overlays/prod/all.yaml': deployment('image: x:1', { name: 'backend' }) } }),
  ];
  assert.deepEqual(
    runRule('hpa-target-exists', context(envs)).map((f) => f.severity),
    ['error'],
  );
});

test('hpa-target-exists: a frontend HPA aimed at the backend names both places and the likely wrong target', () => {
  const frontend = deployment('image: x:1', { name: 'frontend' });
  const hpaFile = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: frontend}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: backend}
  minReplicas: 2
  maxReplicas: 6
`;
  const ctx = context([
    app({
      app: 'webapp/frontend',
      files: { 'webapp/frontend/deployment.yaml': frontend, 'webapp/frontend/hpa.yaml': hpaFile },
    }),
    app({
      app: 'secure/backend',
      files: { 'secure/backend/deployment.yaml': deployment('image: x:1', { name: 'backend' }) },
    }),
    app({
      app: 'webapp/backend',
      files: { 'webapp/backend/deployment.yaml': deployment('image: x:1', { name: 'backend' }) },
    }),
  ]);
  const findings = runRule('hpa-target-exists', ctx);
  assert.deepEqual(where(findings), [
    ['hpa-target-exists', 'webapp/frontend/hpa.yaml', lineOf(hpaFile, 'scaleTargetRef')],
  ]);
  assert.match(findings[0].message, /targets Deployment "backend"/);
  assert.match(findings[0].message, /there is one at webapp\/backend\/deployment\.yaml:1, which another unit deploys/);
  assert.match(
    findings[0].message,
    /Deployment "frontend" here \(webapp\/frontend\/deployment\.yaml:1\) has no autoscaler: the wrong target\?/,
  );
  // Without a namesake, the plain message.
  const alone = runRule('hpa-target-exists', context([app({ files: { 'webapp/frontend/hpa.yaml': hpaFile } })]));
  assert.match(alone[0].message, /which is not deployed here\.$/);
});

// Reliability rules: each with a failing and a passing fixture, asserting rule, file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, context, deployment, lineOf, runRule, single, where } from './rules/helpers.ts';

const hpa = (target: string, min = 2, max = 6) => `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
  minReplicas: ${min}
  maxReplicas: ${max}
`;
const pdb = (spec: string) => `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  ${spec}
  selector:
    matchLabels: {app: web}
`;

test('probe-port-exists: a named probe port the container does not declare', () => {
  const yaml = deployment(`ports: [{name: http, containerPort: 8080}]
readinessProbe:
  httpGet: {path: /readyz, port: web}
livenessProbe:
  tcpSocket: {port: 8080}`);
  const findings = runRule('probe-port-exists', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['probe-port-exists', 'base/web.yaml', lineOf(yaml, 'port: web')]]);
  assert.match(findings[0].message, /"web".*declared: http/);
  assert.deepEqual(runRule('probe-port-exists', single(yaml.replace('port: web', 'port: http'))), []);
});

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

test('pdb-present: several pods and no PodDisruptionBudget; a matching PDB passes', () => {
  const yaml = deployment('image: x:1', { spec: 'replicas: 3' });
  assert.deepEqual(where(runRule('pdb-present', single(yaml, 'base/web.yaml'))), [['pdb-present', 'base/web.yaml', 4]]);
  assert.deepEqual(runRule('pdb-present', single(yaml + pdb('maxUnavailable: 1'))), []);
  assert.deepEqual(runRule('pdb-present', single(deployment('image: x:1', { spec: 'replicas: 1' }))), []);
});

test('pdb-not-blocking: maxUnavailable 0 and minAvailable at the replica count block drains', () => {
  const zero = deployment('image: x:1', { spec: 'replicas: 3' }) + pdb('maxUnavailable: 0');
  assert.deepEqual(where(runRule('pdb-not-blocking', single(zero, 'base/web.yaml'))), [
    ['pdb-not-blocking', 'base/web.yaml', lineOf(zero, 'maxUnavailable: 0')],
  ]);
  const all = deployment('image: x:1', { spec: 'replicas: 2' }) + pdb('minAvailable: 2');
  const findings = runRule('pdb-not-blocking', single(all, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['pdb-not-blocking', 'base/web.yaml', lineOf(all, 'minAvailable: 2')]]);
  assert.match(findings[0].message, /requires 2 available pods but Deployment "web" runs 2/);
  assert.deepEqual(
    runRule('pdb-not-blocking', single(deployment('image: x:1', { spec: 'replicas: 3' }) + pdb('minAvailable: 2'))),
    [],
  );
});

test('hpa-target-exists: an HPA whose Deployment is not deployed', () => {
  const yaml = deployment('image: x:1', { spec: 'selector: {}' }).replace('  selector: {}\n', '') + hpa('web-v1');
  const findings = runRule('hpa-target-exists', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['hpa-target-exists', 'base/web.yaml', lineOf(yaml, 'scaleTargetRef')]]);
  assert.match(findings[0].message, /Deployment "web-v1"/);
  assert.deepEqual(runRule('hpa-target-exists', single(yaml.replace('name: web-v1', 'name: web'))), []);
});

test('hpa-replicas-conflict: replicas pinned under an HPA is reported on spec.replicas', () => {
  const yaml = deployment('image: x:1', { spec: 'replicas: 3' }) + hpa('web');
  assert.deepEqual(where(runRule('hpa-replicas-conflict', single(yaml, 'base/web.yaml'))), [
    ['hpa-replicas-conflict', 'base/web.yaml', lineOf(yaml, 'replicas: 3')],
  ]);
  const noReplicas = yaml.replace('  replicas: 3\n', '');
  assert.deepEqual(runRule('hpa-replicas-conflict', single(noReplicas)), []);
});

test('graceful-shutdown: no preStop, and a grace period shorter than the preStop sleep', () => {
  const none = deployment('ports: [{containerPort: 8080}]');
  assert.deepEqual(where(runRule('graceful-shutdown', single(none, 'base/web.yaml'))), [
    ['graceful-shutdown', 'base/web.yaml', lineOf(none, '- name: app')],
  ]);
  const short = deployment(
    `ports: [{containerPort: 8080}]
lifecycle:
  preStop:
    exec: {command: ["/bin/sh", "-c", "sleep 15"]}`,
    { podSpec: 'terminationGracePeriodSeconds: 10' },
  );
  const findings = runRule('graceful-shutdown', single(short, 'base/web.yaml'));
  assert.deepEqual(where(findings), [
    ['graceful-shutdown', 'base/web.yaml', lineOf(short, 'terminationGracePeriodSeconds')],
  ]);
  assert.match(findings[0].message, /\(10\) is not longer than the 15 s preStop sleep/);
  const good = deployment(`ports: [{containerPort: 8080}]
lifecycle:
  preStop:
    sleep: {seconds: 5}`);
  assert.deepEqual(runRule('graceful-shutdown', single(good)), []);
});

test('selector-matches-template: a selector the template labels do not satisfy', () => {
  const yaml = deployment('image: x:1').replace(
    '      labels:\n        app: web',
    '      labels:\n        app: web-v2',
  );
  assert.deepEqual(where(runRule('selector-matches-template', single(yaml, 'base/web.yaml'))), [
    ['selector-matches-template', 'base/web.yaml', lineOf(yaml, 'selector:')],
  ]);
  assert.deepEqual(runRule('selector-matches-template', single(deployment('image: x:1'))), []);
});

test('duplicate-env-var: the second definition is reported', () => {
  const yaml = deployment(`env:
  - {name: LOG_LEVEL, value: info}
  - {name: PORT, value: "8080"}
  - {name: LOG_LEVEL, value: debug}`);
  assert.deepEqual(where(runRule('duplicate-env-var', single(yaml, 'base/web.yaml'))), [
    ['duplicate-env-var', 'base/web.yaml', lineOf(yaml, 'value: debug')],
  ]);
  assert.deepEqual(
    runRule('duplicate-env-var', single(yaml.replace('{name: LOG_LEVEL, value: debug}', '{name: DEBUG, value: "1"}'))),
    [],
  );
});

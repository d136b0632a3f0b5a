// Progressive delivery end to end: blue-green, and canaries whose traffic NGINX or Istio splits,
// generated from gitops.yaml and validated clean; the validator sees what the routing names.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { generate } from '../../scripts/generate/index.ts';
import { validateRepository } from '../../scripts/validate/index.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const fixture = resolve(import.meta.dirname, '..', 'fixtures', 'delivery', 'gitops.yaml');
let root = '';
let objects: (env: string, kind: string, name: string) => Json | undefined;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'delivery-'));
  cpSync(fixture, join(root, 'gitops.yaml'));
  generate(join(root, 'gitops.yaml'), root);
  const { report, ctx } = await validateRepository(root);
  assert.deepEqual(
    report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}: ${finding.message}`),
    [],
  );
  objects = (env, kind, name) =>
    ctx.apps
      .filter((app) => app.env === env)
      .flatMap((app) => app.resources.map((resource) => resource.object as Json))
      .find((object) => object.kind === kind && object.metadata?.name === name);
});
after(() => rmSync(root, { recursive: true, force: true }));

test('blue-green in prod: active and preview Services, automatic promotion with an analysis after the switch, the HPA on the Rollout; dev rolls', () => {
  const rollout = objects('prod', 'Rollout', 'checkout') as Json;
  const blueGreen = rollout.spec.strategy.blueGreen;
  assert.equal(blueGreen.activeService, 'checkout');
  assert.equal(blueGreen.previewService, 'checkout-preview');
  assert.equal(blueGreen.autoPromotionEnabled, true);
  assert.equal(blueGreen.scaleDownDelaySeconds, 30);
  assert.equal(blueGreen.postPromotionAnalysis.templates[0].templateName, 'checkout-success-rate');
  assert.equal(objects('prod', 'AnalysisTemplate', 'checkout-success-rate')?.spec.metrics[0].failureLimit, 2);
  assert.deepEqual(objects('prod', 'Service', 'checkout-preview')?.spec.selector, {
    'app.kubernetes.io/name': 'checkout',
  });
  assert.equal(objects('prod', 'HorizontalPodAutoscaler', 'checkout')?.spec.scaleTargetRef.kind, 'Rollout');
  assert.equal(objects('dev', 'Rollout', 'checkout'), undefined);
  assert.equal(objects('dev', 'Service', 'checkout-preview'), undefined);
  // The preview runs beside every active pod: prod's quota has room for twice the pods of each release.
  const quota = objects('prod', 'ResourceQuota', 'apps') as Json;
  assert.equal(quota.spec.hard.pods, String(Math.ceil(4 * 2 * 3 * 1.25)));
});

test('a canary NGINX splits: the Ingress sends to the stable Service in prod only, the Rollout names both Services', () => {
  const canary = (objects('prod', 'Rollout', 'web') as Json).spec.strategy.canary;
  assert.deepEqual(canary.trafficRouting, { nginx: { stableIngress: 'web' } });
  assert.deepEqual([canary.stableService, canary.canaryService], ['web-stable', 'web-canary']);
  assert.deepEqual(
    canary.steps.map((step: Json) => step.setWeight ?? step.pause.duration),
    [10, '120s', 30, '120s', 60, '120s'],
  );
  const backends = (env: string) =>
    (objects(env, 'Ingress', 'web') as Json).spec.rules[0].http.paths.map((path: Json) => path.backend.service.name);
  assert.deepEqual(backends('prod'), ['web-stable', 'web-stable']);
  assert.deepEqual(backends('dev'), ['web', 'web']);
  // Prometheus scrapes the pods through the Service it always has, not once more per role Service.
  assert.equal(objects('prod', 'Service', 'web-canary')?.metadata.labels['app.kubernetes.io/name'], undefined);
});

test('a canary Istio splits: a VirtualService on the host between the stable and canary Services; the analysis measures the new pods only', () => {
  const canary = (objects('prod', 'Rollout', 'api') as Json).spec.strategy.canary;
  assert.deepEqual(canary.trafficRouting, { istio: { virtualService: { name: 'api', routes: ['primary'] } } });
  const virtualService = objects('prod', 'VirtualService', 'api') as Json;
  assert.equal(virtualService.apiVersion, 'networking.istio.io/v1beta1');
  assert.deepEqual(virtualService.spec.hosts, ['api']);
  assert.deepEqual(
    virtualService.spec.http[0].route.map((route: Json) => [route.destination.host, route.weight]),
    [
      ['api-stable', 100],
      ['api-canary', 0],
    ],
  );
  assert.ok(objects('prod', 'Service', 'api-stable') && objects('prod', 'Service', 'api-canary'));
  assert.deepEqual(canary.analysis.args[2], { name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } });
  const query = (objects('prod', 'AnalysisTemplate', 'api-success-rate') as Json).spec.metrics[0];
  assert.match(query.provider.prometheus.query, /pod=~"\{\{args\.service\}\}-\{\{args\.hash\}\}-\.\*"/);
  assert.equal(query.successCondition, 'result[0] >= 0.995');
  assert.equal(objects('dev', 'VirtualService', 'api'), undefined);
});

test('the validator checks what the generated routing names: the stable Ingress sending to the plain Service is found', async () => {
  const copy = mkdtempSync(join(tmpdir(), 'delivery-broken-'));
  try {
    cpSync(root, copy, { recursive: true });
    const file = join(copy, 'overlays', 'prod', 'web', 'generated', 'kustomization.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replaceAll('value: web-stable', 'value: web'));
    const { report } = await validateRepository(copy);
    assert.deepEqual(
      report.findings.map((finding) => finding.ruleId),
      ['rollout-traffic-routing-exists'],
    );
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

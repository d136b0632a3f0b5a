// Flagger as the repository's delivery controller, end to end: the Canary and its MetricTemplate in
// prod, the base Service left to Flagger there, policies and budgets that reach the primary's pods;
// generated and validated clean against the built-in Flagger schemas, which find a wrong field.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { generate } from '../../scripts/generate/index.ts';
import { validateRepository } from '../../scripts/validate/index.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const fixture = resolve(import.meta.dirname, '..', 'fixtures', 'flagger', 'gitops.yaml');
let root = '';
let rendered: (env: string) => Json[];

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'flagger-'));
  cpSync(fixture, join(root, 'gitops.yaml'));
  generate(join(root, 'gitops.yaml'), root);
  const { report, ctx } = await validateRepository(root);
  assert.deepEqual(
    report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}: ${finding.message}`),
    [],
  );
  rendered = (env) =>
    ctx.apps.filter((app) => app.env === env).flatMap((app) => app.resources.map((r) => r.object as Json));
});
after(() => rmSync(root, { recursive: true, force: true }));

const named = (objects: Json[], kind: string, name: string) =>
  objects.find((object) => object.kind === kind && object.metadata?.name === name);

test('prod: a Canary through Istio with the steps, the threshold and the MetricTemplate of the canary pods; no Rollout', () => {
  const prod = rendered('prod');
  const canary = named(prod, 'Canary', 'api') as Json;
  assert.equal(canary.spec.provider, 'istio');
  assert.deepEqual(canary.spec.targetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' });
  assert.deepEqual(canary.spec.autoscalerRef, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    name: 'api',
  });
  assert.deepEqual(canary.spec.analysis.stepWeights, [10, 25, 50]);
  assert.equal(canary.spec.analysis.interval, '60s');
  assert.equal(canary.spec.analysis.threshold, 3, 'failureLimit 2 tolerates two failures; the third rolls back');
  assert.equal(canary.spec.analysis.metrics[0].templateRef.name, 'api-success-rate');
  assert.match((named(prod, 'MetricTemplate', 'api-success-rate') as Json).spec.query, /pod=~"\{\{ target \}\}-/);
  assert.ok(!prod.some((object) => object.kind === 'Rollout'));
  // the HPA scales the Deployment (Flagger copies it for the primary)
  assert.equal((named(prod, 'HorizontalPodAutoscaler', 'api') as Json).spec.scaleTargetRef.kind, 'Deployment');
});

test('Flagger writes the Services in prod; the policies, the PDB and the ServiceMonitor reach the primary and canary pods; dev keeps its Service', () => {
  const prod = rendered('prod');
  assert.equal(named(prod, 'Service', 'api'), undefined, 'the apex Service is Flagger’s in prod');
  assert.ok(named(rendered('dev'), 'Service', 'api'));
  const both = {
    matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['api', 'api-primary'] }],
  };
  assert.deepEqual((named(prod, 'PodDisruptionBudget', 'api') as Json).spec.selector, both);
  assert.deepEqual((named(prod, 'NetworkPolicy', 'api') as Json).spec.podSelector, both);
  const egress = (named(prod, 'NetworkPolicy', 'api') as Json).spec.egress.flatMap((rule: Json) => rule.to ?? []);
  assert.ok(egress.some((peer: Json) => peer.podSelector?.matchExpressions?.[0].values.includes('checkout-primary')));
  assert.deepEqual((named(prod, 'ServiceMonitor', 'api') as Json).spec.selector.matchExpressions[0].values, [
    'api',
    'api-canary',
  ]);
  const canary = named(prod, 'Canary', 'api') as Json;
  assert.equal(canary.spec.service.portName, 'http');
});

test('the built-in Flagger schema checks a Canary: a misspelt analysis field and a missing MetricTemplate are found', async () => {
  const copy = mkdtempSync(join(tmpdir(), 'flagger-broken-'));
  try {
    cpSync(root, copy, { recursive: true });
    const file = join(copy, 'overlays', 'prod', 'api', 'generated', 'canary.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('    stepWeights:', '    stepWeight:').split('---\n')[0]);
    const { report } = await validateRepository(copy);
    const rules = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
    assert.ok(rules.includes('flagger-refs-exist'), rules.join(', '));
    assert.ok(
      report.findings.some((finding) => finding.file.endsWith('canary.yaml') && /stepWeight/.test(finding.message)),
      report.findings.map((finding) => `${finding.ruleId}: ${finding.message}`).join('\n'),
    );
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

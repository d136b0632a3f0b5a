// End to end: the delivery-mistakes repository (Argo Rollouts, Flagger, KEDA, VPA and a SealedSecret
// in a base with dev and prod overlays) through the real pipeline gives exactly the expected findings
// of the delivery rules, on the file and line a person edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinRules } from '../../scripts/check/registry.ts';
import { validateRepository } from '../../scripts/validate/index.ts';

const fixture = fileURLToPath(new URL('../fixtures/delivery-mistakes', import.meta.url));
const delivery = new Set(builtinRules.filter((rule) => rule.meta.category === 'delivery').map((rule) => rule.meta.id));

/** [ruleId, file, line] of each mistake of the base, found in dev and in prod. */
const inBoth: [string, string, number][] = [
  ['rollout-steps-valid', 'base/web-rollout.yaml', 27], // pause: {duration: 5 min}
  ['rollout-steps-valid', 'base/web-rollout.yaml', 28], // setWeight: 10 after 20
  ['rollout-analysis-exists', 'base/web-rollout.yaml', 31], // templateName: sucess-rate
  ['scaler-targets-rollout', 'base/web-rollout.yaml', 51], // apiVersion apps/v1, kind: Rollout
  ['flagger-autoscaler-api', 'base/orders-canary.yaml', 24], // autoscaling/v2beta2
  ['flagger-analysis-valid', 'base/orders-canary.yaml', 32], // request-success-rate without a bound
  ['flagger-refs-exist', 'base/orders-canary.yaml', 35], // templateRef: {name: latency}
  ['flagger-primary-scaler', 'base/orders-canary.yaml', 52], // an HPA on orders-primary
  ['scaledobject-conflict', 'base/payments-consumer.yaml', 23], // beside HPA payments-consumer
  ['vpa-hpa-conflict', 'base/payments-consumer.yaml', 44], // Auto beside a CPU HPA
];
const expected = [
  ...inBoth.flatMap(([rule, file, line]) => [`${rule} ${file}:${line} dev`, `${rule} ${file}:${line} prod`]),
  // only prod moves the SealedSecret out of the namespace it was sealed for: the overlay's namespace line
  'sealed-secret-scope overlays/prod/kustomization.yaml:3 prod',
].sort();

test('delivery-mistakes: the delivery rules find every broken case on its line, and nothing else', async () => {
  const root = mkdtempSync(join(tmpdir(), 'delivery-mistakes-'));
  try {
    cpSync(fixture, root, { recursive: true });
    const { report, faults } = await validateRepository(root, { cache: false });
    assert.deepEqual(faults, []);
    const actual = report.findings
      .filter((finding) => delivery.has(finding.ruleId))
      .map((finding) => `${finding.ruleId} ${finding.file}:${finding.line} ${finding.env}`)
      .sort();
    assert.deepEqual(actual, expected);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

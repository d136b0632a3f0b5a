// eventScaling end to end: a KEDA ScaledObject instead of the HPA (never both), its range per
// environment, following the Rollout where the service is a canary; generated and validated clean.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { generate } from '../../scripts/generate/index.ts';
import { validateRepository } from '../../scripts/validate/index.ts';

const fixture = resolve(import.meta.dirname, '..', 'fixtures', 'event-scaling', 'gitops.yaml');

test('eventScaling: a ScaledObject per environment and no HPA; in prod it scales the Rollout; the repository validates clean', async () => {
  const root = mkdtempSync(join(tmpdir(), 'event-scaling-'));
  try {
    cpSync(fixture, join(root, 'gitops.yaml'));
    generate(join(root, 'gitops.yaml'), root);
    assert.ok(existsSync(join(root, 'base', 'orders-consumer', 'scaledobject.yaml')));
    assert.ok(!existsSync(join(root, 'base', 'orders-consumer', 'hpa.yaml')), 'no HPA beside the ScaledObject');
    const { report, ctx } = await validateRepository(root);
    assert.deepEqual(
      report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}: ${finding.message}`),
      [],
    );
    const rendered = (env: string, kind: string) =>
      ctx.apps
        .filter((app) => app.env === env)
        .flatMap((app) => app.resources.map((resource) => resource.object))
        .filter((object) => object.kind === kind);
    for (const env of ['dev', 'prod']) assert.deepEqual(rendered(env, 'HorizontalPodAutoscaler'), []);
    const [dev] = rendered('dev', 'ScaledObject') as { spec: Record<string, unknown> }[];
    const [prod] = rendered('prod', 'ScaledObject') as { spec: Record<string, unknown> }[];
    assert.deepEqual([dev.spec.minReplicaCount, dev.spec.maxReplicaCount], [1, 2]);
    assert.deepEqual([prod.spec.minReplicaCount, prod.spec.maxReplicaCount], [2, 20]);
    assert.deepEqual(dev.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders-consumer' });
    assert.deepEqual(prod.spec.scaleTargetRef, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'orders-consumer',
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

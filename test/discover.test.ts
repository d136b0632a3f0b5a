// Discovery decisions: apps, bases, components, charts, loose manifests, ignores, environments.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { discover, inferEnvironment, isRemoteReference } from '../scripts/discover/index.ts';
import { cleanupCopies, pipelineFixtures, tempCopy } from './fixtures/pipeline/copy.ts';

after(cleanupCopies);

test('kustomization roots are apps; bases and components are not; charts are reported, not parsed', async () => {
  const root = tempCopy(join(pipelineFixtures, 'basic'));
  const found = await discover(root);
  assert.deepEqual(
    found.apps.map((app) => `${app.kind}:${app.id}:${app.env ?? '-'}`),
    [
      // Loose YAML and JSON files are candidates; loadRepoContext keeps those that hold Kubernetes objects.
      'manifests:.github/workflows/ci.yml:-',
      'manifests:argocd/web-dev.yaml:-',
      'manifests:config/clusters.json:-',
      'manifests:config/values.yaml:-',
      'manifests:legacy/old.yaml:-',
      'kustomization:overlays/dev/web:dev',
      'kustomization:overlays/prod/web:prod',
    ],
  );
  assert.deepEqual(found.bases, ['base/web']);
  assert.deepEqual(found.components, ['components/monitoring']);
  assert.deepEqual(found.charts, ['charts/demo']);
  assert.deepEqual(found.kustomizations, [
    'base/web/kustomization.yaml',
    'components/monitoring/kustomization.yaml',
    'overlays/dev/web/kustomization.yaml',
    'overlays/prod/web/kustomization.yaml',
  ]);
  // Patches and resources are read through their kustomizations, not as loose manifests; chart
  // templates are never read; values files and workflows are read but are not apps.
  assert.ok(!found.yamlFiles.includes('overlays/dev/web/replicas.yaml'));
  assert.ok(!found.yamlFiles.some((file) => file.startsWith('charts/')));
  assert.ok(found.yamlFiles.includes('config/values.yaml'));
  assert.ok(
    found.decisions.some((line) =>
      /base\/web: base used by overlays\/dev\/web, overlays\/prod\/web; checked through them/.test(line),
    ),
  );
  assert.ok(found.decisions.some((line) => /components\/monitoring: Kustomize Component/.test(line)));
});

test('.gitignore and lint.ignorePaths keep folders out of discovery', async () => {
  const root = tempCopy(join(pipelineFixtures, 'basic'));
  mkdirSync(join(root, 'build'));
  writeFileSync(join(root, 'build', 'out.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: built\n');
  writeFileSync(join(root, '.gitignore'), 'build/\n');
  const withoutConfig = await discover(root);
  assert.ok(!withoutConfig.apps.some((app) => app.id.startsWith('build/')));
  assert.ok(withoutConfig.apps.some((app) => app.id === 'legacy/old.yaml'));
  const withConfig = await discover(root, { config: { lint: { ignorePaths: ['legacy/'] } } });
  assert.ok(!withConfig.apps.some((app) => app.id === 'legacy/old.yaml'));
});

test('environments come from gitops.yaml names, else from conventional parent folders', () => {
  assert.equal(inferEnvironment('overlays/dev/web'), 'dev');
  assert.equal(inferEnvironment('apps/orders/envs/prod-us'), 'prod-us');
  assert.equal(inferEnvironment('environments/staging/argocd/app.yaml'), 'staging');
  assert.equal(inferEnvironment('base/web'), undefined);
  assert.equal(inferEnvironment('overlays/app.yaml'), undefined, 'a file name is not an environment');
  const config = { environments: [{ name: 'qa' }, { name: 'live' }] };
  assert.equal(inferEnvironment('deploy/live/web', config), 'live');
  assert.equal(
    inferEnvironment('overlays/dev/web', config),
    undefined,
    'only configured names count when gitops.yaml lists them',
  );
});

test('remote references are recognised without touching the network', () => {
  const dir = tempCopy(join(pipelineFixtures, 'offline'));
  assert.equal(isRemoteReference('https://github.com/example/deploy//base?ref=v1.0.0', dir), true);
  assert.equal(isRemoteReference('github.com/example/deploy/base?ref=main', dir), true);
  assert.equal(isRemoteReference('git@github.com:example/deploy.git', dir), true);
  assert.equal(isRemoteReference('good', dir), false);
  assert.equal(isRemoteReference('../base', dir), false);
});

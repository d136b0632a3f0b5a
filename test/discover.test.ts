// Discovery decisions: apps, bases, components, charts, loose manifests, ignores, environments.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { discover, environmentInference, isRemoteReference } from '../scripts/discover/index.ts';
import { cleanupCopies, pipelineFixtures, tempCopy } from './fixtures/pipeline/copy.ts';

after(cleanupCopies);

test('kustomization roots are apps; bases and components are not; charts are reported, not parsed', async () => {
  const root = tempCopy(join(pipelineFixtures, 'basic'));
  // Argo CD's directory source and kubectl read .yaml, .yml and .json as written: no app for these.
  writeFileSync(join(root, 'legacy', 'SHOUTING.YAML'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
  writeFileSync(
    join(root, 'legacy', 'mixed.Json'),
    '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "y"}}\n',
  );
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
  const alone = (path: string, config?: Parameters<typeof environmentInference>[1]) =>
    environmentInference([path.endsWith('.yaml') ? path : `${path}/kustomization.yaml`], config).of(path);
  assert.equal(alone('overlays/dev/web'), 'dev');
  assert.equal(alone('apps/orders/envs/prod-us'), 'prod-us');
  assert.equal(alone('environments/staging/argocd/app.yaml'), 'staging');
  assert.equal(alone('base/web'), undefined);
  assert.equal(alone('overlays/app.yaml'), undefined, 'a file name is not an environment');
  const config = { environments: [{ name: 'qa' }, { name: 'live' }] };
  assert.equal(alone('deploy/live/web', config), 'live');
  assert.equal(alone('overlays/dev/web', config), undefined, 'only configured names count when gitops.yaml lists them');
});

test('environments of a repository the tool did not generate: parents inside parents, variants, versions, channels', () => {
  const files = [
    // A cluster repository: clusters/overlays/<cluster> and bootstrap/overlays/<cluster> name the same clusters.
    'clusters/overlays/dev/kustomization.yaml',
    'clusters/overlays/prod/kustomization.yaml',
    'clusters/overlays/local.hub/kustomization.yaml',
    'clusters/overlays/local.hub/components/quay/kustomization.yaml',
    'bootstrap/overlays/local.hub/kustomization.yaml',
    'clusters/overlays/local.aws/kustomization.yaml',
    'bootstrap/overlays/local.aws/kustomization.yaml',
    'bootstrap/overlays/remote/kustomization.yaml',
    // An operator catalogue: channels, versions and flavours of one component are variants.
    'components/operator/overlays/stable/kustomization.yaml',
    'components/operator/overlays/stable-3.14/kustomization.yaml',
    'components/streams/overlays/amq-streams-2.7.x/kustomization.yaml',
    'components/operator/overlays/v1.2/kustomization.yaml',
    'components/kyverno/overlays/policies/kustomization.yaml',
    'components/kyverno/overlays/default/kustomization.yaml',
    'components/sso/overlays/default/kustomization.yaml',
    // Two components that each have an `sso` flavour share one word, not an axis.
    'components/oauth/overlays/sso/kustomization.yaml',
    'components/oauth/overlays/google/kustomization.yaml',
    'components/acs/overlays/sso/kustomization.yaml',
    'components/acs/overlays/secured-cluster/kustomization.yaml',
    // A folder named for environments: every child is one, usual name or not.
    'apps/web/envs/integration-gpu/kustomization.yaml',
  ];
  const environments = environmentInference(files);
  assert.equal(environments.of('clusters/overlays/dev'), 'dev', 'not "overlays"');
  assert.equal(environments.of('clusters/overlays/prod'), 'prod');
  assert.equal(
    environments.of('clusters/overlays/local.hub/components/quay'),
    'local.hub',
    'two parents hold it and a sibling of it',
  );
  assert.equal(environments.of('bootstrap/overlays/local.hub'), 'local.hub');
  assert.equal(environments.of('bootstrap/overlays/remote'), undefined, 'only under one parent');
  for (const variant of [
    'components/operator/overlays/stable',
    'components/operator/overlays/stable-3.14',
    'components/streams/overlays/amq-streams-2.7.x',
    'components/operator/overlays/v1.2',
    'components/kyverno/overlays/policies',
    'components/kyverno/overlays/default',
    'components/oauth/overlays/sso',
    'components/acs/overlays/sso',
  ])
    assert.equal(environments.of(variant), undefined, variant);
  assert.equal(environments.of('apps/web/envs/integration-gpu'), 'integration-gpu');
  assert.ok(
    environments.rejected.some((line) => line.startsWith('components/kyverno/overlays/policies: not an environment')),
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

// What Argo CD's repo server applies to a source before it renders it: `.argocd-source.yaml` and
// `.argocd-source-<app>.yaml` in the source folder (mergeSourceParameters: JSON merge patches, before
// the source type is decided) and argocd-cm `kustomize.buildOptions` (flags of every kustomize build).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import yaml from 'js-yaml';
import { kustomizeBuildOptions } from '../../scripts/render/build-options.ts';
import { mergePatch } from '../../scripts/units/plan.ts';
import type { KubeObject } from '../../scripts/types.ts';
import { loadRepoContext } from '../../scripts/validate/index.ts';
import { cleanupRepos, writeRepo, type RepoEntry } from '../fixtures/deploy/repo.ts';
import { repoRoot } from '../fixtures/pipeline/copy.ts';

after(cleanupRepos);

const REPO = 'https://example.com/acme/platform.git';

function application(name: string, path: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ${name}, namespace: argocd}
spec:
  project: default
  source: {repoURL: ${REPO}, targetRevision: main, path: ${path}}
  destination: {server: https://kubernetes.default.svc, namespace: ${name}}
`;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: ghcr.io/acme/web:1.0.0}
`;

const images = (object: KubeObject | undefined) =>
  (object?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers.map(
    (container) => container.image,
  );

async function load(files: Record<string, RepoEntry>) {
  const root = writeRepo(files, { git: true });
  return { root, ...(await loadRepoContext(root, { cache: false })) };
}

test('mergePatch is RFC 7386: maps merge, null deletes, anything else replaces', () => {
  assert.deepEqual(mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { b: { c: null, x: 1 }, e: [2], f: 'g' }), {
    a: 1,
    b: { d: 3, x: 1 },
    e: [2],
    f: 'g',
  });
});

test('.argocd-source.yaml, then .argocd-source-<app>.yaml, override the source of every Application of that folder', async () => {
  const { ctx } = await load({
    'argocd/web-a.yaml': application('web-a', 'apps/web'),
    'argocd/web-b.yaml': application('web-b', 'apps/web'),
    'apps/web/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'apps/web/deployment.yaml': deployment,
    // What `argocd app set --kustomize-image` writes back, and a per-Application file.
    'apps/web/.argocd-source.yaml': 'kustomize:\n  images: [ghcr.io/acme/web:2.0.0]\n  namePrefix: shared-\n',
    'apps/web/.argocd-source-web-b.yaml': 'kustomize:\n  images: [ghcr.io/acme/web:3.0.0]\npath: elsewhere\n',
  });
  const of = (name: string) => ctx.apps.find((app) => app.applications?.includes(name));
  const a = of('web-a')?.resources.find((resource) => resource.object.kind === 'Deployment');
  const b = of('web-b')?.resources.find((resource) => resource.object.kind === 'Deployment');
  assert.deepEqual(images(a?.object), ['ghcr.io/acme/web:2.0.0']);
  assert.equal(a?.object.metadata?.name, 'shared-web');
  // The per-Application file merges over the shared one; path stays the Application's.
  assert.deepEqual(images(b?.object), ['ghcr.io/acme/web:3.0.0']);
  assert.equal(b?.object.metadata?.name, 'shared-web');
});

test('an override file that is not YAML fails the render on that file', async () => {
  const { problems } = await load({
    'argocd/web.yaml': application('web', 'charts/web'),
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n',
    'charts/web/.argocd-source.yaml': 'helm: [unclosed\n',
  });
  const failed = problems.filter((problem) => problem.ruleId === 'render-failed');
  assert.deepEqual(
    failed.map((problem) => problem.file),
    ['charts/web/.argocd-source.yaml'],
  );
});

test('kustomize.buildOptions: flags that change what kustomize reads are passed; flags that run programs never', () => {
  assert.deepEqual(kustomizeBuildOptions('--load-restrictor LoadRestrictionsNone --enable-helm'), {
    args: ['--load-restrictor', 'LoadRestrictionsNone'],
    dropped: ['--enable-helm (runs programs or reaches the network: never passed)'],
  });
  assert.deepEqual(kustomizeBuildOptions('--enable-alpha-plugins --enable-exec --reorder=none --mount x'), {
    args: ['--reorder=none'],
    dropped: [
      '--enable-alpha-plugins (runs programs or reaches the network: never passed)',
      '--enable-exec (runs programs or reaches the network: never passed)',
      '--mount (runs programs or reaches the network: never passed)',
    ],
  });
  assert.deepEqual(kustomizeBuildOptions(undefined), { args: [], dropped: [] });
});

test("argocd-cm kustomize.buildOptions apply to the Applications' builds (a file outside the folder with LoadRestrictionsNone)", async () => {
  const files: Record<string, RepoEntry> = {
    'argocd/web.yaml': application('web', 'apps/web'),
    'apps/web/kustomization.yaml': 'resources: [deployment.yaml, ../shared/config.yaml]\n',
    'apps/web/deployment.yaml': deployment,
    'apps/shared/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\n',
  };
  const without = await load(files);
  assert.ok(
    without.problems.some(
      (problem) => problem.ruleId === 'render-failed' && /security|not in or below/.test(problem.message),
    ),
    'kustomize refuses a file outside the folder by default',
  );
  const withOptions = await load({
    ...files,
    'argocd/argocd-cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm, namespace: argocd}
data:
  kustomize.buildOptions: --load-restrictor LoadRestrictionsNone --enable-alpha-plugins
`,
  });
  assert.deepEqual(
    withOptions.problems.filter((problem) => problem.ruleId === 'render-failed'),
    [],
  );
  const unit = withOptions.ctx.apps.find((app) => app.applications?.includes('web'));
  assert.ok(unit?.resources.some((resource) => resource.object.metadata?.name === 'shared'));
  assert.ok(
    withOptions.decisions.some((line) =>
      /kustomize\.buildOptions .*--load-restrictor LoadRestrictionsNone; left out: --enable-alpha-plugins/.test(line),
    ),
  );
});

test('gitops apps --app prints the Application with its kustomize overrides applied', () => {
  const root = writeRepo(
    {
      'argocd/web.yaml': `${application('web', 'apps/web')}`.replace(
        'path: apps/web}',
        'path: apps/web, kustomize: {images: [ghcr.io/acme/web:9.9.9], namePrefix: prod-}}',
      ),
      'apps/web/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'apps/web/deployment.yaml': deployment,
    },
    { git: true },
  );
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'gitops.js'), 'apps', root, '--app', 'web'], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /not applied/);
  const objects = yaml.loadAll(result.stdout) as KubeObject[];
  const found = objects.find((object) => object.kind === 'Deployment');
  assert.equal(found?.metadata?.name, 'prod-web');
  assert.deepEqual(images(found), ['ghcr.io/acme/web:9.9.9']);
});

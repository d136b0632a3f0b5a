// `gitops apps`: the Applications Argo CD would create, as JSON or a table; expansion errors on stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { appRow, formatTable, run } from '../../scripts/cli/apps.ts';
import { InputError, UsageError } from '../../scripts/errors.ts';
import { argoModel } from '../../scripts/argocd/index.ts';
import type { KubeObject } from '../../scripts/types.ts';
import { contextFromDir, copyToTemp, fixturesDir, repoRoot } from '../argocd-helpers.ts';

const bin = path.join(repoRoot, 'bin', 'gitops.js');

test('gitops apps --format json lists hand-written and generated Applications; an ApplicationSet error exits 1', () => {
  const root = copyToTemp(path.join(fixturesDir, 'broken'));
  const result = spawnSync(process.execPath, [bin, 'apps', root, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(result.status, 1, result.stderr);
  const rows = JSON.parse(result.stdout) as {
    name: string;
    project: string;
    path?: string;
    file: string;
    line?: number;
    syncPolicy: { automated: boolean };
  }[];
  assert.deepEqual(
    rows.map((row) => `${row.name} ${row.project} ${row.path}`),
    [
      'api-copy shop apps/api',
      'api-dev shop apps/api',
      'api-dev nosuch apps/api',
      'api-kube-system shop apps/api',
      'api-prod default apps/waves',
      'api-typo shop apps/apii',
      'archive shop apps/api',
      'legacy shop apps/legacy',
      'rbac shop apps/rbac',
      'rollout-dev shop apps/rollout',
      'rollout-prod shop apps/rollout',
      'tools shop apps/tools',
      'tools-namespace shop apps/tools-namespace',
    ],
  );
  assert.deepEqual(rows[1].syncPolicy, {
    automated: true,
    prune: true,
    selfHeal: true,
    syncOptions: ['PruneLast=true'],
  });
  assert.deepEqual([rows[1].file, rows[1].line], ['argocd/apps.yaml', 5]);
  assert.match(result.stderr, /argocd\/appset\.yaml:15: error: ApplicationSet services: template metadata\.name fails/);
});

test('gitops apps: a bad format or a path that is not a folder is a clear usage or input error', async () => {
  await assert.rejects(
    run([fixturesDir, '--format', 'yaml']),
    (error: Error) =>
      error instanceof UsageError && /unknown --format "yaml" \(use table or json\)/.test(error.message),
  );
  await assert.rejects(
    run([path.join(fixturesDir, 'nope')]),
    (error: Error) => error instanceof InputError && /is not a folder/.test(error.message),
  );
});

test('the table has one row per Application: name, project, env, path, destination, sync', () => {
  const ctx = contextFromDir(copyToTemp(path.join(fixturesDir, 'broken')));
  const rows = argoModel(ctx).applications.map(appRow);
  const lines = formatTable(rows).split('\n');
  assert.match(lines[0], /^NAME\s+PROJECT\s+ENV\s+PATH\s+DESTINATION\s+SYNC$/);
  assert.equal(lines.length, rows.length + 1);
  assert.match(
    lines.find((line) => line.startsWith('api-prod'))!,
    /^api-prod\s+default\s+prod\s+apps\/waves\s+https:\/\/kubernetes\.default\.svc\/shop-prod\s+auto\+prune$/,
  );
  assert.match(
    lines.find((line) => line.startsWith('api-kube-system'))!,
    /\s+-\s+apps\/api\s+.*manual$/,
  );
});

test('gitops apps --app prints what Argo CD applies: destination namespace, tracking annotation, no Secret value', () => {
  const root = copyToTemp(path.join(fixturesDir, 'broken'));
  mkdirSync(path.join(root, 'apps/api-secret'), { recursive: true });
  writeFileSync(
    path.join(root, 'apps/api-secret/secret.yaml'),
    'apiVersion: v1\nkind: Secret\nmetadata: {name: api-token}\nstringData: {token: s3cr3t-v4lue-planted}\n',
  );
  writeFileSync(
    path.join(root, 'apps/api-secret/config.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api}\ndata: {copy: s3cr3t-v4lue-planted}\n',
  );
  writeFileSync(
    path.join(root, 'argocd/secret-app.yaml'),
    'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: api-secret, namespace: argocd}\nspec:\n  project: shop\n  source: {repoURL: https://github.com/acme/shop.git, path: apps/api-secret}\n  destination: {server: https://kubernetes.default.svc, namespace: shop-dev}\n',
  );
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'apps', root, ...args], { encoding: 'utf8' });
  const kubeSystem = run('--app', 'api-kube-system');
  // Another ApplicationSet's template error goes to stderr, but this Application renders: exit 0.
  assert.equal(kubeSystem.status, 0, kubeSystem.stderr);
  assert.match(kubeSystem.stderr, /argocd\/appset\.yaml:15: error/);
  const [deployment] = yaml.loadAll(kubeSystem.stdout) as KubeObject[];
  assert.equal(deployment.kind, 'Deployment');
  assert.equal(deployment.metadata?.namespace, 'kube-system');
  assert.equal(
    deployment.metadata?.annotations?.['argocd.argoproj.io/tracking-id'],
    'api-kube-system:apps/Deployment:kube-system/api',
  );
  const secret = run('--app', 'api-secret', '--format', 'json');
  assert.doesNotMatch(secret.stdout, /s3cr3t-v4lue-planted/);
  const objects = JSON.parse(secret.stdout) as KubeObject[];
  assert.deepEqual(
    objects.map((object) => `${object.kind}/${object.metadata?.name}`),
    ['ConfigMap/api', 'Secret/api-token'],
  );
  assert.equal((objects[1] as { stringData: Record<string, string> }).stringData.token, '«redacted»');
  const missing = run('--app', 'nosuch');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no Application named nosuch in this repository/);
});

test('gitops apps renders only the kustomizations that hold Argo CD objects (none here: kustomize never runs)', () => {
  const root = copyToTemp(path.join(fixturesDir, 'broken'));
  mkdirSync(path.join(root, 'apps/big'), { recursive: true });
  writeFileSync(path.join(root, 'apps/big/kustomization.yaml'), 'resources: [../api/deployment.yaml]\n');
  const log = path.join(root, '..', `kustomize-calls-${path.basename(root)}.log`);
  const fake = path.join(root, '..', `fake-kustomize-${path.basename(root)}.sh`);
  writeFileSync(fake, `#!/bin/sh\necho "$@" >> '${log}'\necho v5.5.0\n`, { mode: 0o755 });
  const env = { ...process.env, KUSTOMIZE: fake };
  const listed = spawnSync(process.execPath, [bin, 'apps', root, '--format', 'json'], { encoding: 'utf8', env });
  assert.equal(listed.status, 1, listed.stderr);
  assert.equal(existsSync(log), false, 'kustomize ran');
  // An Argo CD object inside a kustomization: that one is rendered.
  writeFileSync(
    path.join(root, 'apps/big/app.yaml'),
    'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\n',
  );
  writeFileSync(path.join(root, 'apps/big/kustomization.yaml'), 'resources: [app.yaml]\n');
  spawnSync(process.execPath, [bin, 'apps', root, '--format', 'json'], { encoding: 'utf8', env });
  assert.equal(existsSync(log), true);
});

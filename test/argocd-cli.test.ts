// `gitops apps`: the Applications Argo CD would create, as JSON or a table; expansion errors on stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { appRow, formatTable, run } from '../scripts/cli/apps.ts';
import { InputError, UsageError } from '../scripts/errors.ts';
import { argoModel } from '../scripts/argocd/index.ts';
import { contextFromDir, copyToTemp, fixturesDir, repoRoot } from './argocd-helpers.ts';

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
      'api-dev shop apps/api',
      'api-dev nosuch apps/api',
      'api-kube-system shop apps/api',
      'api-prod default apps/waves',
      'api-typo shop apps/apii',
      'archive shop apps/api',
      'rbac shop apps/rbac',
      'tools shop apps/tools',
      'tools-namespace shop apps/tools-namespace',
    ],
  );
  assert.deepEqual(rows[0].syncPolicy, {
    automated: true,
    prune: true,
    selfHeal: true,
    syncOptions: ['PruneLast=true'],
  });
  assert.deepEqual([rows[0].file, rows[0].line], ['argocd/apps.yaml', 5]);
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

// `gitops diff` end to end on the five changes of issue 16, each in stylish, json and markdown
// against golden files (UPDATE_SNAPSHOTS=1 rewrites them): an image bump in prod only, a renamed
// service that renames its Applications, an ApplicationSet list element removed, a Secret value
// changed, a kustomize hash-suffixed ConfigMap changed. Both sides go through the real pipeline
// (git, kustomize, every check) from a repository made in a temporary folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { formatDiffJson } from '../../scripts/diff/json.ts';
import { formatDiffMarkdown } from '../../scripts/diff/markdown.ts';
import { formatDiffStylish } from '../../scripts/diff/stylish.ts';
import type { DiffReport } from '../../scripts/diff/index.ts';
import { linker } from '../../scripts/cli/diff.ts';
import { TOOL } from '../../scripts/validate/index.ts';
import { diffFixture, editFile, moveFolder } from './diff-helpers.ts';

const golden = (name: string) => fileURLToPath(new URL(`../fixtures/diff/cases/${name}`, import.meta.url));

function checkGolden(name: string, actual: string): void {
  const file = golden(name);
  if (process.env.UPDATE_SNAPSHOTS || !existsSync(file)) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, actual);
    if (!process.env.UPDATE_SNAPSHOTS) assert.fail(`${name} did not exist; written. Review it and run again.`);
    return;
  }
  assert.equal(
    actual,
    readFileSync(file, 'utf8'),
    `${name} differs from its golden file (UPDATE_SNAPSHOTS=1 rewrites it)`,
  );
}

const link = linker('https://github.com/example/shop/blob/head', 'https://github.com/example/shop/blob/base');

/** The three formats of one case against its golden files. */
function checkFormats(name: string, report: DiffReport): { stylish: string; json: string; markdown: string } {
  const outputs = {
    stylish: formatDiffStylish(report),
    json: formatDiffJson(report, TOOL),
    markdown: formatDiffMarkdown(report, { link }),
  };
  checkGolden(`${name}.txt`, outputs.stylish);
  checkGolden(`${name}.json`, outputs.json);
  checkGolden(`${name}.md`, outputs.markdown);
  return outputs;
}

test("an image bump in prod only: one Deployment changed in prod, the matrix marks prod's image cell", async () => {
  const report = await diffFixture((root) =>
    editFile(root, 'overlays/prod/web/kustomization.yaml', (text) => text.replace('newTag: 1.3.0', 'newTag: 1.4.0')),
  );
  checkFormats('image-bump-prod', report);
  assert.deepEqual(report.summary.changedEnvironments, ['prod']);
  const [prod] = report.environments;
  assert.deepEqual(
    prod.apps.map((app) => [app.app, app.objects.map((o) => [o.change, o.ref.kind, o.ref.name, o.paths])]),
    [['overlays/prod/web', [['changed', 'Deployment', 'web', ['spec.template.spec.containers[0].image']]]]],
  );
  const web = report.matrix.rows.find((row) => row.service === 'web')!;
  assert.deepEqual(web.cells.prod.changed, ['image']);
  assert.deepEqual([web.cells.prod.before?.image, web.cells.prod.after?.image], ['1.3.0', '1.4.0']);
  assert.deepEqual(web.cells.staging.changed, []);
  assert.deepEqual(report.applications, []);
});

test('a renamed service: its Applications are renamed, and Argo CD deletes and re-creates what they deploy', async () => {
  const report = await diffFixture((root) => {
    for (const env of ['dev', 'staging', 'prod']) {
      moveFolder(root, `overlays/${env}/api`, `overlays/${env}/orders`);
      editFile(root, `argocd/appset-${env}.yaml`, (text) =>
        text.replace('- name: api\n', '- name: orders\n').replace(`overlays/${env}/api`, `overlays/${env}/orders`),
      );
    }
  });
  checkFormats('service-renamed', report);
  assert.deepEqual(
    report.applications.map((app) => [app.change, app.previousName, app.name, app.fate]),
    [
      ['renamed', 'api-dev', 'orders-dev', 'deletes-resources'],
      ['renamed', 'api-prod', 'orders-prod', 'deletes-resources'],
      ['renamed', 'api-staging', 'orders-staging', 'deletes-resources'],
    ],
  );
  // The folders moved with the same objects: three app renames, nothing added or removed; the three
  // ApplicationSet files changed.
  const apps = report.environments.flatMap((entry) => entry.apps).filter((app) => app.app.startsWith('overlays/'));
  assert.deepEqual(
    apps.map((app) => [app.change, app.previousApp, app.app, app.objects.length]),
    [
      ['renamed', 'overlays/dev/api', 'overlays/dev/orders', 0],
      ['renamed', 'overlays/prod/api', 'overlays/prod/orders', 0],
      ['renamed', 'overlays/staging/api', 'overlays/staging/orders', 0],
    ],
  );
  const prod = report.applications.find((app) => app.name === 'orders-prod')!;
  assert.match(prod.explanation, /without any prune step/);
  assert.deepEqual(prod.resources, [
    'Deployment/shop-prod/api',
    'Secret/shop-prod/api-credentials',
    'Service/shop-prod/api',
  ]);
});

test('an ApplicationSet list element removed: the Application goes, with its resources (the finalizer), and nothing else changes', async () => {
  const report = await diffFixture((root) =>
    editFile(root, 'argocd/appset-prod.yaml', (text) =>
      text.replace('          - name: web\n            path: overlays/prod/web\n', ''),
    ),
  );
  checkFormats('appset-element-removed', report);
  assert.deepEqual(
    report.applications.map((app) => [app.change, app.name, app.appSet, app.fate]),
    [['removed', 'web-prod', 'shop-prod', 'deletes-resources']],
  );
  const removed = report.applications[0];
  assert.deepEqual(removed.resources, [
    'ConfigMap/shop-prod/web-config-hf678c7m2b',
    'Deployment/shop-prod/web',
    'Service/shop-prod/web',
  ]);
  // The rendered objects of overlays/prod/web are the same; only the ApplicationSet file changed.
  assert.deepEqual(
    report.environments.flatMap((entry) => entry.apps.map((app) => app.app)),
    ['argocd/appset-prod.yaml'],
  );
  // Nothing deploys prod's web any more: its sync-policy cell empties.
  const web = report.matrix.rows.find((row) => row.service === 'web')!;
  assert.deepEqual([web.cells.prod.before?.syncPolicy, web.cells.prod.after?.syncPolicy], ['manual', 'not deployed']);
});

test('a Secret value changed: "changed" with two short hashes, and the values in no format', async () => {
  const report = await diffFixture((root) =>
    editFile(root, 'overlays/prod/api/secret.yaml', (text) =>
      text.replace('fixture-prod-password-1', 'fixture-prod-password-2'),
    ),
  );
  const outputs = checkFormats('secret-changed', report);
  const [object] = report.environments[0].apps[0].objects;
  assert.equal(object.ref.kind, 'Secret');
  assert.deepEqual(
    object.secrets.map((secret) => [secret.path, secret.change]),
    [
      ['stringData.password', 'changed'],
      ['stringData.username', 'unchanged'],
    ],
  );
  assert.notEqual(object.secrets[0].before, object.secrets[0].after);
  for (const [format, text] of Object.entries(outputs)) {
    for (const value of ['fixture-prod-password-1', 'fixture-prod-password-2', 'shop\n'])
      assert.ok(!text.includes(value), `${format} shows the secret value ${JSON.stringify(value)}`);
  }
});

test('a kustomize hash-suffixed ConfigMap changed: one rename with its content diff, and the Deployment that mounts it', async () => {
  const report = await diffFixture((root) =>
    editFile(root, 'overlays/staging/web/kustomization.yaml', (text) =>
      text.replace('      - LOG_LEVEL=info', '      - LOG_LEVEL=debug'),
    ),
  );
  checkFormats('configmap-hash', report);
  const [staging] = report.environments;
  assert.equal(staging.env, 'staging');
  assert.deepEqual(
    staging.apps[0].objects.map((o) => [o.change, o.ref.kind, o.previousName ?? null, o.ref.name]),
    [
      ['renamed', 'ConfigMap', 'web-config-hf678c7m2b', staging.apps[0].objects[0].ref.name],
      ['changed', 'Deployment', null, 'web'],
    ],
  );
  assert.match(staging.apps[0].objects[0].diff, /-\s+LOG_LEVEL: info\n\+\s+LOG_LEVEL: debug/);
  assert.deepEqual(staging.objects, { added: 0, removed: 0, changed: 1, renamed: 1 });
});

test('the README\'s "Pull requests" excerpt is the image-bump comment as the golden file has it', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const quoted = readFileSync(golden('image-bump-prod.md'), 'utf8')
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');
  assert.ok(
    readme.includes(`\n${quoted}\n`),
    'README.md quotes test/fixtures/diff/cases/image-bump-prod.md: copy it again',
  );
});

// `gitops diff`: the command line (exit codes, --fail-on, formats), the base checkout (the person's
// checkout untouched, symlinks kept inside), secret masking, the fate of departing Applications, the
// object pairing, findings as multisets and the markdown budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDiff } from '../../scripts/cli/diff.ts';
import { UsageError } from '../../scripts/errors.ts';
import { InputError } from '../../scripts/errors.ts';
import { fateOf } from '../../scripts/diff/applications.ts';
import { checkoutRef, repositoryOf } from '../../scripts/diff/checkout.ts';
import { diffFindings } from '../../scripts/diff/findings.ts';
import { diffSnapshots } from '../../scripts/diff/index.ts';
import { formatDiffMarkdown } from '../../scripts/diff/markdown.ts';
import { maskObject, secretHasher, secretPaths } from '../../scripts/diff/mask.ts';
import { diffObjects } from '../../scripts/diff/objects.ts';
import {
  SNAPSHOT_FORMAT,
  type SideSnapshot,
  type SnapshotApplication,
  type SnapshotObject,
} from '../../scripts/diff/snapshot.ts';
import type { Finding, KubeObject, RepoContext, Resource } from '../../scripts/types.ts';
import { committedRepo, editFile, git } from './diff-helpers.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const cache = mkdtempSync(join(tmpdir(), 'gitops-diff-cli-cache-'));
  return {
    io: {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      env: { GITOPS_CACHE_DIR: cache },
    },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

test('gitops diff: exit 0 whatever the diff, 1 on a --fail-on condition that holds, usage errors for bad flags', async () => {
  const root = committedRepo();
  editFile(root, 'overlays/prod/web/kustomization.yaml', (text) => text.replace('newTag: 1.3.0', 'newTag: 1.4.0'));
  const status = git(root, 'status', '--porcelain');

  const plain = io();
  assert.equal(await runDiff(['--base', 'HEAD', root, '--format', 'json'], plain.io), 0);
  const json = JSON.parse(plain.out());
  assert.deepEqual(json.summary.changedEnvironments, ['prod']);
  assert.equal(json.base.ref, 'HEAD');
  assert.equal(json.head.ref, null);

  const failing = io();
  assert.equal(
    await runDiff(['--base', 'HEAD', root, '--fail-on', 'new-errors,prod-changes', '--format', 'markdown'], failing.io),
    1,
  );
  assert.match(failing.err(), /--fail-on prod-changes: prod/);
  assert.doesNotMatch(failing.err(), /new-errors/);
  assert.match(failing.out(), /^<!-- gitops-diff -->/);

  const passing = io();
  assert.equal(await runDiff(['--base', 'HEAD', root, '--fail-on', 'deleted-applications,new-errors'], passing.io), 0);
  assert.match(passing.out(), /gitops diff HEAD \([0-9a-f]{7}\) → working tree/);

  // The person's checkout is as it was: same status, no worktree registered, nothing new in it.
  assert.equal(git(root, 'status', '--porcelain'), status);
  assert.equal(git(root, 'worktree', 'list').trim().split('\n').length, 1);

  await assert.rejects(runDiff([root], io().io), UsageError);
  await assert.rejects(runDiff(['--base', 'HEAD', root, '--fail-on', 'everything'], io().io), UsageError);
  await assert.rejects(runDiff(['--base', 'HEAD', root, '--format', 'sarif'], io().io), UsageError);
  await assert.rejects(runDiff(['--base', 'no-such-branch', root], io().io), InputError);
  await assert.rejects(
    runDiff(['--base', '--output=/tmp/x', root], io().io),
    /--output|not a commit|needs a value|requires/,
  );
});

test('gitops diff --head <ref>: both sides from git; the same commit twice is no change', async () => {
  const root = committedRepo();
  const run = io();
  assert.equal(await runDiff(['--base', 'HEAD', '--head', 'main', root], run.io), 0);
  assert.match(run.out(), /\nno changes\n/);
});

test('the base checkout writes the commit byte for byte, keeps symlinks that stay inside and drops those that leave', async () => {
  const root = committedRepo();
  symlinkSync('base/web/deployment.yaml', join(root, 'inside.yaml'));
  symlinkSync('/etc/passwd', join(root, 'outside.yaml'));
  writeFileSync(join(root, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) % 256));
  writeFileSync(join(root, 'cert.der'), bytes);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'links');
  const checkout = await checkoutRef(repositoryOf(root), 'HEAD');
  try {
    assert.equal(readlinkSync(join(checkout.dir, 'inside.yaml')), 'base/web/deployment.yaml');
    assert.equal(existsSync(join(checkout.dir, 'outside.yaml')), false);
    assert.deepEqual(checkout.skipped, ['outside.yaml: a symlink that leads outside the repository']);
    assert.ok(lstatSync(join(checkout.dir, 'run.sh')).mode & 0o100);
    assert.ok(readFileSync(join(checkout.dir, 'cert.der')).equals(bytes), 'binary files arrive byte for byte');
    assert.ok(existsSync(join(checkout.dir, 'overlays/prod/api/secret.yaml')));
  } finally {
    checkout.remove();
  }
  assert.equal(existsSync(checkout.dir), false);
});

const ctx: RepoContext = { root: '/r', kubernetesVersion: '1.32', apps: [], environments: [], kustomizations: [] };
function resource(object: KubeObject): Resource {
  return { object, origin: { app: 'a', file: 'a.yaml' }, locate: () => ({ file: 'a.yaml' }) };
}

test('masking: Secret data, what the secret rule flags and what the detector recognises anywhere; the original untouched', () => {
  const hash = secretHasher('k');
  const secret = resource({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { a: 'aHVudGVyMg==' },
    stringData: { b: 'x' },
  });
  const app = { id: 'a', kind: 'manifests' as const, resources: [] };
  const masked = maskObject(secret.object, secretPaths(secret, ctx, app), hash);
  assert.deepEqual(masked.object.data, { a: `<secret ${hash('aHVudGVyMg==')}>` });
  assert.deepEqual(
    masked.masked.map((value) => value.path),
    ['data.a', 'stringData.b'],
  );
  assert.equal((secret.object.data as Record<string, string>).a, 'aHVudGVyMg==');

  const deployment = resource({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'c',
              image: 'i:1',
              env: [
                { name: 'DB_PASSWORD', value: 'correct-horse' },
                { name: 'LOG_LEVEL', value: 'info' },
              ],
            },
          ],
        },
      },
    },
  });
  const shown = JSON.stringify(maskObject(deployment.object, secretPaths(deployment, ctx, app), hash).object);
  assert.ok(!shown.includes('correct-horse'));
  assert.ok(shown.includes('"info"'));

  const custom = resource({
    apiVersion: 'example.com/v1',
    kind: 'Thing',
    metadata: { name: 't' },
    spec: { auth: { token: 'ghp_' + 'a'.repeat(36) } },
  });
  const text = JSON.stringify(maskObject(custom.object, secretPaths(custom, ctx, app), hash).object);
  assert.ok(!text.includes('ghp_'), 'a GitHub token in a custom resource is masked');
  // Keyed: another key gives another hash for the same value.
  assert.notEqual(secretHasher('k')('v'), secretHasher('other')('v'));
});

function snapshotObject(object: KubeObject): SnapshotObject {
  return {
    ref: { apiVersion: object.apiVersion!, kind: object.kind!, namespace: 'ns', name: object.metadata!.name! },
    file: 'f.yaml',
    object,
    secrets: [],
  };
}
const configMap = (name: string, value: string) =>
  snapshotObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data: { k: value } });

test('object pairing: one hash-suffix rename; two candidates stay removed and added; an apiVersion move is a change', () => {
  const one = diffObjects([configMap('c-2g4h5k6m7t', 'a')], [configMap('c-9bcdfghkmt', 'b')]);
  assert.deepEqual(
    one.map((o) => [o.change, o.previousName, o.ref.name]),
    [['renamed', 'c-2g4h5k6m7t', 'c-9bcdfghkmt']],
  );
  const two = diffObjects(
    [configMap('c-2g4h5k6m7t', 'a'), configMap('c-2g4h5k6m7b', 'b')],
    [configMap('c-9bcdfghkmt', 'c'), configMap('c-9bcdfghkm2', 'd')],
  );
  assert.deepEqual(two.map((o) => o.change).sort(), ['added', 'added', 'removed', 'removed']);
  // Not a kustomize suffix (wrong alphabet): plain add and remove.
  const plain = diffObjects([configMap('c-aaaaaaaaaa', 'a')], [configMap('c-bbbbbbbbbb', 'a')]);
  assert.deepEqual(plain.map((o) => o.change).sort(), ['added', 'removed']);
  const moved = diffObjects(
    [snapshotObject({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'p' } })],
    [snapshotObject({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' } })],
  );
  assert.deepEqual(
    moved.map((o) => [o.change, o.paths]),
    [['changed', ['apiVersion']]],
  );
});

function side(applications: SnapshotApplication[], appSets: SideSnapshot['appSets'] = []): SideSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    environments: [],
    apps: [],
    applications,
    appSets,
    findings: [],
    faults: [],
    summary: { apps: 0, resources: 0 },
  };
}
function application(
  name: string,
  extra: Partial<SnapshotApplication> = {},
  automated?: { prune?: boolean },
): SnapshotApplication {
  return {
    name,
    file: 'apps.yaml',
    object: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name },
      spec: automated ? { syncPolicy: { automated } } : {},
    },
    secrets: [],
    finalizers: [],
    sourcePaths: [],
    resources: ['Deployment/ns/a', 'Service/ns/a'],
    ...extra,
  };
}
const FINALIZER = ['resources-finalizer.argocd.argoproj.io'];
const appSet = (applicationsSync?: string, extra: object = {}) => ({
  name: 'set',
  file: 'set.yaml',
  preserveResourcesOnDeletion: false,
  ...(applicationsSync ? { applicationsSync } : {}),
  ...extra,
});

test("fate of a departing Application: Argo CD's rules for ApplicationSets, finalizers and parents", () => {
  const generated = application('g', { appSet: 'set', finalizers: FINALIZER });
  const fate = (app: SnapshotApplication, base: SideSnapshot, head: SideSnapshot) => fateOf(app, base, head).fate;
  assert.equal(fate(generated, side([], [appSet()]), side([], [appSet()])), 'deletes-resources');
  assert.match(fateOf(generated, side([], [appSet()]), side([], [appSet()])).explanation, /without any prune step/);
  assert.equal(fate(generated, side([], [appSet()]), side([], [appSet('create-delete')])), 'deletes-resources');
  assert.equal(fate(generated, side([], [appSet()]), side([], [appSet('create-only')])), 'kept');
  assert.equal(fate(generated, side([], [appSet()]), side([], [appSet('create-update')])), 'kept');
  const preserved = application('g', { appSet: 'set', finalizers: [] });
  assert.equal(fate(preserved, side([], [appSet()]), side([], [appSet()])), 'orphans-resources');
  // The ApplicationSet itself removed: what deletes it decides.
  const pruned = appSet(undefined, { managedBy: { name: 'root', prune: true } });
  assert.equal(fate(generated, side([], [pruned]), side([])), 'deletes-resources');
  const manual = appSet(undefined, { managedBy: { name: 'root', prune: false } });
  assert.equal(fate(generated, side([], [manual]), side([])), 'waits-for-prune');
  assert.equal(fate(generated, side([], [appSet()]), side([])), 'not-managed');
  // Written by hand: its parent Application decides.
  const child = (managedBy?: { name: string; prune: boolean }) =>
    application('c', { finalizers: FINALIZER, ...(managedBy ? { managedBy } : {}) });
  assert.equal(fate(child({ name: 'root', prune: true }), side([]), side([])), 'deletes-resources');
  assert.equal(
    fate(application('c', { managedBy: { name: 'root', prune: true } }), side([]), side([])),
    'orphans-resources',
  );
  assert.equal(fate(child({ name: 'root', prune: false }), side([]), side([])), 'waits-for-prune');
  assert.equal(fate(child(), side([]), side([])), 'not-managed');
});

test('Applications: a removed and an added one from the same ApplicationSet and destination are a rename; two of each are not', () => {
  const gen = (name: string) => application(name, { appSet: 'set', finalizers: FINALIZER });
  const renamed = diffSnapshots(side([gen('a')], [appSet()]), side([gen('b')], [appSet()]), sides);
  assert.deepEqual(
    renamed.applications.map((a) => [a.change, a.previousName, a.name]),
    [['renamed', 'a', 'b']],
  );
  const ambiguous = diffSnapshots(
    side([gen('a'), gen('b')], [appSet()]),
    side([gen('c'), gen('d')], [appSet()]),
    sides,
  );
  assert.deepEqual(
    ambiguous.applications.map((a) => a.change),
    ['removed', 'removed', 'added', 'added'],
  );
});
const sides = { base: { ref: 'main', commit: '0'.repeat(40) }, head: { ref: null, commit: null } };

const finding = (message: string, line: number): Finding => ({
  ruleId: 'r',
  severity: 'error',
  message,
  file: 'f.yaml',
  line,
  app: 'a',
});

test('findings: matched without line numbers and counted, so a moved finding is neither introduced nor fixed', () => {
  const changes = diffFindings(
    [finding('x', 3), finding('y', 4)],
    [finding('x', 9), finding('x', 10), finding('z', 1)],
  );
  assert.deepEqual(
    changes.introduced.map((f) => [f.message, f.line]),
    [
      ['z', 1],
      ['x', 10],
    ].sort((a, b) => Number(a[1]) - Number(b[1])),
  );
  assert.deepEqual(
    changes.fixed.map((f) => f.message),
    ['y'],
  );
  const renamed = diffFindings(
    [{ ...finding('Application api-dev prunes', 1), app: 'overlays/dev/api', file: 'overlays/dev/api/k.yaml' }],
    [
      {
        ...finding('Application orders-dev prunes', 2),
        app: 'overlays/dev/orders',
        file: 'overlays/dev/orders/k.yaml',
      },
    ],
    {
      apps: new Map([['overlays/dev/api', 'overlays/dev/orders']]),
      applications: new Map([['api-dev', 'orders-dev']]),
    },
  );
  assert.deepEqual(renamed, { introduced: [], fixed: [] });
});

test('markdown: under the budget whatever the size, saying how many sections it left out', () => {
  const big = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: `overlays/prod/svc-${i}`,
      kind: 'kustomization' as const,
      env: 'prod',
      objects: [configMap(`svc-${i}`, 'x'.repeat(2000))],
    }));
  const base: SideSnapshot = { ...side([]), apps: big(200) };
  const head: SideSnapshot = {
    ...side([]),
    apps: big(200).map((app) => ({ ...app, objects: [configMap(app.objects[0].ref.name, 'y'.repeat(2000))] })),
  };
  const report = diffSnapshots(base, head, sides);
  const text = formatDiffMarkdown(report, { budget: 20_000 });
  assert.ok(text.length <= 20_000, `${text.length} characters`);
  const match = /_(\d+) more app sections \((\d+) objects\) not shown/.exec(text);
  assert.ok(match, 'says what it left out');
  const shown = (text.match(/<details>/g) ?? []).length;
  assert.equal(shown + Number(match[1]), 200);
  assert.ok(shown > 0);
});

test('a repository that is not a git repository is a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-diff-nogit-'));
  try {
    await assert.rejects(
      runDiff(['--base', 'main', dir], io().io),
      (error: Error) => error instanceof InputError && /git repository/.test(error.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a subfolder: only its apps, with paths relative to the repository top on both sides', async () => {
  const root = committedRepo();
  editFile(root, 'overlays/prod/web/kustomization.yaml', (text) => text.replace('newTag: 1.3.0', 'newTag: 1.4.0'));
  editFile(root, 'overlays/staging/web/kustomization.yaml', (text) => text.replace('newTag: 1.2.0', 'newTag: 1.2.1'));
  const run = io();
  assert.equal(await runDiff(['--base', 'HEAD', join(root, 'overlays/prod'), '--format', 'json'], run.io), 0);
  const json = JSON.parse(run.out());
  assert.deepEqual(
    json.environments.map((entry: { env: string; apps: { app: string }[] }) => [
      entry.env,
      entry.apps.map((a) => a.app),
    ]),
    [['prod', ['overlays/prod/web']]],
  );
  assert.deepEqual(json.findings, { introduced: [], fixed: [] }, 'the same findings on both sides, at the same paths');
});

/** The fixture with `setup` committed as the base, then the prod ApplicationSet's web element removed. */
async function removeProdWeb(setup: (text: string) => string) {
  const root = committedRepo();
  editFile(root, 'argocd/appset-prod.yaml', setup);
  git(root, 'commit', '-qam', 'policy');
  editFile(root, 'argocd/appset-prod.yaml', (text) =>
    text.replace('          - name: web\n            path: overlays/prod/web\n', ''),
  );
  const run = io();
  assert.equal(await runDiff(['--base', 'HEAD', root, '--format', 'json'], run.io), 0);
  return JSON.parse(run.out()).applications as { name: string; fate: string }[];
}

test("through Argo CD's model: preserveResourcesOnDeletion orphans, applicationsSync create-only keeps, the default deletes", async () => {
  const policy = (lines: string) => (text: string) =>
    text.replace('  template:\n', `  syncPolicy:\n${lines}  template:\n`);
  assert.deepEqual(
    (await removeProdWeb(policy('    preserveResourcesOnDeletion: true\n'))).map((a) => [a.name, a.fate]),
    [['web-prod', 'orphans-resources']],
  );
  assert.deepEqual(
    (await removeProdWeb(policy('    applicationsSync: create-only\n'))).map((a) => [a.name, a.fate]),
    [['web-prod', 'kept']],
  );
  assert.deepEqual(
    (await removeProdWeb((text) => text.replace('namespace: argocd\n', 'namespace: argocd\n  # default policy\n'))).map(
      (a) => [a.name, a.fate],
    ),
    [['web-prod', 'deletes-resources']],
  );
});

test('the command line redacts secret shapes the masking does not know (a JWT under a plain key), in every format', async () => {
  const root = committedRepo();
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl';
  editFile(
    root,
    'overlays/prod/web/kustomization.yaml',
    (text) =>
      `${text}configMapGenerator:\n  - name: web-config\n    behavior: merge\n    literals:\n      - NOTE=${jwt}\n`,
  );
  for (const format of ['stylish', 'json', 'markdown']) {
    const run = io();
    assert.equal(await runDiff(['--base', 'HEAD', root, '--format', format], run.io), 0);
    assert.match(run.out(), /NOTE/, `${format} shows the change`);
    assert.ok(!run.out().includes(jwt), `${format} shows the token`);
    if (format === 'json') JSON.parse(run.out());
  }
});

test('findings through the real pipeline: a mutable tag in prod is one introduced error, and --fail-on new-errors exits 1', async () => {
  const root = committedRepo();
  editFile(root, 'overlays/prod/web/kustomization.yaml', (text) => text.replace('newTag: 1.3.0', 'newTag: latest'));
  const run = io();
  assert.equal(await runDiff(['--base', 'HEAD', root, '--format', 'json', '--fail-on', 'new-errors'], run.io), 1);
  const json = JSON.parse(run.out());
  assert.deepEqual(
    json.findings.introduced.map((f: { ruleId: string; file: string; env: string }) => [f.ruleId, f.file, f.env]),
    [['image-tag-pinned', 'overlays/prod/web/kustomization.yaml', 'prod']],
  );
  assert.deepEqual(json.findings.fixed, []);
  assert.match(run.err(), /--fail-on new-errors: 1 new error/);
});

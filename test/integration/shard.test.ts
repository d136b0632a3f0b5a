// validate --shard i/n and merge-shards on a copy of the built-in example with mistakes in it, some
// per app (a privileged container) and some across apps (an environment an overlay is missing from, an
// Application whose project and folder are gone): the merged report is the unsharded one in every
// format, byte for byte but for durations, with its exit code; a set that is not one run is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateInProcess } from '../cli-helpers.ts';
import { runMergeShards } from '../../scripts/cli/merge-shards.ts';
import { InputError, UsageError } from '../../scripts/errors.ts';
import { git } from './diff-helpers.ts';

const toolRoot = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'gitops-shard-test-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

const repo = join(work, 'repo');
for (const part of ['base', 'overlays', 'argocd', 'gitops.yaml'])
  cpSync(join(toolRoot, part), join(repo, part), { recursive: true });
rmSync(join(repo, 'overlays/prod/redis'), { recursive: true });
rmSync(join(repo, 'argocd/appproject-staging.yaml'));
const deployment = join(repo, 'base/api-gateway/deployment.yaml');
writeFileSync(deployment, readFileSync(deployment, 'utf8').replace('privileged: false', 'privileged: true'));
git(repo, 'init', '-q', '-b', 'main');
git(repo, 'add', '-A');
git(repo, 'commit', '-q', '-m', 'fixture');

const formats = ['json', 'sarif', 'junit', 'github', 'markdown', 'stylish'];
const outputs = (dir: string) => formats.flatMap((format) => ['-f', format, '-o', join(dir, format)]);
const read = (dir: string, format: string) =>
  readFileSync(join(dir, format), 'utf8')
    .replace(/"durationMs": \d+/g, '"durationMs": 0')
    .replace(/(<testsuites [^>]*)time="[\d.]+"/, '$1time="0"')
    .replace(/ · (?:\d+ min )?[\d.]+ m?s( ·|\n|$)/g, ' · (duration)$1');

async function merge(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    return { code: await runMergeShards(args, { stdout: { write: () => true }, env: {} }), stderr: '' };
  } catch (caught) {
    if (caught instanceof UsageError) return { code: 2, stderr: caught.message };
    if (caught instanceof InputError) return { code: 2, stderr: caught.format() };
    throw caught;
  }
}

/** Runs the shards of a split, each writing its JSON report; returns the reports' paths. */
async function shards(count: number, name: string, ...args: string[]): Promise<string[]> {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let index = 1; index <= count; index++) {
    const file = join(dir, `shard-${index}.json`);
    const run = await validateInProcess(repo, '--shard', `${index}/${count}`, '-f', 'json', '-o', file, ...args);
    assert.notEqual(run.code, 2, run.stderr);
    files.push(file);
  }
  return files;
}

const whole = join(work, 'whole');
let wholeRun: { code: number };
let reports: string[];

test('the shards of a split join into the unsharded report in every format, and its exit code', async () => {
  wholeRun = await validateInProcess(repo, '--no-cache', ...outputs(whole));
  const json = JSON.parse(readFileSync(join(whole, 'json'), 'utf8'));
  const rules = new Set(json.findings.map((finding: { ruleId: string }) => finding.ruleId));
  // The comparison means something only if both kinds of finding are there.
  for (const rule of ['no-privileged', 'env-consistency', 'argocd-project-exists', 'argocd-path-renders'])
    assert.ok(rules.has(rule), `the unsharded run finds ${rule}`);
  assert.equal(wholeRun.code, 1);

  reports = await shards(3, 'split');
  const records = reports.map((file) => JSON.parse(readFileSync(file, 'utf8')).shard);
  const apps = records.flatMap((record) => record.apps as string[]);
  assert.equal(new Set(apps).size, apps.length, 'no app is checked by two shards');
  assert.equal(apps.length, json.summary.apps, 'every app is checked by some shard');
  for (const record of records) {
    assert.ok(record.apps.length >= json.summary.apps / 6, `shard ${record.index} has its share: ${record.apps}`);
    assert.ok(record.renders.length > 0, `shard ${record.index} carries its renders`);
  }

  const merged = join(work, 'merged');
  const run = await merge(...reports, '--repo', repo, ...outputs(merged));
  assert.equal(run.code, wholeRun.code, run.stderr);
  for (const format of formats) assert.equal(read(merged, format), read(whole, format), format);
});

test("a shard's own report says which shard it is and what its cross-app checks saw", async () => {
  const shard = JSON.parse(readFileSync(reports[0], 'utf8'));
  assert.equal(shard.shard.index, 1);
  assert.deepEqual(shard.shard.args, ['.']);
  const stylish = await validateInProcess(repo, '--shard', '1/3', '--no-color');
  assert.match(stylish.stdout, /shard 1\/3: cross-app checks saw only these apps/);
});

test('merge-shards refuses a set that is not one run', async () => {
  const missing = await merge(reports[0], reports[2], '--repo', repo);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /shard 2\/3 missing/);
  const twice = await merge(reports[0], reports[1], reports[1], reports[2], '--repo', repo);
  assert.match(twice.stderr, /shard 2\/3 is given twice/);
  const otherOptions = join(work, 'quiet-shard-3.json');
  await validateInProcess(repo, '--shard', '3/3', '--quiet', '-f', 'json', '-o', otherOptions);
  const options = await merge(reports[0], reports[1], otherOptions, '--repo', repo);
  assert.match(options.stderr, /ran with different options/);
  // Options that run code or reach a URL come from the person running the merge, never from a report.
  const schemas = join(work, 'schemas');
  mkdirSync(schemas);
  const [withSchemas] = await shards(1, 'schemas', '--schema-location', schemas);
  const notRepeated = await merge(withSchemas, '--repo', repo);
  assert.match(notRepeated.stderr, /the shards ran with --schema-location=.*schemas; merge-shards was given none/);
  const repeated = await merge(withSchemas, '--repo', repo, '--schema-location', schemas);
  assert.equal(repeated.code, wholeRun.code, repeated.stderr);
  const notShard = await merge(join(whole, 'json'), '--repo', repo);
  assert.match(notShard.stderr, /is not a shard report/);
  const notJson = await merge(join(whole, 'stylish'), '--repo', repo);
  assert.match(notJson.stderr, /is not a readable JSON report/);
});

test('--changed-since with --shard: the changed apps are shared out, and the merge is the unsharded run', async () => {
  const base = git(repo, 'rev-parse', 'HEAD').trim();
  for (const env of ['dev', 'staging']) {
    const file = join(repo, `overlays/${env}/order-service/kustomization.yaml`);
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n# changed\n`);
  }
  git(repo, 'commit', '-q', '-am', 'change two overlays');
  const changedWhole = join(work, 'changed-whole');
  const wholeChanged = await validateInProcess(repo, '--no-cache', '--changed-since', base, ...outputs(changedWhole));
  const split = await shards(2, 'changed', '--changed-since', base);
  const records = split.map((file) => JSON.parse(readFileSync(file, 'utf8')).shard);
  assert.deepEqual(
    records.map((record) => record.apps.length),
    [1, 1],
    `each shard checks one of the two changed apps: ${JSON.stringify(records.map((record) => record.apps))}`,
  );
  const merged = join(work, 'changed-merged');
  const run = await merge(...split, '--repo', repo, ...outputs(merged));
  assert.equal(run.code, wholeChanged.code, run.stderr);
  for (const format of formats) assert.equal(read(merged, format), read(changedWhole, format), format);

  // The shards of the commit before are not this checkout's.
  const stale = await merge(...reports, '--repo', repo);
  assert.match(stale.stderr, /the shards checked commit [0-9a-f]{40}, this checkout is at [0-9a-f]{40}/);
});

// README.md's "Use it on your repository" and "Getting argocd/ into Argo CD", followed word by word: each
// snippet a person copies is taken from the README and run or parsed here. (The install commands,
// `npm i -D` then `npx gitops validate`, are what test/integration/package.test.ts does with the packed
// tarball, offline.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse } from 'yaml';
import { parseAnyConfig, schemaPath } from '../../scripts/config/index.ts';
import { help as validateHelp } from '../../scripts/cli/validate.ts';

const toolRoot = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(toolRoot, 'README.md'), 'utf8');

/** The fenced block whose first line is `# <name>`. */
function snippet(name: string): string {
  const match = new RegExp(
    '```(?:yaml|sh)\\n# ' + name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') + '[^\\n]*\\n([\\s\\S]*?)```',
  ).exec(readme);
  assert.ok(match, `README has a block starting "# ${name}"`);
  return match[1];
}

test('README: the lint-only gitops.yaml is one, valid, and shows every lint setting but plugins', () => {
  const config = parseAnyConfig(snippet('gitops.yaml'), 'README gitops.yaml');
  assert.ok('lintOnly' in config);
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
    definitions: { lint: { properties: Record<string, unknown> } };
  };
  assert.deepEqual(
    Object.keys(config.lint ?? {}).sort(),
    Object.keys(schema.definitions.lint.properties)
      .filter((key) => key !== 'plugins')
      .sort(),
  );
});

test("README: the workflow parses with GitHub's parser and passes only inputs action.yml declares", () => {
  const text = snippet('.github/workflows/gitops.yml');
  const result = parseWorkflow({ name: 'gitops.yml', content: text }, new NoOperationTraceWriter());
  assert.deepEqual(
    result.context.errors.getErrors().map((error) => error.message),
    [],
  );
  const workflow = parse(text) as { jobs: Record<string, { steps: { uses?: string; with?: object }[] }> };
  const step = Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .find((candidate) => candidate.uses?.includes('/gitops-platform@'));
  assert.ok(step?.with, 'a step uses the action');
  const declared = Object.keys(
    (parse(readFileSync(join(toolRoot, 'action.yml'), 'utf8')) as { inputs: object }).inputs,
  );
  for (const input of Object.keys(step.with)) assert.ok(declared.includes(input), `action.yml declares ${input}`);
});

test('README: the sharded workflow parses, fans out as many shard jobs as shards, and merges after them', () => {
  const text = snippet('.github/workflows/gitops-sharded.yml');
  const result = parseWorkflow({ name: 'gitops-sharded.yml', content: text }, new NoOperationTraceWriter());
  assert.deepEqual(
    result.context.errors.getErrors().map((error) => error.message),
    [],
  );
  type Job = {
    needs?: string;
    strategy?: { matrix: { shard: number[] } };
    steps: { uses?: string; with?: Record<string, unknown> }[];
  };
  const { jobs } = parse(text) as { jobs: Record<string, Job> };
  const declared = Object.keys(
    (parse(readFileSync(join(toolRoot, 'action.yml'), 'utf8')) as { inputs: object }).inputs,
  );
  const uses = (job: Job) => job.steps.find((step) => step.uses?.includes('/gitops-platform@'))!.with!;
  for (const job of Object.values(jobs))
    for (const input of Object.keys(uses(job))) assert.ok(declared.includes(input), `action.yml declares ${input}`);
  const shards = Number(uses(jobs.shard).shards);
  assert.deepEqual(
    jobs.shard.strategy?.matrix.shard,
    Array.from({ length: shards }, (_, i) => i + 1),
  );
  assert.equal(uses(jobs.shard).shard, '${{ matrix.shard }}');
  assert.equal(jobs.merge.needs, 'shard');
  assert.equal(uses(jobs.merge).shard, 'merge');
  assert.equal(Number(uses(jobs.merge).shards), shards);
});

test('README: the pre-commit config names hooks .pre-commit-hooks.yaml defines', () => {
  const config = parse(snippet('.pre-commit-config.yaml')) as { repos: { hooks: { id: string }[] }[] };
  const hooks = (parse(readFileSync(join(toolRoot, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string }[]).map(
    (hook) => hook.id,
  );
  for (const hook of config.repos.flatMap((repo) => repo.hooks)) assert.ok(hooks.includes(hook.id), hook.id);
});

test("README: the exit codes table is the command's", () => {
  const table = /### Exit codes\n\n\| code \| meaning \|\n\|---\|---\|\n((?:\|.*\|\n)+)/.exec(readme);
  assert.ok(table);
  const codes = table[1]
    .trim()
    .split('\n')
    .map((row) => row.split('|')[1].trim());
  assert.deepEqual(codes, ['0', '1', '2']);
  assert.match(
    validateHelp,
    /Exit codes: 0 no errors, 1 errors .*, 2 bad usage, bad\s+configuration or an internal fault/s,
  );
});

test('README: the bootstrap Application validates with no finding beside this repository', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'gitops-readme-')));
  try {
    for (const part of ['argocd', 'base', 'overlays', 'gitops.yaml'])
      cpSync(join(toolRoot, part), join(root, part), { recursive: true });
    writeFileSync(join(root, 'bootstrap.yaml'), snippet('bootstrap.yaml'));
    assert.equal(spawnSync('git', ['init', '-q'], { cwd: root }).status, 0);
    const result = spawnSync(
      process.execPath,
      [join(toolRoot, 'bin', 'gitops.js'), 'validate', 'bootstrap.yaml', '-f', 'json', '--no-cache'],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: unknown[]; summary: { resources: number } };
    assert.deepEqual(report.findings, []);
    assert.ok(report.summary.resources > 0);
    // It does deploy argocd/: the ApplicationSets are what the bootstrap Application renders.
    const apps = spawnSync(process.execPath, [join(toolRoot, 'bin', 'gitops.js'), 'apps', '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(apps.status, 0, apps.stderr);
    assert.match(apps.stdout, /shop-argocd/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

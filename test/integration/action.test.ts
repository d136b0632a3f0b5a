// The reusable GitHub Action (action.yml) and the pre-commit hooks: parsed with GitHub's own action
// parser, current action majors everywhere, inputs that never reach a shell through ${{ }}, and the
// action's own Validate and Result scripts run here with bash against a small repository (no runner
// exists here; `gitops` on PATH is this checkout's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index';
import { parse } from 'yaml';
import { commands } from '../../scripts/cli/main.ts';

const toolRoot = fileURLToPath(new URL('../..', import.meta.url));
const actionText = readFileSync(join(toolRoot, 'action.yml'), 'utf8');

interface ActionFile {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: { name?: string; id?: string; uses?: string; run?: string; shell?: string }[] };
}
const action = parse(actionText) as ActionFile;

function parseWithGithub(content: string) {
  const result = parseAction({ name: 'action.yml', content }, new NoOperationTraceWriter());
  const template = result.value ? convertActionTemplate(result.context, result.value) : undefined;
  return { errors: result.context.errors.getErrors().map((error) => error.message), template };
}

test("action.yml parses with GitHub's action parser: a composite action with the documented inputs", () => {
  const { errors, template } = parseWithGithub(actionText);
  assert.deepEqual(errors, []);
  assert.equal(template?.runs.using, 'composite');
  const inputs = (template?.inputs ?? []).map((input) => input.id).sort();
  for (const input of [
    'path',
    'config',
    'formats',
    'fail-on',
    'sarif',
    'comment',
    'node-version',
    'args',
    'shards',
    'shard',
  ])
    assert.ok(inputs.includes(input), `input ${input}`);
  const broken = parseWithGithub('name: x\ndescription: y\nruns:\n  using: composite\n  stepz: []\n');
  assert.ok(broken.errors.length > 0, 'the parser rejects a broken action, so the check above can fail');
});

// The current major of each action the workflow and the action call (Node 24 runtimes).
const CURRENT_MAJOR: Record<string, number> = {
  'actions/checkout': 6,
  'actions/setup-node': 6,
  'actions/github-script': 8,
  'github/codeql-action/upload-sarif': 4,
  'actions/upload-artifact': 7,
  'actions/download-artifact': 8,
};

test('the action and the workflow call current majors only, and no ${{ }} reaches a shell script', () => {
  const workflow = readFileSync(join(toolRoot, '.github', 'workflows', 'validate.yml'), 'utf8');
  const uses = [...`${actionText}\n${workflow}`.matchAll(/uses:\s*([\w./-]+)@v(\d+)/g)];
  assert.ok(uses.length >= 6);
  for (const [, name, major] of uses) {
    assert.ok(name in CURRENT_MAJOR, `${name}: add its current major to the table`);
    assert.equal(Number(major), CURRENT_MAJOR[name], `${name}@v${major}`);
  }
  for (const step of action.runs.steps) {
    if (step.run) assert.doesNotMatch(step.run, /\$\{\{/, `step "${step.name}": inputs go through env`);
  }
});

test(".pre-commit-hooks.yaml: each hook runs a gitops command the package's bin provides", () => {
  const hooks = parse(readFileSync(join(toolRoot, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    entry: string;
    language: string;
    files: string;
  }[];
  const bin = (JSON.parse(readFileSync(join(toolRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
  assert.deepEqual(
    hooks.map((hook) => hook.id),
    ['gitops-validate', 'gitops-generate-check'],
  );
  for (const hook of hooks) {
    const [program, command] = hook.entry.split(' ');
    assert.ok(program in bin, `${hook.id}: ${program} is the package's bin`);
    assert.ok(command in commands, `${hook.id}: gitops ${command} exists`);
    assert.equal(hook.language, 'node');
    new RegExp(hook.files); // a valid pattern
  }
  assert.ok(new RegExp(hooks[0].files).test('overlays/prod/kustomization.yaml'));
});

function step(id: string): string {
  const found = action.runs.steps.find((candidate) => candidate.id === id || candidate.name === id);
  assert.ok(found?.run, `the action has a step ${id}`);
  return found.run;
}

test("the action's Validate step runs gitops with Node 22's young generation, keeping the caller's NODE_OPTIONS", () => {
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'gitops-action-node-')));
  try {
    const seen = join(work, 'node-options');
    writeFileSync(join(work, 'gitops'), `#!/bin/sh\nprintf '%s' "$NODE_OPTIONS" > "${seen}"\n`);
    chmodSync(join(work, 'gitops'), 0o755);
    writeFileSync(join(work, 'out'), '');
    const env = { PATH: `${work}:${process.env.PATH}`, RUNNER_TEMP: work, GITHUB_OUTPUT: join(work, 'out') };
    const inputs = { INPUT_PATH: '.', INPUT_FORMATS: 'stylish', INPUT_FAIL_ON: 'error', INPUT_ARGS: '' };
    const run = (nodeOptions?: string) =>
      spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step('validate')], {
        cwd: work,
        encoding: 'utf8',
        env: { ...env, ...inputs, ...(nodeOptions === undefined ? {} : { NODE_OPTIONS: nodeOptions }) },
      });
    assert.equal(run().status, 0);
    assert.equal(readFileSync(seen, 'utf8'), '--max-semi-space-size=16');
    assert.equal(run('--no-warnings').status, 0);
    assert.equal(readFileSync(seen, 'utf8'), '--no-warnings --max-semi-space-size=16');
    // Node accepts the flag in NODE_OPTIONS (it refuses many V8 flags there).
    const node = spawnSync(process.execPath, ['-e', '0'], { env: { NODE_OPTIONS: '--max-semi-space-size=16' } });
    assert.equal(node.status, 0, String(node.stderr));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test("the action's Validate and Result scripts: SARIF written, exit code kept, fail-on decides", () => {
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'gitops-action-')));
  try {
    const shims = join(work, 'bin');
    mkdirSync(shims);
    writeFileSync(
      join(shims, 'gitops'),
      `#!/bin/sh\nexec "${process.execPath}" "${join(toolRoot, 'bin', 'gitops.js')}" "$@"\n`,
    );
    chmodSync(join(shims, 'gitops'), 0o755);
    const repo = join(work, 'repo');
    mkdirSync(join(repo, 'deploy'), { recursive: true });
    assert.equal(spawnSync('git', ['init', '-q'], { cwd: repo }).status, 0);
    writeFileSync(
      join(repo, 'deploy', 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:latest\n',
    );
    const output = join(work, 'github-output');
    const bash = (script: string, env: Record<string, string>) =>
      spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
        cwd: repo,
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: `${shims}:${process.env.PATH}`,
          RUNNER_TEMP: work,
          GITHUB_OUTPUT: output,
          GITHUB_ACTIONS: '',
          ...env,
        },
      });
    writeFileSync(output, '');
    const validate = bash(step('validate'), {
      INPUT_PATH: 'deploy',
      INPUT_CONFIG: '',
      INPUT_FORMATS: 'stylish',
      INPUT_FAIL_ON: 'error',
      INPUT_ARGS: '--no-cache --kubernetes-version 1.31',
    });
    assert.equal(validate.status, 0, `the step records the code and goes on\n${validate.stderr}`);
    assert.match(validate.stdout, /image-tag-pinned/);
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split('=') as [string, string]),
    );
    assert.equal(outputs['exit-code'], '1');
    assert.ok(existsSync(outputs['sarif-file']));
    const sarif = JSON.parse(readFileSync(outputs['sarif-file'], 'utf8')) as { runs: { results: unknown[] }[] };
    assert.ok(sarif.runs[0].results.length > 0);

    const result = (code: string, failOn: string) => bash(step('Result'), { CODE: code, INPUT_FAIL_ON: failOn }).status;
    assert.equal(result('1', 'error'), 1);
    assert.equal(result('1', 'none'), 0);
    assert.equal(result('0', 'warning'), 0);
    assert.equal(result('2', 'none'), 2, 'a run that could not check fails whatever fail-on says');
    const badFailOn = bash(step('validate'), {
      INPUT_PATH: 'deploy',
      INPUT_FAIL_ON: 'sometimes',
      INPUT_FORMATS: 'stylish',
    });
    assert.equal(badFailOn.status, 2);

    // shards: 2 — each shard job writes its report (what the upload step takes) and does not fail on
    // findings; the merge job, given the downloaded reports, gives the unsharded SARIF and exit code.
    assert.equal(spawnSync('git', ['add', '-A'], { cwd: repo }).status, 0);
    const commit = ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'fixture'];
    assert.equal(spawnSync('git', commit, { cwd: repo }).status, 0);
    const sharded = { INPUT_PATH: 'deploy', INPUT_FORMATS: 'stylish', INPUT_FAIL_ON: 'error', INPUT_SHARDS: '2' };
    const downloaded = join(work, 'gitops-shards');
    mkdirSync(downloaded);
    for (const shard of ['1', '2']) {
      writeFileSync(output, '');
      const run = bash(step('validate'), { ...sharded, INPUT_SHARD: shard });
      assert.equal(run.status, 0, run.stderr);
      const written = Object.fromEntries(
        readFileSync(output, 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.split('=') as [string, string]),
      );
      assert.equal(written['exit-code'], '0', `shard ${shard}: findings are the merge's to fail on`);
      assert.equal(written['sarif-file'], '', `shard ${shard} uploads no SARIF`);
      cpSync(written['shard-report'], join(downloaded, `shard-${shard}.json`));
    }
    writeFileSync(output, '');
    const merged = bash(step('validate'), { ...sharded, INPUT_SHARD: 'merge' });
    assert.equal(merged.status, 0, merged.stderr);
    assert.match(merged.stdout, /image-tag-pinned/);
    const mergedOutputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split('=') as [string, string]),
    );
    assert.equal(mergedOutputs['exit-code'], '1');
    const mergedSarif = JSON.parse(readFileSync(mergedOutputs['sarif-file'], 'utf8')) as typeof sarif;
    assert.deepEqual(mergedSarif.runs[0].results, sarif.runs[0].results);
    assert.equal(bash(step('validate'), { ...sharded, INPUT_SHARD: '3' }).status, 2, 'no shard 3 of 2');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

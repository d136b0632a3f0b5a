// The one engine through the whole pipeline (kustomize renders the fixture): a throwing rule in every
// family is one internal-error finding naming it, the rest of the report stays, and the run has faults
// (the CLI's exit 2; test/check/plugins.test.ts checks the exit code through the CLI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineRule } from '../../scripts/check/contract.ts';
import { RULE_FOLDERS, builtinRules, builtinRulesIn } from '../../scripts/check/registry.ts';
import { validateRepository } from '../../scripts/validate/index.ts';
import { validateInProcess } from '../cli-helpers.ts';
import { calledOnEveryObject } from '../rules/helpers.ts';

test('a throwing rule in every family: one internal-error each, the rest of the report, and faults (exit 2)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'engine-families-'));
  try {
    cpSync(fileURLToPath(new URL('../fixtures/pipeline/basic', import.meta.url)), root, { recursive: true });
    const clean = await validateRepository(root, { cache: false });
    assert.deepEqual(clean.faults, []);
    // One real rule of each family, replaced by one with the same meta whose check throws.
    const victims = RULE_FOLDERS.map((folder) => builtinRulesIn(folder)[0]);
    const throwing = victims.map((victim) =>
      defineRule({
        meta: calledOnEveryObject(victim).meta, // on every object of the fixture, whatever kind it judges
        check() {
          throw new Error(`${victim.meta.id} exploded`);
        },
      }),
    );
    const rules = [...builtinRules.filter((rule) => !victims.includes(rule)), ...throwing];
    const { report, faults } = await validateRepository(root, { cache: false, rules });
    assert.deepEqual(faults.map((fault) => fault.ruleId).sort(), victims.map((victim) => victim.meta.id).sort());
    const internal = report.findings.filter((f) => f.ruleId === 'internal-error');
    assert.equal(internal.length, victims.length);
    for (const victim of victims)
      assert.equal(
        internal.filter((f) => f.message.includes(`the ${victim.meta.id} rule crashed`)).length,
        1,
        victim.meta.id,
      );
    // Every finding of the clean run from a rule that did not throw is still there.
    const victimIds = new Set(victims.map((victim) => victim.meta.id));
    const kept = (findings: typeof report.findings) =>
      findings
        .filter((f) => !victimIds.has(f.ruleId) && f.ruleId !== 'internal-error')
        .map((f) => `${f.ruleId} ${f.file}:${f.line}`);
    assert.ok(kept(clean.report.findings).length > 3);
    assert.deepEqual(kept(report.findings), kept(clean.report.findings));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('gitops validate --timing prints each stage of the run and every rule, slowest first, on stderr; without it, nothing', async () => {
  const root = mkdtempSync(join(tmpdir(), 'engine-timing-'));
  try {
    cpSync(fileURLToPath(new URL('../fixtures/pipeline/basic', import.meta.url)), root, { recursive: true });
    const started = performance.now();
    const timed = await validateInProcess(root, '--no-cache', '--timing', '--format', 'json');
    const wall = performance.now() - started;
    const lines = timed.stderr.split('\n').filter((line) => /^\S+\s+\d+\.\d\s+\d+\.\d%\s+\d+$/.test(line));
    assert.match(timed.stderr, /^Rule\s+Time \(ms\)\s+Share\s+Calls$/m);
    const ids = lines.map((line) => line.split(/\s+/)[0]);
    assert.deepEqual([...ids].sort(), builtinRules.map((rule) => rule.meta.id).sort());
    const ms = lines.map((line) => Number(line.split(/\s+/)[1]));
    assert.deepEqual(
      ms,
      [...ms].sort((a, b) => b - a),
    );
    JSON.parse(timed.stdout); // the report on stdout stays parseable
    // Before the rules, the stages in the order they ran, each with its share, and their total.
    const stageBlock = timed.stderr.slice(timed.stderr.indexOf('Stage'), timed.stderr.indexOf('\nRule'));
    const stages = stageBlock
      .split('\n')
      .slice(1)
      .map((line) => /^(.+?)\s+(\d+\.\d)\s+(\d+\.\d)%$/.exec(line))
      .filter((match) => match !== null);
    assert.deepEqual(
      stages.map((match) => match[1]),
      [
        'read gitops.yaml and plugins',
        'discover files and units',
        'render and parse units',
        'load the rules and run them',
        'redact, sort and filter findings',
        'write the reports',
        'total',
      ],
    );
    const stageMs = stages.map((match) => Number(match[2]));
    const total = stageMs.pop()!;
    // No stage counted twice (the run's wall time bounds them all), and the rules inside their stage.
    assert.ok(total <= wall + 1, `stages ${total} ms in a run of ${wall} ms`);
    assert.ok(stageMs[3] >= ms.reduce((sum, value) => sum + value, 0) - 1, 'the rules stage holds every rule');
    const plain = await validateInProcess(root, '--no-cache', '--format', 'json');
    assert.doesNotMatch(plain.stderr, /Time \(ms\)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('--timing over several folders of one repository: one row per rule and per stage, summed over the folders', async () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'engine-timing-folders-')));
  try {
    assert.equal(spawnSync('git', ['init', '-q'], { cwd: root }).status, 0);
    for (const name of ['web', 'api']) {
      mkdirSync(join(root, name));
      writeFileSync(
        join(root, name, 'deployment.yaml'),
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n      - name: ${name}\n        image: nginx:1.27\n`,
      );
    }
    const timed = await validateInProcess(join(root, 'web'), join(root, 'api'), '--no-cache', '--timing', '-f', 'json');
    const rows = timed.stderr.split('\n').filter((line) => /^\S+\s+\d+\.\d\s+\d+\.\d%\s+\d+$/.test(line));
    const ids = rows.map((line) => line.split(/\s+/)[0]);
    assert.deepEqual([...new Set(ids)].sort(), [...ids].sort(), 'each rule once');
    const calls = (id: string) =>
      Number(
        rows
          .find((line) => line.startsWith(`${id} `))!
          .split(/\s+/)
          .at(-1),
      );
    assert.equal(calls('image-tag-pinned'), 2, 'one Deployment in each folder');
    assert.equal(timed.stderr.match(/^render and parse units /gm)?.length, 1, 'each stage once');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

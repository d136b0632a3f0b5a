// A RuleTester in ESLint's manner: a rule's valid and invalid cases as data, each one a test. A case
// is the YAML of one app (or several apps); an invalid case lists the findings it must give, in the
// one order, by line (and file) and message. Everything runs in memory through the engine, except
// cases marked onDisk, whose files become a temporary repository (rules that look at the repository).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runRules } from '../../scripts/check/engine.ts';
import { builtinRules, findRule } from '../../scripts/check/registry.ts';
import type { Rule } from '../../scripts/check/contract.ts';
import type { Finding, LintConfig, LoadProblem, Severity } from '../../scripts/types.ts';
import { app, context, type AppFixture } from '../rules/helpers.ts';

export interface RuleCase {
  name: string;
  /** The YAML of one app's rendered resources, in `file` (default app/resources.yaml). */
  yaml?: string;
  file?: string;
  env?: string;
  /** Several apps instead of `yaml`. */
  apps?: AppFixture[];
  config?: LintConfig;
  /** What the loader recorded (pipeline rules). */
  loadProblems?: LoadProblem[];
  /** Kustomization files of the context (they are read from disk: give onDisk). */
  kustomizations?: string[];
  /** Write every file of the case to a temporary repository that is the context's root. */
  onDisk?: boolean;
}

export interface InvalidCase extends RuleCase {
  findings: { line?: number; file?: string; message?: string | RegExp; severity?: Severity }[];
}

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

async function run(rule: Rule, item: RuleCase): Promise<Finding[]> {
  const apps = item.apps ?? [
    { files: { [item.file ?? 'app/resources.yaml']: item.yaml ?? '' }, ...(item.env ? { env: item.env } : {}) },
  ];
  const ctx = context(apps.map(app), item.config);
  if (item.loadProblems) ctx.loadProblems = item.loadProblems;
  if (item.kustomizations) ctx.kustomizations = item.kustomizations;
  if (item.onDisk) {
    const root = mkdtempSync(join(tmpdir(), `rule-tester-${rule.meta.id}-`));
    roots.push(root);
    for (const fixture of apps)
      for (const [file, text] of Object.entries(fixture.files)) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), text);
      }
    ctx.root = root;
  }
  const { findings, faults } = await runRules(ctx, { rules: [rule], ruleIds: builtinRules.map((r) => r.meta.id) });
  assert.deepEqual(
    faults.map((fault) => fault.message),
    [],
    `${rule.meta.id} does not crash`,
  );
  return findings.filter((finding) => finding.ruleId === rule.meta.id);
}

/** Registers one test per case: valid cases give no finding of the rule, invalid ones exactly theirs. */
export function ruleTester(id: string, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  const rule = findRule(id);
  test(`${id}: is a registered rule`, () => assert.ok(rule, `no rule ${id}`));
  if (!rule) return;
  for (const item of cases.valid) {
    test(`${id} valid: ${item.name}`, async () => {
      const findings = await run(rule, item);
      assert.deepEqual(
        findings.map((f) => `${f.file}:${f.line} ${f.message}`),
        [],
      );
    });
  }
  for (const item of cases.invalid) {
    test(`${id} invalid: ${item.name}`, async () => {
      const findings = await run(rule, item);
      assert.equal(
        findings.length,
        item.findings.length,
        `${findings.length} findings: ${findings.map((f) => `${f.file}:${f.line} ${f.message}`).join(' | ')}`,
      );
      item.findings.forEach((expected, i) => {
        const actual = findings[i];
        if (expected.line !== undefined) assert.equal(actual.line, expected.line, actual.message);
        if (expected.file !== undefined) assert.equal(actual.file, expected.file);
        if (expected.severity !== undefined) assert.equal(actual.severity, expected.severity);
        if (typeof expected.message === 'string') assert.ok(actual.message.includes(expected.message), actual.message);
        else if (expected.message) assert.match(actual.message, expected.message);
      });
    });
  }
}

// Runs a rule's documented example through the real pipeline: its files in a temporary repository,
// `gitops validate` with that one rule, and the rule's findings back.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { exampleFiles } from '../../scripts/check/catalog.ts';
import type { Rule } from '../../scripts/check/contract.ts';
import type { Finding, LintConfig } from '../../scripts/types.ts';
import { validateRepository } from '../../scripts/validate/index.ts';

export async function runExample(rule: Rule, example: string): Promise<{ findings: Finding[]; faults: string[] }> {
  const root = mkdtempSync(join(tmpdir(), `example-${rule.meta.id}-`));
  try {
    const { files, links } = exampleFiles(example);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    for (const [link, target] of Object.entries(links)) {
      mkdirSync(dirname(join(root, link)), { recursive: true });
      symlinkSync(target, join(root, link));
    }
    const config =
      files['gitops.yaml'] !== undefined ? ((yaml.load(files['gitops.yaml']) ?? {}) as LintConfig) : undefined;
    const { report, faults } = await validateRepository(root, {
      rules: [rule],
      cache: false,
      ...(config ? { config } : {}),
    });
    return { findings: report.findings.filter((f) => f.ruleId === rule.meta.id), faults: faults.map((f) => f.message) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// Per-rule and per-environment severities from gitops.yaml's lint.rules.
import { join, relative, sep } from 'node:path';
import { parseSourceFile, type SourceDocument } from '../manifest/source.ts';
import type { Problem } from '../check/contract.ts';
import type { Finding, JsonPath, RepoContext, RuleSetting, SeverityOverride } from '../types.ts';
import { appendAll } from '../lists.ts';
import { readInItsRepository } from '../config/read.ts';

const SEVERITIES: readonly string[] = ['error', 'warning', 'info', 'off'];

/** `env: { default: ... }` sets every environment not named, and findings outside any environment. */
const DEFAULT_ENV = 'default';

/** A rule's setting with every invalid value and every unexplained `off` removed. */
interface EffectiveSetting {
  severity?: SeverityOverride;
  env: Record<string, SeverityOverride>;
}

export interface SeverityTable {
  /** The severity a finding gets, or 'off' to drop it. */
  severityOf(finding: Finding): SeverityOverride;
  /** Problems in the settings themselves, on gitops.yaml's lines (rules ignore-reason-missing and lint-config-invalid report them). */
  problems: SettingProblem[];
}

export interface SettingProblem {
  ruleId: 'ignore-reason-missing' | 'lint-config-invalid';
  problem: Problem;
}

const tables = new WeakMap<RepoContext, SeverityTable>();

/** Built once per context: the filter stage and the two rules about settings read the same table. */
export function severityTable(ctx: RepoContext): SeverityTable {
  let table = tables.get(ctx);
  if (!table) {
    table = buildSeverityTable(ctx);
    tables.set(ctx, table);
  }
  return table;
}

function buildSeverityTable(ctx: RepoContext): SeverityTable {
  const rules = ctx.config?.lint?.rules ?? {};
  const locate = gitopsYamlLocator(ctx.root, ctx.config?.file);
  const settings = new Map<string, EffectiveSetting>();
  const problems: SettingProblem[] = [];
  for (const ruleId of Object.keys(rules).sort()) {
    const { setting, problems: found } = checkSetting(ruleId, rules[ruleId], locate);
    settings.set(ruleId, setting);
    appendAll(problems, found);
  }
  return {
    problems,
    severityOf(finding) {
      const setting = settings.get(finding.ruleId);
      if (!setting) return finding.severity;
      const forEnv = finding.env !== undefined && finding.env !== DEFAULT_ENV ? setting.env[finding.env] : undefined;
      return forEnv ?? setting.env[DEFAULT_ENV] ?? setting.severity ?? finding.severity;
    },
  };
}

function checkSetting(ruleId: string, raw: RuleSetting | null | undefined, locate: Locator) {
  const problems: SettingProblem[] = [];
  const path: JsonPath = ['lint', 'rules', ruleId];
  const problem = (rule: SettingProblem['ruleId'], at: JsonPath, message: string) =>
    problems.push({ ruleId: rule, problem: { message, location: locate(at) } });
  const valid = (value: unknown, at: JsonPath, label: string): value is SeverityOverride => {
    if (typeof value === 'string' && SEVERITIES.includes(value)) return true;
    problem(
      'lint-config-invalid',
      at,
      `${label} is ${JSON.stringify(value)}; use one of error, warning, info, off. The rule keeps its default severity.`,
    );
    return false;
  };

  if (typeof raw === 'string' || raw === null || raw === undefined || typeof raw !== 'object') {
    if (!valid(raw, path, `lint.rules.${ruleId}`)) return { setting: { env: {} }, problems };
    if (raw === 'off') {
      problem(
        'ignore-reason-missing',
        path,
        `lint.rules.${ruleId} is off without a reason, so it stays on; write { severity: off, reason: "<why>" }.`,
      );
      return { setting: { env: {} }, problems };
    }
    return { setting: { severity: raw, env: {} }, problems };
  }

  const hasReason = typeof raw.reason === 'string' && raw.reason.trim() !== '';
  const setting: EffectiveSetting = { env: {} };
  const accept = (value: unknown, at: JsonPath, label: string): SeverityOverride | undefined => {
    if (!valid(value, at, label)) return undefined;
    if (value === 'off' && !hasReason) {
      problem(
        'ignore-reason-missing',
        at,
        `${label} is off without a reason, so it stays on; add reason: "<why>" to lint.rules.${ruleId}.`,
      );
      return undefined;
    }
    return value;
  };
  if (raw.severity !== undefined)
    setting.severity = accept(raw.severity, [...path, 'severity'], `lint.rules.${ruleId}.severity`);
  if (raw.env !== undefined && (typeof raw.env !== 'object' || raw.env === null || Array.isArray(raw.env))) {
    problem(
      'lint-config-invalid',
      [...path, 'env'],
      `lint.rules.${ruleId}.env must map environment names to severities.`,
    );
  } else {
    for (const env of Object.keys(raw.env ?? {}).sort()) {
      const value = accept(raw.env![env], [...path, 'env', env], `lint.rules.${ruleId}.env.${env}`);
      if (value !== undefined) setting.env[env] = value;
    }
  }
  return { setting, problems };
}

export type Locator = (path: JsonPath) => { file: string; line?: number; column?: number };

/** Findings about settings point at their line in gitops.yaml; parsed only when there is something to report. */
export function gitopsYamlLocator(root: string, configFile?: string): Locator {
  // The config read (found upward or given with --config), named relative to the repository's top.
  const absolute = configFile ?? join(root, 'gitops.yaml');
  const file = relative(root, absolute).split(sep).join('/') || 'gitops.yaml';
  let document: SourceDocument | null | undefined;
  return (path) => {
    if (document === undefined) {
      const read = readInItsRepository(absolute);
      document = read.ok ? (parseSourceFile(read.text, file).documents[0] ?? null) : null;
    }
    return document ? { file, ...document.locate(path) } : { file };
  };
}

// The validate pipeline: discover → render → parse → check → filter → report.
//
//   loadRepoContext(dir, options)      load.ts: discover + render + parse the deploy units into the
//                                      RepoContext checks read, plus what could not be loaded
//   validateRepository(dir, options)   the whole run: a Report and an exit code
import { runRules, type RuleFault, type RuleTiming, type RunResult } from '../check/engine.ts';
import type { Rule } from '../check/contract.ts';
import { builtinRuleMetas } from '../check/rule-metas.ts';
import { loadPlugins } from '../check/plugins.ts';
import { ruleOptionsProblems } from '../check/options.ts';
import { gitopsYamlLocator } from '../filter/severity.ts';
import { applyFilters, exitCode, writeBaseline } from '../filter/index.ts';
import { formatReport, type FormatOptions } from '../report/index.ts';
import { describeHelm } from '../render/helm.ts';
import { describeKustomize } from '../render/index.ts';
import { InputError } from '../errors.ts';
import { loadLintConfig } from '../config/index.ts';
import type { Finding, LoadProblem, RepoContext, Report, ReportFormat } from '../types.ts';
import { sortFindings } from '../finding-order.ts';
import { appendAll } from '../lists.ts';
import { loadRepoContext, type LoadOptions, type LoadResult } from './load.ts';
import { redactorFor } from './redaction.ts';
import { toolInfo } from '../tool.ts';
import { StageClock, type StageTiming } from './stages.ts';

export {
  DEFAULT_KUBERNETES_VERSION,
  loadRepoContext,
  type LoadOptions,
  type LoadResult,
  type NotRenderedReason,
} from './load.ts';

export interface ValidateOptions extends LoadOptions {
  baselineFile?: string;
  updateBaseline?: boolean;
  quiet?: boolean;
  /** The rules to run; default: every built-in rule (scripts/check/registry.ts). A library caller adds its own here. */
  rules?: readonly Rule[];
  /** Plugin modules to load (--plugin): paths the person running the tool gives, relative to the working folder. */
  plugins?: string[];
  /**
   * Also load the plugins gitops.yaml names (`lint.plugins`, relative to the repository root): runs code
   * from the repository, so only for a repository the caller trusts (--allow-plugins). Without it they
   * are reported (plugin-not-loaded) and not loaded.
   */
  allowPlugins?: boolean;
  /** Measure each rule's time (--timing). */
  timing?: boolean;
  /** The gitops.yaml to read (--config); default: the nearest one from the folder up to the repository's top. */
  configFile?: string;
}

export interface ValidateResult {
  report: Report;
  ctx: RepoContext;
  load: LoadResult;
  /** Rules that threw (each is also an internal-error finding): the run exits 2 after reporting. */
  faults: RuleFault[];
  /** Per-rule time when `timing` was asked, slowest first. */
  timings: RuleTiming[];
  /** Each stage's time, in the order they ran (the CLI adds writing the report). */
  stages: StageTiming[];
}

/** What reports say about the tool: its name, version and links, from package.json. */
export const TOOL: Report['tool'] = (() => {
  const info = toolInfo();
  return { name: info.name, version: info.version, informationUri: info.homepage, rulesUri: info.rulesUri };
})();

/**
 * Same rule, place and message once (a base's problem reached through three overlays is one finding per
 * overlay at most). The one order sorts by file, line, column, rule, env and app first, so copies lie
 * within one run of findings equal in those: only such a run (usually one finding long) needs a set of
 * keys, never the whole list (a key per finding was 7% of a 50k run and a set of 275,000 strings).
 */
export function sortAndDedupe(findings: Finding[]): Finding[] {
  const sorted = sortFindings(findings);
  let out: Finding[] | undefined; // made at the first repeat: most runs have none
  let group: Finding | undefined;
  let seen: Set<string> | undefined;
  for (let i = 0; i < sorted.length; i++) {
    const finding = sorted[i];
    if (group && samePlace(group, finding)) {
      const key = (item: Finding) =>
        JSON.stringify([item.app, item.env, item.message, item.resource?.kind, item.resource?.name]);
      seen ??= new Set([key(group)]);
      const own = key(finding);
      if (seen.has(own)) {
        out ??= sorted.slice(0, i);
        continue;
      }
      seen.add(own);
    } else {
      group = finding;
      seen = undefined;
    }
    out?.push(finding);
  }
  return out ?? sorted;
}

function samePlace(a: Finding, b: Finding): boolean {
  return (
    a.file === b.file &&
    a.line === b.line &&
    a.column === b.column &&
    a.ruleId === b.ruleId &&
    (a.env ?? '') === (b.env ?? '') &&
    (a.app ?? '') === (b.app ?? '')
  );
}

/** The rule registry (every rule module, ~110 of them): imported only by a run that has something to check. */
async function registry() {
  return import('../check/registry.ts');
}

/**
 * Nothing any rule could judge: no files at all (so no apps, no kustomizations, nothing undeployed),
 * nothing that failed to load, no gitops.yaml (whose settings the repository rules read). Every
 * built-in rule reports nothing on such a context (test/check/rule-metas.test.ts runs them all on
 * one), so the run skips loading them.
 */
export function hasNoWork(load: LoadResult): boolean {
  const { ctx } = load;
  return (
    ctx.apps.length === 0 &&
    ctx.kustomizations.length === 0 &&
    (ctx.files ?? []).length === 0 &&
    load.undeployed.length === 0 &&
    load.problems.length === 0 &&
    !ctx.config
  );
}

/** The whole run. Never throws for repository content; InputError (exit 2) for bad config or usage. */
export async function validateRepository(root: string, options: ValidateOptions = {}): Promise<ValidateResult> {
  const started = performance.now();
  const clock = new StageClock();
  // Rule options are checked before anything renders: a misspelt option is bad input (exit 2), with its line.
  const config = options.config ?? loadLintConfig(root, options.configFile ? { file: options.configFile } : {});
  // Bad input is named from where the command runs; findings (below) from the repository's top.
  const configLocator = gitopsYamlLocator(config?.file ? process.cwd() : root, config?.file);
  const named = config?.lint?.plugins ?? [];
  const plugins = [
    ...(await loadPlugins(options.plugins ?? [])),
    ...(options.allowPlugins ? await loadPlugins(named, root) : []),
  ];
  // The built-in rules' metas come from their generated list; the rules themselves load once there is work.
  const custom = options.rules !== undefined || plugins.length > 0;
  const builtin = custom ? await registry() : undefined;
  let rules: readonly Rule[] | undefined = builtin
    ? builtin.combineRules(options.rules ?? builtin.builtinRules, plugins)
    : undefined;
  const metas = rules ? rules.map((rule) => rule.meta) : builtinRuleMetas();
  const [optionsProblem] = ruleOptionsProblems(config, metas);
  if (optionsProblem) {
    const at = configLocator(optionsProblem.path);
    throw new InputError(optionsProblem.message, at.file, at.line, at.column);
  }
  clock.mark('read gitops.yaml and plugins');
  const load = await loadRepoContext(root, { ...options, ...(config ? { config } : {}) });
  clock.record(load.stages);
  const { ctx } = load;
  if (named.length > 0 && !options.allowPlugins) {
    const at = gitopsYamlLocator(ctx.root, config?.file)(['lint', 'plugins']);
    const problem: LoadProblem = {
      ruleId: 'plugin-not-loaded',
      message: `lint.plugins names ${named.join(', ')}; not loaded, so their rules did not run: loading runs code from the repository. Pass --allow-plugins if you trust it, or --plugin <path> from a trusted checkout`,
      file: at.file,
      ...(at.line !== undefined ? { line: at.line } : {}),
    };
    load.problems.push(problem);
    ctx.loadProblems = load.problems;
  }
  // Every rule the tool knows is a known rule id (an annotation may name one this run does not run).
  const ruleIds = [...builtinRuleMetas(), ...metas].map((meta) => meta.id);
  // --timing lists every rule, so it loads them even with nothing to check.
  if (!rules && (options.timing || !hasNoWork(load))) rules = (await registry()).builtinRules;
  const run: RunResult = rules
    ? await runRules(ctx, { rules, ruleIds, ...(options.timing ? { timing: true } : {}) })
    : { findings: [], faults: [], timings: [] };
  // Files in Git that no unit deploys still leak what they hold: the rules that judge every file run on them.
  const everyFile = (rules ?? []).filter((rule) => rule.meta.everyTrackedFile);
  if (load.undeployed.length > 0 && everyFile.length > 0) {
    const sweep = await runRules({ ...ctx, apps: load.undeployed, loadProblems: [] }, { rules: everyFile, ruleIds });
    for (const finding of sweep.findings)
      run.findings.push({
        ...finding,
        message: `${finding.message} (No deploy unit uses this file, but it is in Git.)`,
      });
    appendAll(run.faults, sweep.faults);
  }
  clock.mark('load the rules and run them');
  // The one redaction step: before the filters, the baseline and every format. The Secrets of files
  // no unit deploys count too: the sweep above reports on those files.
  const redactor = redactorFor(load.undeployed.length > 0 ? { ...ctx, apps: [...ctx.apps, ...load.undeployed] } : ctx);
  // In place: the run's own list, read nowhere else (a copy is 2 MB at 275,000 findings).
  for (let i = 0; i < run.findings.length; i++) run.findings[i] = redactor.finding(run.findings[i]);
  const all = sortAndDedupe(run.findings);
  load.decisions = load.decisions.map(redactor.text);
  const faults = run.faults.map((fault) => ({ ...fault, message: redactor.text(fault.message) }));
  if (options.updateBaseline && options.baselineFile) {
    // The baseline records every finding that survives severities and ignores; later runs fail only on new ones.
    writeBaseline(options.baselineFile, applyFilters(all, ctx).findings, root);
  }
  const filtered = applyFilters(all, ctx, { baselineFile: options.baselineFile, quiet: options.quiet });
  const kept = filtered.findings;
  clock.mark('redact, sort and filter findings');
  const count = (severity: string) => {
    let n = 0;
    for (const finding of kept) if (finding.severity === severity) n++;
    return n;
  };
  const report: Report = {
    findings: kept,
    summary: {
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      suppressed: filtered.suppressed,
      apps: ctx.apps.length,
      partlyChecked: ctx.apps.filter((app) => app.partial).length,
      environments: ctx.environments,
      resources: ctx.apps.reduce((sum, app) => sum + app.resources.length, 0),
      durationMs: Math.round(performance.now() - started),
      ...(load.kustomize ? { kustomize: describeKustomize(load.kustomize) } : {}),
      ...(load.helm ? { helm: describeHelm(load.helm) } : {}),
    },
    rules: [...metas],
    tool: TOOL,
  };
  return { report, ctx, load, faults, timings: run.timings, stages: clock.stages };
}

/** 0 no errors, 1 errors or too many warnings. (2 is the CLI's, for faults and bad input.) */
export function exitCodeOf(report: Report, maxWarnings?: number): number {
  return exitCode(report.findings, maxWarnings);
}

export function renderReport(format: ReportFormat, report: Report, options: FormatOptions = {}): string {
  return formatReport(format, report, options);
}

// Helpers every format shares: the order of findings, labels, merging across environments, text hygiene.
import { compareText, sortFindings } from '../finding-order.ts';
import {
  describeRef,
  type Finding,
  type Report,
  type ReportSummary,
  type ResourceRef,
  type Severity,
} from '../types.ts';

export { compareText, sortFindings } from '../finding-order.ts';

/**
 * The reports that stream (json, stylish, SARIF) write a piece once it holds this many characters: a
 * write per piece costs nothing, and a piece stays below V8's large-object size (128 KiB). A larger
 * string goes to the large-object space, which only a mark-compact frees, and a run ends before the
 * next one: with about 1 MB pieces the written pieces of a 50,000-manifest JSON report were 80 MB of
 * dead heap at the peak (peak RSS 430-440 MB; 388-392 MB with small pieces, which die young).
 */
export const PIECE_CHARS = 64 * 1024;

/**
 * A piece built by `+=` is a tree of thousands of strings (a rope) until something reads it. Node's
 * UTF-8 encoding of a rope (the write to stdout) was twice the cost of flattening it first and encoding
 * the flat string: 280 of 530 ms writing a 10k report. Reading one character flattens it in place.
 */
export function flat(piece: string): string {
  piece.charCodeAt(0);
  return piece;
}

/** A finding as people read it: the same problem on the same line in several environments is one entry. */
export interface DisplayFinding {
  finding: Finding;
  /** The environments it occurs in, in the run's environment order. */
  envs: string[];
}

/**
 * A base used by three overlays yields the same finding three times, one per environment, on the same
 * line. People read it once with its environments listed; the machine formats (json, sarif, junit)
 * keep one entry per environment.
 */
export function mergeEnvironments(findings: readonly Finding[], envOrder: readonly string[]): DisplayFinding[] {
  return [...mergedEnvironments(findings, envOrder)];
}

/** mergeEnvironments entry by entry, for a format that writes as it goes (stylish). */
export function* mergedEnvironments(
  findings: readonly Finding[],
  envOrder: readonly string[],
): Generator<DisplayFinding> {
  const sameProblem = (finding: Finding) => placeKey(finding, resourceLabel(finding.resource));
  for (const group of placeGroups(sortFindings(findings), sameProblem)) {
    const envs: string[] = [];
    for (const finding of group) if (finding.env && !envs.includes(finding.env)) envs.push(finding.env);
    sortEnvironments(envs, envOrder);
    yield { finding: group[0], envs };
  }
}

/**
 * Sorted findings in groups of the same `key`, each group in the one order and the groups in the order
 * of their first finding. Findings of one key share a place (file, line, column, rule), so they lie
 * within one run of findings equal in those: a key is made only inside a run longer than one, never
 * one per finding for the whole report (at 50,000 manifests, 275,000 key strings in one map doubled
 * the memory of a stylish or SARIF report).
 */
function* placeGroups(sorted: readonly Finding[], key: (finding: Finding) => string): Generator<Finding[]> {
  for (const run of placeRuns(sorted)) {
    if (run.length === 1) {
      yield run;
      continue;
    }
    const byKey = new Map<string, Finding[]>();
    const groups: Finding[][] = [];
    for (const finding of run) {
      const own = key(finding);
      const group = byKey.get(own);
      if (group) group.push(finding);
      else {
        const created = [finding];
        byKey.set(own, created);
        groups.push(created);
      }
    }
    yield* groups;
  }
}

/** Sorted findings in runs equal in file, line, column and rule. */
function* placeRuns(sorted: readonly Finding[]): Generator<Finding[]> {
  // Each run starts as a literal of one (a first push would give it room for 16: 41 MB over 275,000).
  let run: Finding[] | undefined;
  for (const finding of sorted) {
    if (run && samePlace(run[0], finding)) run.push(finding);
    else {
      if (run) yield run;
      run = [finding];
    }
  }
  if (run) yield run;
}

/** Equal in what the one order sorts by first (file, line, column, rule: compareFindings' equality). */
function samePlace(a: Finding, b: Finding): boolean {
  return (
    a.file === b.file && (a.line ?? 0) === (b.line ?? 0) && (a.column ?? 0) === (b.column ?? 0) && a.ruleId === b.ruleId
  );
}

/** The same rule saying the same thing at the same place; `resource` is how much of the resource must match too. */
function placeKey(finding: Finding, resource: string | undefined): string {
  return JSON.stringify([
    finding.file,
    finding.line,
    finding.column,
    finding.ruleId,
    finding.severity,
    finding.message,
    finding.hint,
    resource,
  ]);
}

/** In the run's environment order (dev, staging, prod), unknown ones last by name. */
function sortEnvironments(envs: string[], envOrder: readonly string[]): void {
  const rank = (env: string) => {
    const index = envOrder.indexOf(env);
    return index < 0 ? envOrder.length : index;
  };
  envs.sort((a, b) => rank(a) - rank(b) || compareText(a, b));
}

/** One place in a file that a rule flags, with every environment, app and resource it was found for. */
export interface LocationFinding {
  /** The first of the merged findings, in the one finding order. */
  finding: Finding;
  envs: string[];
  apps: string[];
  /** "Deployment/shop-dev/api" per distinct resource: overlays often give the same object another namespace. */
  resources: string[];
}

/**
 * One entry per place to fix: the same rule, message and severity at the same file, line and column,
 * whatever the environment, app or namespace (a base reached through four overlays is one entry).
 * Code scanning turns each entry into an alert, so four copies would be four alerts for one edit.
 */
export function mergeLocations(findings: readonly Finding[], envOrder: readonly string[]): LocationFinding[] {
  return placesToFix(findings).map((group) => locationEntry(group, envOrder));
}

/**
 * The findings mergeLocations makes one entry of, group by group in the one order, without the
 * entries: a format that keeps only some of them (SARIF's 25,000) builds just those.
 */
export function placesToFix(findings: readonly Finding[]): Finding[][] {
  return [...placeGroups(sortFindings(findings), (finding) => placeKey(finding, finding.resource?.kind))];
}

/** A group of placesToFix as one entry: its environments, apps and resources, each once and in order. */
export function locationEntry(group: readonly Finding[], envOrder: readonly string[]): LocationFinding {
  const entry: LocationFinding = { finding: group[0], envs: [], apps: [], resources: [] };
  for (const finding of group) {
    const label = resourceLabel(finding.resource);
    if (finding.env && !entry.envs.includes(finding.env)) entry.envs.push(finding.env);
    if (finding.app && !entry.apps.includes(finding.app)) entry.apps.push(finding.app);
    if (label && !entry.resources.includes(label)) entry.resources.push(label);
  }
  sortEnvironments(entry.envs, envOrder);
  entry.apps.sort(compareText);
  entry.resources.sort(compareText);
  return entry;
}

/** "dev, prod · Deployment/shop/api": where a finding applies, beyond its file. */
export function contextLabel(entry: DisplayFinding): string {
  return [entry.envs.join(', '), resourceLabel(entry.finding.resource)].filter(Boolean).join(' · ');
}

/** "Deployment/shop/api", or "" when the finding is not about a resource. */
export function resourceLabel(resource: ResourceRef | undefined): string {
  return resource ? describeRef(resource) : '';
}

/** "12:7", "12" or "" */
export function position(finding: Finding): string {
  if (!finding.line) return '';
  return finding.column ? `${finding.line}:${finding.column}` : `${finding.line}`;
}

/**
 * Findings are one line of plain text. Values that reached a message from a resource (names, image
 * references) could carry control characters or terminal escapes: never echo them raw.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "85 apps (27 partly checked)": every format says how many apps could not be checked whole. */
export function appsFact(summary: Pick<ReportSummary, 'apps' | 'partlyChecked'>): string {
  return `${plural(summary.apps, 'app')}${summary.partlyChecked ? ` (${summary.partlyChecked} partly checked)` : ''}`;
}

/** A shard's report says so: its cross-app checks saw only its apps (`gitops merge-shards` gives the whole run). */
export function shardFact(report: Pick<Report, 'shard'>): string {
  return report.shard
    ? `shard ${report.shard.index}/${report.shard.count}: cross-app checks saw only these apps (gitops merge-shards joins the shards)`
    : '';
}

/** Environments to name in a summary line before the rest are counted. */
export const SUMMARY_ENVIRONMENTS = 5;

/** "3 environments (dev, staging, prod)", "26 environments (a, b, c, d, e and 21 more)". */
export function environmentsFact(environments: readonly string[]): string {
  if (environments.length === 0) return 'no environments';
  const named = environments.slice(0, SUMMARY_ENVIRONMENTS).join(', ');
  const more = environments.length - SUMMARY_ENVIRONMENTS;
  return `${plural(environments.length, 'environment')} (${named}${more > 0 ? ` and ${more} more` : ''})`;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** "850 ms", "1.2 s", "2 min 5 s": short enough for a summary line. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

// The filter stage: between the checks and the report. It applies gitops.yaml's per-environment
// severities, the ignore annotations on resources, the baseline and --quiet, and decides the exit code.
// Problems with the settings and annotations themselves are rules (rules/), run with every other rule.
import type { Finding, RepoContext } from '../types.ts';
import { readBaseline, subtractBaseline } from './baseline.ts';
import { ignoreIndex } from './ignore.ts';
import { sortFindings } from '../finding-order.ts';
import { severityTable } from './severity.ts';

export { writeBaseline } from './baseline.ts';
export { fingerprintOf } from './fingerprint.ts';
export { compareFindings, sortFindings } from '../finding-order.ts';
export { IGNORE_ANNOTATION_PREFIX } from './ignore.ts';

export interface FilterOptions {
  /** Path of the baseline file (relative to ctx.root or absolute); only findings not in it are kept. */
  baselineFile?: string;
  /** Keep errors only (after severities are applied). */
  quiet?: boolean;
}

export interface FilterResult {
  /** Sorted, with the severities of gitops.yaml applied. */
  findings: Finding[];
  /** Dropped by `off` severities, ignore annotations or the baseline (not by --quiet). */
  suppressed: number;
}

/**
 * Order matters: severities first (so `off` drops a finding before anything else counts it), then
 * ignore annotations, then the baseline (which so stores what people chose to keep), then --quiet.
 * For --update-baseline, call without baselineFile and quiet, and write what comes back.
 */
export function applyFilters(findings: Finding[], ctx: RepoContext, options: FilterOptions = {}): FilterResult {
  const severities = severityTable(ctx);
  const ignores = ignoreIndex(ctx);
  let suppressed = 0;
  // A copy only from the first finding the filters drop or change: most runs keep every one as it is.
  let kept: Finding[] | undefined;
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i];
    const severity = severities.severityOf(finding);
    if (severity === 'off' || ignores.isIgnored(finding)) {
      kept ??= findings.slice(0, i);
      suppressed++;
      continue;
    }
    if (severity !== finding.severity) (kept ??= findings.slice(0, i)).push({ ...finding, severity });
    else kept?.push(finding);
  }
  let result = sortFindings(kept ?? findings);
  if (options.baselineFile !== undefined) {
    const { fresh, known } = subtractBaseline(result, readBaseline(options.baselineFile, ctx.root));
    suppressed += known;
    result = fresh;
  }
  if (options.quiet) result = result.filter((finding) => finding.severity === 'error');
  return { findings: result, suppressed };
}

/** 1 when any finding is an error, or when there are more warnings than maxWarnings; otherwise 0. */
export function exitCode(findings: readonly Finding[], maxWarnings?: number): 0 | 1 {
  let warnings = 0;
  for (const finding of findings) {
    if (finding.severity === 'error') return 1;
    if (finding.severity === 'warning') warnings++;
  }
  return maxWarnings !== undefined && maxWarnings >= 0 && warnings > maxWarnings ? 1 : 0;
}

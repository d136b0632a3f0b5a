// ESLint-like output for people at a terminal: findings grouped by file, one aligned line each (the
// same finding in several environments once, with the environments listed), and a summary line with
// the counts and the facts of the run.
import type { Finding, Report } from '../types.ts';
import { palette, type Palette } from './color.ts';
import {
  appsFact,
  shardFact,
  contextLabel,
  environmentsFact,
  flat,
  PIECE_CHARS,
  countBySeverity,
  formatDuration,
  mergedEnvironments,
  oneLine,
  plural,
  position,
  type DisplayFinding,
} from './common.ts';

export function formatStylish(report: Report, options: { color?: boolean } = {}): string {
  let text = '';
  for (const piece of stylishPieces(report, options)) text += piece;
  return text;
}

/**
 * The report a file at a time (a file's lines are aligned together, so a file is the unit): a run with
 * 275,000 findings never holds every line, nor one entry per finding, at once. Pieces stay below V8's
 * large-object size where a file allows (common.ts PIECE_CHARS).
 */
export function* stylishPieces(report: Report, options: { color?: boolean } = {}): Generator<string> {
  const paint = palette(options.color === true);
  let piece = '';
  for (const group of fileGroups(mergedEnvironments(report.findings, report.summary.environments))) {
    piece += `${paint.underline(group[0].finding.file)}\n`;
    for (const line of formatGroup(group, paint)) piece += `${line}\n`;
    piece += '\n';
    if (piece.length >= PIECE_CHARS) {
      yield flat(piece);
      piece = '';
    }
  }
  yield `${piece}${summaryLine(report, paint)}\n`;
}

/** Entries in the one order come file by file: each file's entries, in turn. */
function* fileGroups(entries: Iterable<DisplayFinding>): Generator<DisplayFinding[]> {
  let group: DisplayFinding[] = [];
  for (const entry of entries) {
    if (group.length > 0 && group[0].finding.file !== entry.finding.file) {
      yield group;
      group = [];
    }
    group.push(entry);
  }
  if (group.length > 0) yield group;
}

/** Columns are padded on the plain text so colours do not upset the alignment. */
function formatGroup(group: DisplayFinding[], paint: Palette): string[] {
  const rows = group.map((entry) => ({
    finding: entry.finding,
    position: position(entry.finding) || '-',
    message: oneLine(entry.finding.message),
    context: oneLine(contextLabel(entry)),
  }));
  // reduce, not Math.max(...): one file may have 100,000s of findings
  const widest = (width: (row: (typeof rows)[number]) => number) =>
    rows.reduce((max, row) => Math.max(max, width(row)), 0);
  const widths = {
    position: widest((row) => row.position.length),
    severity: widest((row) => row.finding.severity.length),
    message: widest((row) => row.message.length),
    ruleId: widest((row) => row.finding.ruleId.length),
  };
  const lines: string[] = [];
  for (const row of rows) {
    const columns = [
      paint.dim(row.position.padStart(widths.position)),
      severityColor(row.finding.severity, paint)(row.finding.severity.padEnd(widths.severity)),
      row.message.padEnd(widths.message),
      row.context ? paint.dim(row.finding.ruleId.padEnd(widths.ruleId)) : paint.dim(row.finding.ruleId),
    ];
    if (row.context) columns.push(paint.dim(row.context));
    lines.push(`  ${columns.join('  ')}`);
    if (row.finding.hint)
      lines.push(`  ${' '.repeat(widths.position)}  ${paint.dim(`hint: ${oneLine(row.finding.hint)}`)}`);
  }
  return lines;
}

function severityColor(severity: Finding['severity'], paint: Palette): (text: string) => string {
  return severity === 'error' ? paint.red : severity === 'warning' ? paint.yellow : paint.blue;
}

function summaryLine(report: Report, paint: Palette): string {
  const counts = countBySeverity(report.findings);
  const problems = counts.error + counts.warning;
  const { summary } = report;
  const head =
    problems === 0
      ? paint.green('✔ no problems')
      : (counts.error > 0 ? paint.red : paint.yellow)(
          paint.bold(
            `✖ ${plural(problems, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')})`,
          ),
        );
  const facts = [
    counts.info ? plural(counts.info, 'info') : '',
    summary.suppressed ? `${summary.suppressed} suppressed` : '',
    shardFact(report),
    appsFact(summary),
    environmentsFact(summary.environments),
    plural(summary.resources, 'resource'),
    formatDuration(summary.durationMs),
    [summary.kustomize, summary.helm].filter(Boolean).join(', ') || 'nothing rendered',
  ].filter(Boolean);
  return `${head} · ${facts.join(' · ')}`;
}

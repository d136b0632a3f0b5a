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
  countBySeverity,
  formatDuration,
  mergeEnvironments,
  oneLine,
  plural,
  position,
  type DisplayFinding,
} from './common.ts';

export function formatStylish(report: Report, options: { color?: boolean } = {}): string {
  const paint = palette(options.color === true);
  const entries = mergeEnvironments(report.findings, report.summary.environments);
  const lines: string[] = [];
  for (const [file, group] of groupByFile(entries)) {
    lines.push(paint.underline(file));
    for (const line of formatGroup(group, paint)) lines.push(line);
    lines.push('');
  }
  lines.push(summaryLine(report, paint));
  return `${lines.join('\n')}\n`;
}

function groupByFile(entries: DisplayFinding[]): Map<string, DisplayFinding[]> {
  const groups = new Map<string, DisplayFinding[]>();
  for (const entry of entries) {
    const group = groups.get(entry.finding.file) ?? [];
    group.push(entry);
    groups.set(entry.finding.file, group);
  }
  return groups;
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

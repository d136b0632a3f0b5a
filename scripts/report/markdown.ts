// Markdown for a pull-request comment: a table of errors and warnings per environment, then the
// findings grouped by file (the same finding in several environments once). Long sections fold into
// <details> so the comment stays readable.
import type { Finding, Report } from '../types.ts';
import {
  appsFact,
  shardFact,
  contextLabel,
  countBySeverity,
  formatDuration,
  mergeEnvironments,
  oneLine,
  plural,
  position,
  sortFindings,
  type DisplayFinding,
} from './common.ts';

/** Files with more findings than this fold, and so does every file when the whole report is longer. */
const FOLD_FILE_AFTER = 10;
const FOLD_ALL_AFTER = 50;

const NO_ENV = '(none)';

/**
 * GitHub rejects comments over 65,536 characters. Past this budget the remaining files are left out
 * with a line saying how many findings were not shown (every other format still has them all).
 */
export const MARKDOWN_BUDGET = 60_000;

export function formatMarkdown(report: Report): string {
  const findings = sortFindings(report.findings);
  const counts = countBySeverity(findings);
  const { summary } = report;
  const lines: string[] = [];
  const verdict = counts.error > 0 ? '❌' : counts.warning > 0 ? '⚠️' : '✅';
  lines.push(
    `### ${verdict} ${escape(report.tool.name)} validate: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}`,
  );
  lines.push('');
  const facts = [
    shardFact(report),
    appsFact(summary),
    plural(summary.resources, 'resource'),
    summary.suppressed ? `${summary.suppressed} suppressed` : '',
    counts.info ? plural(counts.info, 'info') : '',
    formatDuration(summary.durationMs),
    summary.kustomize ? escape(summary.kustomize) : '',
  ].filter(Boolean);
  lines.push(facts.join(' · '));
  lines.push('');
  for (const line of envTable(findings, summary.environments)) lines.push(line);
  const entries = mergeEnvironments(findings, summary.environments);
  const byFile = groupByFile(entries);
  const foldAll = entries.length > FOLD_ALL_AFTER;
  let length = lines.join('\n').length;
  let left = entries.length;
  for (const [file, group] of byFile) {
    const items = group.map(item);
    const section =
      foldAll || group.length > FOLD_FILE_AFTER
        ? [
            '',
            '<details>',
            `<summary><code>${html(file)}</code>: ${plural(group.length, 'finding')}</summary>`,
            '',
            ...items,
            '',
            '</details>',
          ]
        : ['', `#### ${code(file)}`, '', ...items];
    const size = section.join('\n').length + 1;
    if (length + size > MARKDOWN_BUDGET) {
      lines.push(
        '',
        `_${plural(left, 'more finding')} not shown here: the comment would be too long. The job log and the SARIF upload have them all._`,
      );
      break;
    }
    for (const line of section) lines.push(line);
    length += size;
    left -= group.length;
  }
  return `${lines.join('\n')}\n`;
}

/** Errors and warnings per environment: the environments of the run in their order, then any other seen. */
function envTable(findings: Finding[], environments: string[]): string[] {
  const rows = new Map<string, { errors: number; warnings: number }>();
  for (const env of environments) rows.set(env, { errors: 0, warnings: 0 });
  for (const finding of findings) {
    const env = finding.env ?? NO_ENV;
    const row = rows.get(env) ?? { errors: 0, warnings: 0 };
    if (finding.severity === 'error') row.errors++;
    if (finding.severity === 'warning') row.warnings++;
    rows.set(env, row);
  }
  if (rows.size === 0) return [];
  const table = ['| environment | errors | warnings |', '|---|---:|---:|'];
  for (const [env, row] of rows) table.push(`| ${escape(env)} | ${row.errors} | ${row.warnings} |`);
  return table;
}

function groupByFile(entries: DisplayFinding[]): Map<string, DisplayFinding[]> {
  const groups = new Map<string, DisplayFinding[]>();
  for (const entry of entries) {
    const group = groups.get(entry.finding.file);
    if (group) group.push(entry);
    else groups.set(entry.finding.file, [entry]);
  }
  return groups;
}

function item(entry: DisplayFinding): string {
  const { finding } = entry;
  const where = code(`${finding.file}${position(finding) ? `:${position(finding)}` : ''}`);
  const context = escape(oneLine(contextLabel(entry)));
  const hint = finding.hint ? ` _Hint: ${escape(oneLine(finding.hint))}_` : '';
  return `- **${finding.severity}** ${code(finding.ruleId)} ${where}: ${escape(oneLine(finding.message))}${context ? ` (${context})` : ''}${hint}`;
}

/** Text from resources must not become markup: HTML is neutralised and markdown punctuation escaped. */
export function escape(value: string): string {
  return html(value).replace(/([\\`*_[\]|~])/g, '\\$1');
}

export function html(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code that survives backticks in the value (a longer fence than any run inside it). */
export function code(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine(value)}${pad}${fence}`;
}

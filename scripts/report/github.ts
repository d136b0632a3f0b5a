// GitHub Actions workflow commands: each finding becomes an annotation on the pull request's file and
// line; the same finding in several environments is one annotation listing them.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
// GitHub shows 10 error, 10 warning and 10 notice annotations per step (50 per job) and drops the rest
// without a word, so the rest are counted in one closing notice instead of being printed to be lost.
import type { Report, Severity } from '../types.ts';
import { appsFact, contextLabel, mergeEnvironments, plural, type DisplayFinding } from './common.ts';

type Command = 'error' | 'warning' | 'notice';

const commandOf: Record<Severity, Command> = { error: 'error', warning: 'warning', info: 'notice' };

/** Annotations of one kind GitHub shows per step. */
export const ANNOTATIONS_PER_KIND = 10;

export function formatGithub(report: Report): string {
  const { partlyChecked } = report.summary;
  // The count of apps not checked whole is a run-level notice, not one per finding.
  const partlyCheckedNotice = partlyChecked
    ? `::notice title=partly checked::${escapeData(`${appsFact(report.summary)}: a remote base, helmCharts, a plugin or a Helm source kept them from rendering offline; only their local files were checked (--strict-render makes this an error)`)}`
    : undefined;
  const entries = mergeEnvironments(report.findings, report.summary.environments);
  const total: Record<Command, number> = { error: 0, warning: 0, notice: 0 };
  for (const entry of entries) total[commandOf[entry.finding.severity]]++;
  const overflows = (Object.keys(total) as Command[]).some((kind) => total[kind] > ANNOTATIONS_PER_KIND);
  // The run-level notices are notices too: they take the last notices' places.
  const reserved = (partlyCheckedNotice ? 1 : 0) + (overflows ? 1 : 0);
  const limit: Record<Command, number> = {
    error: ANNOTATIONS_PER_KIND,
    warning: ANNOTATIONS_PER_KIND,
    notice: ANNOTATIONS_PER_KIND - reserved,
  };
  const shown: Record<Command, number> = { error: 0, warning: 0, notice: 0 };
  const lines: string[] = [];
  for (const entry of entries) {
    const kind = commandOf[entry.finding.severity];
    if (shown[kind] >= limit[kind]) continue;
    shown[kind]++;
    lines.push(annotation(entry));
  }
  const left = entries.length - lines.length;
  if (left > 0) {
    const parts = (Object.keys(total) as Command[])
      .filter((kind) => total[kind] > shown[kind])
      .map((kind) => plural(total[kind] - shown[kind], kind));
    lines.push(
      `::notice title=${escapeProperty(`${report.tool.name}: ${plural(left, 'more finding')}`)}::${escapeData(
        `${parts.join(', ')} not annotated (GitHub shows ${ANNOTATIONS_PER_KIND} annotations of each kind per step): the job summary and the step's other reports list every finding.`,
      )}`,
    );
  }
  if (partlyCheckedNotice) lines.push(partlyCheckedNotice);
  return lines
    .map(
      (line) => `${line}
`,
    )
    .join('');
}

function annotation(entry: DisplayFinding): string {
  const { finding } = entry;
  const properties = [`file=${escapeProperty(finding.file)}`];
  if (finding.line) properties.push(`line=${finding.line}`);
  if (finding.line && finding.column) properties.push(`col=${finding.column}`);
  properties.push(`title=${escapeProperty(finding.ruleId)}`);
  const context = contextLabel(entry);
  const message = `${finding.message}${context ? ` (${context})` : ''}${finding.hint ? `\nHint: ${finding.hint}` : ''}`;
  return `::${commandOf[finding.severity]} ${properties.join(',')}::${escapeData(message)}`;
}

/** The runner decodes %25, %0D and %0A in a command's message; anything else would end or split the command. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Properties are `key=value` pairs separated by commas and ended by `::`, so `:` and `,` are escaped too. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

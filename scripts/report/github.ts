// GitHub Actions workflow commands: each finding becomes an annotation on the pull request's file and
// line; the same finding in several environments is one annotation listing them.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import type { Report, Severity } from '../types.ts';
import { appsFact, contextLabel, mergeEnvironments, type DisplayFinding } from './common.ts';

const commandOf: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function formatGithub(report: Report): string {
  const { partlyChecked } = report.summary;
  // Annotations are per finding; the count of apps not checked whole is a run-level notice.
  const notice = partlyChecked
    ? `::notice title=partly checked::${escapeData(`${appsFact(report.summary)}: a remote base, helmCharts, a plugin or a Helm source kept them from rendering offline; only their local files were checked (--strict-render makes this an error)`)}\n`
    : '';
  return (
    mergeEnvironments(report.findings, report.summary.environments)
      .map((entry) => `${annotation(entry)}\n`)
      .join('') + notice
  );
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

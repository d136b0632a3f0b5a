// The pull-request comment of `gitops diff`: a summary table first, Argo CD's consequences, the
// environment matrix and the findings, then one collapsible section per environment and app with
// the diffs. It stays under GitHub's comment limit and says what it left out. The first line is the
// marker the workflow finds its own comment by, so each push updates one comment.
import { MARKDOWN_BUDGET, code, escape, html } from '../report/markdown.ts';
import { oneLine, plural } from '../report/common.ts';
import type { Finding } from '../types.ts';
import type { ApplicationDiff } from './applications.ts';
import {
  appChangeNote,
  applicationTitle,
  CHANGE_MARK,
  countsLabel,
  FATE_LABEL,
  FIELD_LABEL,
  headline,
  serviceTitle,
  objectTitle,
  secretsLabel,
  sideLabel,
} from './describe.ts';
import type { DiffReport, EnvironmentDiff } from './index.ts';
import { MATRIX_FIELDS } from './matrix.ts';
import type { AppDiff, ObjectDiff } from './objects.ts';
import { cellText } from './stylish.ts';
import { appendAll } from '../lists.ts';

export const COMMENT_MARKER = '<!-- gitops-diff -->';

export interface MarkdownOptions {
  /** A link to a file on one side, or undefined to print the path alone. */
  link?: (file: string, line: number | undefined, side: 'base' | 'head') => string | undefined;
  /** Total size budget in characters (default: the validate comment's, under GitHub's 65,536). */
  budget?: number;
}

/** Matrix rows and findings past these counts are summarised, so the fixed part never eats the budget. */
const MAX_MATRIX_ROWS = 40;
const MAX_FINDINGS = 50;
const MAX_APPLICATIONS = 50;

export function formatDiffMarkdown(report: DiffReport, options: MarkdownOptions = {}): string {
  const budget = options.budget ?? MARKDOWN_BUDGET;
  const link = (text: string, file: string, line: number | undefined, side: 'base' | 'head') => {
    const url = options.link?.(file, line, side);
    return url ? `[${text}](${url})` : text;
  };
  const fileRef = (file: string, line: number | undefined, side: 'base' | 'head') =>
    link(code(`${file}${line ? `:${line}` : ''}`), file, line, side);

  const head: string[] = [COMMENT_MARKER, `### gitops diff: ${escape(headline(report))}`, ''];
  head.push(`${code(sideLabel(report.base))} → ${code(sideLabel(report.head))}`, '');
  appendAll(head, summaryTable(report.environments));

  const deleting = report.applications.filter((entry) => entry.fate === 'deletes-resources');
  if (deleting.length) {
    const names = deleting
      .slice(0, MAX_APPLICATIONS)
      .map((entry) => `**${escape(entry.previousName ?? entry.name)}**${entry.env ? ` (${escape(entry.env)})` : ''}`);
    const more = deleting.length > MAX_APPLICATIONS ? `, and ${deleting.length - MAX_APPLICATIONS} more` : '';
    head.push(
      '',
      '> [!WARNING]',
      `> Argo CD deletes the resources of ${plural(deleting.length, 'Application')}: ${names.join(', ')}${more}. See the Argo CD table below.`,
    );
  }
  if (report.applications.length) head.push('', ...applicationsTable(report.applications, fileRef));
  appendAll(head, matrixTable(report));
  appendAll(head, findingsList(report, fileRef));

  const sections = report.environments.flatMap((environment) =>
    environment.apps.map((app) => appSection(environment, app, fileRef, link)),
  );
  const lines = [...head];
  let length = lines.join('\n').length;
  const reserve = 400; // the closing note
  let shown = 0;
  for (const section of sections) {
    const text = section.join('\n');
    if (length + text.length + 1 > budget - reserve) break;
    lines.push(text);
    length += text.length + 1;
    shown++;
  }
  const left = sections.length - shown;
  if (left > 0) {
    const objects = report.environments
      .flatMap((environment) => environment.apps)
      .slice(shown)
      .reduce((sum, app) => sum + app.objects.length, 0);
    lines.push(
      '',
      `_${plural(left, 'more app section')} (${plural(objects, 'object')}) not shown: the comment would pass GitHub's size limit. \`gitops diff --format json\` and the job log have everything._`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function summaryTable(environments: EnvironmentDiff[]): string[] {
  if (environments.length === 0) return ['_No rendered object, Application or finding changes._'];
  const rows = [
    '| environment | apps | objects | Applications | findings introduced / fixed |',
    '|---|---:|---|---|---|',
  ];
  for (const entry of environments) {
    rows.push(
      `| ${entry.env === null ? '_(no environment)_' : escape(entry.env)} | ${entry.apps.length} | ${countsLabel(entry.objects) || '–'} | ${countsLabel(entry.applications) || '–'} | ${entry.findings.introduced} / ${entry.findings.fixed} |`,
    );
  }
  return rows;
}

function applicationsTable(
  applications: ApplicationDiff[],
  fileRef: (file: string, line: number | undefined, side: 'base' | 'head') => string,
): string[] {
  const rows = [
    '#### Argo CD',
    '',
    '| | Application | environment | what Argo CD does | written in |',
    '|---|---|---|---|---|',
  ];
  for (const entry of applications.slice(0, MAX_APPLICATIONS)) {
    const fate = entry.fate ? `**${FATE_LABEL[entry.fate]}**: ` : '';
    rows.push(
      `| ${entry.change} | ${escape(applicationTitle(entry))}${entry.appSet ? ` <sub>ApplicationSet ${escape(entry.appSet)}</sub>` : ''} | ${escape(entry.env ?? '')} | ${fate}${escape(oneLine(entry.explanation))} | ${fileRef(entry.file, entry.line, entry.change === 'removed' ? 'base' : 'head')} |`,
    );
  }
  if (applications.length > MAX_APPLICATIONS)
    rows.push('', `_${applications.length - MAX_APPLICATIONS} more Applications: see the json output._`);
  return rows;
}

function matrixTable(report: DiffReport): string[] {
  const rows = report.matrix.rows.filter((row) => row.changed);
  if (rows.length === 0) return [];
  const envs = report.matrix.environments;
  const out = ['', '#### Environment matrix', '', '_Changed services; changed cells in bold, before → after._', ''];
  out.push(`| service | | ${envs.map(escape).join(' | ')} |`, `|---|---|${envs.map(() => '---').join('|')}|`);
  for (const row of rows.slice(0, MAX_MATRIX_ROWS)) {
    for (const field of MATRIX_FIELDS) {
      const cells = envs.map((env) => {
        const entry = row.cells[env];
        const text = escape(cellText(entry, field));
        return entry?.changed.includes(field) ? `**${text}**` : text;
      });
      out.push(
        `| ${field === 'image' ? `**${escape(serviceTitle(row))}**` : ''} | ${FIELD_LABEL[field]} | ${cells.join(' | ')} |`,
      );
    }
  }
  const more = rows.length - MAX_MATRIX_ROWS;
  const unchanged = report.matrix.rows.length - rows.length;
  const notes = [
    more > 0 ? `${plural(more, 'more changed service')} in the json output` : '',
    unchanged ? `${plural(unchanged, 'unchanged service')} not shown` : '',
  ].filter(Boolean);
  if (notes.length) out.push('', `_${notes.join('; ')}._`);
  return out;
}

function findingsList(
  report: DiffReport,
  fileRef: (file: string, line: number | undefined, side: 'base' | 'head') => string,
): string[] {
  const { introduced, fixed } = report.findings;
  if (!introduced.length && !fixed.length) return [];
  const out = ['', `#### Findings: ${introduced.length} introduced, ${fixed.length} fixed`, ''];
  const item = (finding: Finding, kind: 'introduced' | 'fixed') =>
    `- ${kind === 'introduced' ? '🆕' : '✅ fixed:'} **${finding.severity}** ${code(finding.ruleId)} ${fileRef(finding.file, finding.line, kind === 'introduced' ? 'head' : 'base')}: ${escape(oneLine(finding.message))}${finding.env ? ` (${escape(finding.env)})` : ''}`;
  const all = [
    ...introduced.map((finding) => item(finding, 'introduced')),
    ...fixed.map((finding) => item(finding, 'fixed')),
  ];
  appendAll(out, all.slice(0, MAX_FINDINGS));
  if (all.length > MAX_FINDINGS) out.push(`- _${all.length - MAX_FINDINGS} more: see the json output or the job log._`);
  return out;
}

function appSection(
  environment: EnvironmentDiff,
  app: AppDiff,
  fileRef: (file: string, line: number | undefined, side: 'base' | 'head') => string,
  link: (text: string, file: string, line: number | undefined, side: 'base' | 'head') => string,
): string[] {
  const counts = { added: 0, removed: 0, changed: 0, renamed: 0 };
  for (const object of app.objects) counts[object.change]++;
  const what = app.notRendered ? 'not rendered on one side' : countsLabel(counts);
  const out = [
    '',
    '<details>',
    `<summary><b>${html(environment.env ?? '(no environment)')}</b> · <code>${html(oneLine(app.app))}</code>${html(oneLine(appChangeNote(app)))}: ${html(what || 'objects unchanged')}</summary>`,
    '',
    `App ${link(code(app.app), app.app, undefined, app.change === 'removed' ? 'base' : 'head')}`,
  ];
  if (app.notRendered?.base) out.push('', `Base side did not render: ${escape(oneLine(app.notRendered.base))}`);
  if (app.notRendered?.head) out.push('', `Head side does not render: ${escape(oneLine(app.notRendered.head))}`);
  for (const object of app.objects) appendAll(out, objectBlock(object, fileRef));
  out.push('', '</details>');
  return out;
}

function objectBlock(
  object: ObjectDiff,
  fileRef: (file: string, line: number | undefined, side: 'base' | 'head') => string,
): string[] {
  const side = object.change === 'removed' ? 'base' : 'head';
  const edited =
    object.edit && (object.edit.file !== object.file || object.edit.line !== object.line)
      ? `, set in ${fileRef(object.edit.file, object.edit.line, 'head')}`
      : '';
  const out = [
    '',
    `**${CHANGE_MARK[object.change]} ${object.change}** ${code(objectTitle(object))} from ${fileRef(object.file, object.line, side)}${edited}`,
  ];
  if (object.secrets.length) out.push('', `🔒 secret values: ${secretsLabel(object.secrets, code)}`);
  if (object.diff) out.push('', ...fenced(object.diff));
  return out;
}

/** A diff block whose fence no backtick run inside can close. */
function fenced(text: string): string[] {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}diff`, ...text.replace(/\n$/, '').split('\n').map(oneLine), fence];
}

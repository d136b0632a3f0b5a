// The terminal format of `gitops diff`: per environment and app the objects with their diffs, then
// Argo CD's Applications and what happens to them, the environment matrix and the findings.
import { palette, type Palette } from '../report/color.ts';
import { oneLine, position } from '../report/common.ts';
import type { Finding } from '../types.ts';
import {
  appChangeNote,
  applicationTitle,
  CHANGE_MARK,
  FATE_LABEL,
  FIELD_LABEL,
  headline,
  serviceTitle,
  objectTitle,
  secretsLabel,
  sideLabel,
} from './describe.ts';
import type { DiffReport } from './index.ts';
import { MATRIX_FIELDS, type MatrixEntry } from './matrix.ts';
import type { ObjectChange } from './objects.ts';

export function formatDiffStylish(report: DiffReport, options: { color?: boolean } = {}): string {
  const paint = palette(options.color === true);
  const mark = (change: ObjectChange) => {
    const text = CHANGE_MARK[change];
    return change === 'added' ? paint.green(text) : change === 'removed' ? paint.red(text) : paint.yellow(text);
  };
  const lines: string[] = [
    `${paint.bold('gitops diff')} ${sideLabel(report.base)} → ${sideLabel(report.head)}`,
    headline(report),
  ];

  for (const environment of report.environments) {
    if (environment.apps.length === 0) continue;
    lines.push('', paint.bold(paint.underline(environment.env ?? '(no environment)')));
    for (const app of environment.apps) {
      lines.push(`  ${app.change === 'changed' ? '' : `${mark(app.change)} `}${oneLine(app.app + appChangeNote(app))}`);
      if (app.change === 'renamed' && app.objects.length === 0) lines.push(`    ${paint.dim('objects unchanged')}`);
      if (app.notRendered) {
        if (app.notRendered.base)
          lines.push(`    ${paint.dim('not rendered on the base side:')} ${oneLine(app.notRendered.base)}`);
        if (app.notRendered.head)
          lines.push(`    ${paint.dim('not rendered on the head side:')} ${oneLine(app.notRendered.head)}`);
      }
      for (const object of app.objects) {
        const paths =
          object.change === 'changed' && object.paths.length
            ? `  ${paint.dim(object.paths.slice(0, 3).join(', '))}`
            : '';
        lines.push(`    ${mark(object.change)} ${oneLine(objectTitle(object))}${paths}`);
        if (object.edit)
          lines.push(
            `      ${paint.dim(`set in ${oneLine(object.edit.file)}${object.edit.line ? `:${object.edit.line}` : ''}`)}`,
          );
        if (object.secrets.length) lines.push(`      ${paint.dim('secret values:')} ${secretsLabel(object.secrets)}`);
        for (const line of diffLines(object.diff, '      ', paint)) lines.push(line);
      }
    }
  }

  if (report.applications.length) {
    lines.push('', paint.bold(paint.underline('Argo CD')));
    for (const application of report.applications) {
      const where = [application.appSet ? `ApplicationSet ${application.appSet}` : '', application.env ?? '']
        .filter(Boolean)
        .join(', ');
      const fate = application.fate
        ? `: ${application.fate === 'deletes-resources' ? paint.red(FATE_LABEL[application.fate]) : FATE_LABEL[application.fate]}`
        : '';
      const change = application.change === 'renamed' ? 'renamed' : application.change;
      lines.push(
        `  ${mark(application.change)} ${oneLine(applicationTitle(application))} ${paint.dim(`(${[change, where].filter(Boolean).join(', ')})`)}${fate}`,
      );
      lines.push(`      ${oneLine(application.explanation)}`);
      if (application.resources.length)
        lines.push(
          `      ${paint.dim('resources:')} ${oneLine(application.resources.slice(0, 8).join(', '))}${application.resources.length > 8 ? `, … (${application.resources.length})` : ''}`,
        );
    }
  }

  const rows = report.matrix.rows.filter((row) => row.changed);
  if (rows.length) {
    const envs = report.matrix.environments;
    lines.push(
      '',
      paint.bold(paint.underline('Environment matrix')) + paint.dim(`  (changed services; before → after)`),
    );
    const table: string[][] = [['service', 'field', ...envs]];
    for (const row of rows) {
      for (const field of MATRIX_FIELDS) {
        table.push([
          field === 'image' ? serviceTitle(row) : '',
          FIELD_LABEL[field],
          ...envs.map((env) => cellText(row.cells[env], field)),
        ]);
      }
    }
    const widths = table[0].map((_, i) => table.reduce((max, cells) => Math.max(max, oneLine(cells[i]).length), 0));
    table.forEach((cells, r) => {
      const text = cells
        .map((cell, i) => oneLine(cell).padEnd(widths[i]))
        .join('  ')
        .trimEnd();
      lines.push(`  ${r === 0 ? paint.dim(text) : text}`);
    });
    const unchanged = report.matrix.rows.length - rows.length;
    if (unchanged) lines.push(paint.dim(`  ${unchanged} unchanged service${unchanged === 1 ? '' : 's'} not shown`));
  }

  const { introduced, fixed } = report.findings;
  if (introduced.length || fixed.length) {
    lines.push('', paint.bold(paint.underline('Findings')));
    for (const finding of introduced) lines.push(findingLine('introduced', finding, paint));
    for (const finding of fixed) lines.push(findingLine('fixed', finding, paint));
  }
  return `${lines.join('\n')}\n`;
}

function diffLines(diff: string, indent: string, paint: Palette): string[] {
  return diff
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const text = oneLine(line);
      if (text.startsWith('@@')) return indent + paint.dim(text);
      if (text.startsWith('+')) return indent + paint.green(text);
      if (text.startsWith('-')) return indent + paint.red(text);
      return indent + text;
    });
}

/** "1.4.2", "1.4.2 → 1.5.0", "(new) 1.5.0", "1.4.2 → (gone)"; "" for an environment without the service. */
export function cellText(entry: MatrixEntry | undefined, field: (typeof MATRIX_FIELDS)[number]): string {
  if (!entry) return '';
  const before = entry.before?.[field];
  const after = entry.after?.[field];
  if (!entry.changed.includes(field)) return after || '-';
  if (before === undefined) return `(new) ${after || '-'}`;
  if (after === undefined) return `${before || '-'} → (gone)`;
  return `${before || '-'} → ${after || '-'}`;
}

function findingLine(kind: 'introduced' | 'fixed', finding: Finding, paint: Palette): string {
  const severity =
    finding.severity === 'error'
      ? paint.red(finding.severity)
      : finding.severity === 'warning'
        ? paint.yellow(finding.severity)
        : paint.blue(finding.severity);
  const where = `${finding.file}${position(finding) ? `:${position(finding)}` : ''}`;
  const label = kind === 'introduced' ? paint.red('introduced') : paint.green('fixed     ');
  return `  ${label} ${severity} ${oneLine(where)}  ${oneLine(finding.message)}${finding.env ? paint.dim(` (${oneLine(finding.env)})`) : ''}  ${paint.dim(finding.ruleId)}`;
}

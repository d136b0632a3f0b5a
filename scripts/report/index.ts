// The report stage: turns the filtered findings and the facts of a run into one of the output formats.
// Formatting is pure (the same Report gives byte-identical text); where the text goes is the CLI's job.
import type { Report, ReportFormat } from '../types.ts';
import { formatGithub } from './github.ts';
import { formatJson, jsonChunks } from './json.ts';
import { formatJunit } from './junit.ts';
import { formatMarkdown } from './markdown.ts';
import { formatSarif, sarifPieces } from './sarif.ts';
import { formatStylish, stylishPieces } from './stylish.ts';

export { shouldColor } from './color.ts';

export const reportFormats: readonly ReportFormat[] = ['stylish', 'json', 'sarif', 'junit', 'github', 'markdown'];

export interface FormatOptions {
  /** ANSI colours in stylish output; decide with shouldColor(stream). */
  color?: boolean;
  /** Absolute repository root; formats print repository-relative paths, so it is informational. */
  root?: string;
}

export function formatReport(format: ReportFormat, report: Report, options: FormatOptions = {}): string {
  switch (format) {
    case 'stylish':
      return formatStylish(report, { color: options.color });
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'junit':
      return formatJunit(report);
    case 'github':
      return formatGithub(report);
    case 'markdown':
      return formatMarkdown(report);
  }
}

/**
 * The report in pieces, as they are made, ending with a newline (none at all for a format that has
 * nothing to say). JSON, SARIF and stylish (the default) come a few findings or a file at a time, so
 * the largest report is never one string; the other formats are one piece (they are capped or meant
 * for people). The same text as formatReport.
 */
export function* reportPieces(format: ReportFormat, report: Report, options: FormatOptions = {}): Generator<string> {
  const chunks =
    format === 'json'
      ? jsonChunks(report)
      : format === 'stylish'
        ? stylishPieces(report, { color: options.color })
        : format === 'sarif'
          ? sarifPieces(report)
          : [formatReport(format, report, options)];
  let last = '';
  for (const chunk of chunks) {
    if (!chunk) continue;
    yield chunk;
    last = chunk;
  }
  if (last && !last.endsWith('\n')) yield '\n';
}

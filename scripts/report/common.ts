// Helpers every format shares: one order for findings, one label for a resource, and text hygiene.
import { describeRef, type Finding, type ResourceRef, type Severity } from '../types.ts';

export { compareFindings, compareText, sortFindings } from '../filter/order.ts';

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

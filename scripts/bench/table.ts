// Benchmarks print tables; targets are checked by reading them, never by timed tests.

import { largest } from '../lists.ts';

export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  /** Lines printed under the table: targets, ratios, what the baseline was. */
  notes?: string[];
}

export function formatTable(table: BenchTable): string {
  const cells = [table.columns, ...table.rows.map((row) => row.map(String))];
  const widths = table.columns.map((_, i) => largest(cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    `## ${table.title}`,
    line(table.columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.slice(1).map(line),
    ...(table.notes ?? []).map((note) => `  ${note}`),
  ].join('\n');
}

/** Milliseconds since `start` (from performance.now()), rounded for tables. */
export function msSince(start: number): number {
  return Math.round(performance.now() - start);
}

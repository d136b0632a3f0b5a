// The stable, documented machine format (docs/json-format.md). Every key is always present, in a fixed
// order, with null when a value is unknown, so consumers never test for missing keys.
import type { Finding, Report, ReportSummary, ShardRecord } from '../types.ts';
import { flat, PIECE_CHARS, sortFindings } from './common.ts';

export interface JsonFinding {
  ruleId: string;
  severity: Finding['severity'];
  message: string;
  file: string;
  line: number | null;
  column: number | null;
  env: string | null;
  app: string | null;
  resource: { apiVersion: string; kind: string; namespace: string | null; name: string } | null;
}

/** ReportSummary as written: `kustomize` is null rather than absent, and the tool is named. */
export type JsonSummary = Omit<ReportSummary, 'kustomize'> & {
  kustomize: string | null;
  tool: { name: string; version: string };
};

export interface JsonReport {
  findings: JsonFinding[];
  summary: JsonSummary;
  /** Only in a shard's report (validate --shard i/n): what gitops merge-shards reads. */
  shard?: ShardRecord;
}

export function toJsonReport(report: Report): JsonReport {
  return {
    findings: sortFindings(report.findings).map(toJsonFinding),
    summary: jsonSummary(report),
    ...(report.shard ? { shard: report.shard } : {}),
  };
}

function jsonSummary(report: Report): JsonSummary {
  const { summary } = report;
  return {
    errors: summary.errors,
    warnings: summary.warnings,
    infos: summary.infos,
    suppressed: summary.suppressed,
    apps: summary.apps,
    partlyChecked: summary.partlyChecked,
    environments: [...summary.environments],
    resources: summary.resources,
    durationMs: Math.round(summary.durationMs),
    kustomize: summary.kustomize ?? null,
    tool: { name: report.tool.name, version: report.tool.version },
  };
}

export function toJsonFinding(finding: Finding): JsonFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    file: finding.file,
    line: finding.line ?? null,
    column: finding.column ?? null,
    env: finding.env ?? null,
    app: finding.app ?? null,
    resource: finding.resource
      ? {
          apiVersion: finding.resource.apiVersion,
          kind: finding.resource.kind,
          namespace: finding.resource.namespace ?? null,
          name: finding.resource.name,
        }
      : null,
  };
}

export function formatJson(report: Report): string {
  let text = '';
  for (const chunk of jsonChunks(report)) text += chunk;
  return text;
}

/**
 * The same text as `JSON.stringify(toJsonReport(report), null, 2)` plus a newline, in pieces: a run
 * with 500,000 findings never holds the whole report (hundreds of MB as one string, again as the
 * Buffer written) nor a JSON copy of every finding. A finding is written by `findingText` (the
 * test compares it with JSON.stringify on every kind of value); JSON strings hold no raw newline, so
 * indenting the summary's own JSON by replacing its newlines is exact.
 */
export function* jsonChunks(report: Report): Generator<string> {
  const findings = sortFindings(report.findings);
  if (findings.length === 0) yield '{\n  "findings": [],\n';
  else {
    let chunk = '{\n  "findings": [\n';
    const repeated = repeatedTexts();
    for (let i = 0; i < findings.length; i++) {
      chunk += findingText(findings[i], repeated);
      chunk += i + 1 < findings.length ? ',\n' : '\n  ],\n';
      if (chunk.length >= PIECE_CHARS) {
        yield flat(chunk);
        chunk = '';
      }
    }
    if (chunk) yield flat(chunk);
  }
  const summary = `  "summary": ${JSON.stringify(jsonSummary(report), null, 2).replace(/\n/g, '\n  ')}`;
  const shard = report.shard ? `,\n  "shard": ${JSON.stringify(report.shard, null, 2).replace(/\n/g, '\n  ')}` : '';
  yield `${summary}${shard}\n}\n`;
}

const str = JSON.stringify;
/** JSON.stringify's text for an optional number: null when absent (and for NaN, as JSON.stringify does). */
const num = (value: number | undefined) => (value == null ? 'null' : str(value));
const opt = (value: string | undefined) => (value == null ? 'null' : str(value));

/**
 * One finding as `JSON.stringify(toJsonFinding(finding), null, 2)` prints it inside the report's
 * findings array (4 more spaces in), by template: a generic stringify with indentation was a third of
 * writing a 275,000-finding report.
 */
export function findingText(finding: Finding, repeated: RepeatedTexts): string {
  // Values from a hostile repository may be of any type (a name that is a map): those take the generic path.
  if (!plain(finding)) return `    ${JSON.stringify(toJsonFinding(finding), null, 2).replace(/\n/g, '\n    ')}`;
  return `    {
      "ruleId": ${str(finding.ruleId)},
      "severity": ${str(finding.severity)},
      "message": ${str(finding.message)},
      "file": ${repeated.file(finding.file)},
      "line": ${num(finding.line)},
      "column": ${num(finding.column)},
      "env": ${opt(finding.env)},
      "app": ${repeated.app(finding.app)},
      "resource": ${repeated.resource(finding.resource)}
    }`;
}

/**
 * The text of a value the previous finding had too. Findings come sorted by file, and a resource's
 * findings share one frozen reference (check/finding.ts): most findings repeat the previous one's
 * file, app and resource, whose JSON was a third of writing each. One per report: a caller's
 * resource object may change between two reports.
 */
function lastOf<T>(text: (value: T) => string): (value: T) => string {
  let last: T | undefined;
  let lastText: string | undefined;
  return (value) => {
    if (lastText === undefined || value !== last) {
      last = value;
      lastText = text(value);
    }
    return lastText;
  };
}

type RepeatedTexts = ReturnType<typeof repeatedTexts>;

const repeatedTexts = () => ({
  file: lastOf<string>(str),
  app: lastOf<string | undefined>(opt),
  resource: lastOf<Finding['resource']>((resource) =>
    resource != null
      ? `{
        "apiVersion": ${str(resource.apiVersion)},
        "kind": ${str(resource.kind)},
        "namespace": ${opt(resource.namespace)},
        "name": ${str(resource.name)}
      }`
      : 'null',
  ),
});

const isText = (value: unknown) => typeof value === 'string';
const isOptional = (value: unknown, type: 'string' | 'number') => value == null || typeof value === type;

/** Whether every value `findingText` writes is of the type its template assumes. */
function plain(finding: Finding): boolean {
  const { resource } = finding;
  return (
    isText(finding.ruleId) &&
    isText(finding.severity) &&
    isText(finding.message) &&
    isText(finding.file) &&
    isOptional(finding.line, 'number') &&
    isOptional(finding.column, 'number') &&
    isOptional(finding.env, 'string') &&
    isOptional(finding.app, 'string') &&
    (resource == null ||
      (isText(resource.apiVersion) &&
        isText(resource.kind) &&
        isOptional(resource.namespace, 'string') &&
        isText(resource.name)))
  );
}

// The stable, documented machine format (docs/json-format.md). Every key is always present, in a fixed
// order, with null when a value is unknown, so consumers never test for missing keys.
import type { Finding, Report, ReportSummary, ShardRecord } from '../types.ts';
import { sortFindings } from './common.ts';

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
  const { summary } = report;
  return {
    findings: sortFindings(report.findings).map(toJsonFinding),
    summary: {
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
    },
    ...(report.shard ? { shard: report.shard } : {}),
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
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}

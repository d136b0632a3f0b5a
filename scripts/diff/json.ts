// The stable machine format of `gitops diff` (docs/diff-json-format.md): every key always present, in
// a fixed order, null when a value does not apply, like the validate json.
import { toJsonFinding, type JsonFinding } from '../report/json.ts';
import type { ApplicationDiff } from './applications.ts';
import type { ChangeCounts, DiffReport, EnvironmentDiff, SideInfo } from './index.ts';
import type { MatrixCell, MatrixEntry } from './matrix.ts';
import type { AppDiff, ObjectDiff, SecretChange } from './objects.ts';

export const DIFF_JSON_VERSION = 1;

/** `redact`, when given, rewrites every string value (the CLI passes the project's redaction). */
export function formatDiffJson(
  report: DiffReport,
  tool: { name: string; version: string },
  redact?: (text: string) => string,
): string {
  const replacer = redact
    ? (_key: string, value: unknown) => (typeof value === 'string' ? redact(value) : value)
    : undefined;
  return `${JSON.stringify(toJsonDiff(report, tool), replacer, 2)}\n`;
}

export function toJsonDiff(report: DiffReport, tool: { name: string; version: string }) {
  return {
    version: DIFF_JSON_VERSION,
    base: side(report.base),
    head: side(report.head),
    summary: {
      apps: report.summary.apps,
      renamedApps: report.summary.renamedApps,
      objects: counts(report.summary.objects),
      applications: counts(report.summary.applications),
      findings: { ...report.summary.findings },
      changedEnvironments: [...report.summary.changedEnvironments],
    },
    environments: report.environments.map(environment),
    applications: report.applications.map(application),
    matrix: {
      environments: [...report.matrix.environments],
      rows: report.matrix.rows.map((row) => ({
        service: row.service,
        previousService: row.previousService ?? null,
        key: row.key,
        changed: row.changed,
        cells: Object.fromEntries(report.matrix.environments.map((env) => [env, matrixEntry(row.cells[env])])),
      })),
    },
    findings: {
      introduced: report.findings.introduced.map(toJsonFinding) as JsonFinding[],
      fixed: report.findings.fixed.map(toJsonFinding) as JsonFinding[],
    },
    tool: { name: tool.name, version: tool.version },
  };
}

function side(info: SideInfo) {
  return { ref: info.ref, commit: info.commit };
}

function counts(value: ChangeCounts) {
  return { added: value.added, removed: value.removed, changed: value.changed, renamed: value.renamed };
}

function environment(entry: EnvironmentDiff) {
  return {
    env: entry.env,
    objects: counts(entry.objects),
    applications: counts(entry.applications),
    findings: { introduced: entry.findings.introduced, fixed: entry.findings.fixed },
    apps: entry.apps.map(app),
  };
}

function app(entry: AppDiff) {
  return {
    app: entry.app,
    env: entry.env ?? null,
    change: entry.change,
    previousApp: entry.previousApp ?? null,
    notRendered: entry.notRendered
      ? { base: entry.notRendered.base ?? null, head: entry.notRendered.head ?? null }
      : null,
    objects: entry.objects.map(object),
  };
}

function object(entry: ObjectDiff) {
  return {
    change: entry.change,
    apiVersion: entry.ref.apiVersion,
    kind: entry.ref.kind,
    namespace: entry.ref.namespace ?? null,
    name: entry.ref.name,
    previousName: entry.previousName ?? null,
    file: entry.file,
    line: entry.line ?? null,
    paths: [...entry.paths],
    edit: entry.edit ? { file: entry.edit.file, line: entry.edit.line ?? null } : null,
    diff: entry.diff,
    secrets: entry.secrets.map(secret),
  };
}

function secret(entry: SecretChange) {
  return { path: entry.path, change: entry.change, before: entry.before ?? null, after: entry.after ?? null };
}

function application(entry: ApplicationDiff) {
  return {
    change: entry.change,
    name: entry.name,
    namespace: entry.namespace ?? null,
    previousName: entry.previousName ?? null,
    appSet: entry.appSet ?? null,
    env: entry.env ?? null,
    file: entry.file,
    line: entry.line ?? null,
    fate: entry.fate ?? null,
    explanation: entry.explanation,
    resources: [...entry.resources],
    syncPolicy: { before: entry.syncPolicy.before ?? null, after: entry.syncPolicy.after ?? null },
    paths: [...entry.paths],
    diff: entry.diff,
    secrets: entry.secrets.map(secret),
  };
}

function matrixEntry(entry: MatrixEntry | undefined) {
  if (!entry) return null;
  return { app: entry.app, before: cell(entry.before), after: cell(entry.after), changed: [...entry.changed] };
}

function cell(value: MatrixCell | undefined) {
  if (!value) return null;
  return { image: value.image, replicas: value.replicas, resources: value.resources, syncPolicy: value.syncPolicy };
}

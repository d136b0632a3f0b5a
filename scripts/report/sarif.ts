// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: rule metadata with the rule docs as
// help and a link to them, results on files relative to the repository's top folder (GitHub resolves
// %SRCROOT% to the checkout), one result per place to fix whatever the environments, security
// severities for code scanning's security view, and fingerprints that survive unrelated edits.
// GitHub's ingestion limits (docs: "SARIF support for code scanning"): 25,000 results per run (more
// and the upload is rejected), 10 tags per rule shown, 100 locations per result shown.
import { docsMarkdown } from '../check/catalog.ts';
import { fingerprintOf } from '../filter/fingerprint.ts';
import type { Finding, Report, RuleMeta, Severity } from '../types.ts';
import {
  compareText,
  flat,
  locationEntry,
  oneLine,
  PIECE_CHARS,
  placesToFix,
  plural,
  type LocationFinding,
} from './common.ts';

/** Repository-relative URIs are resolved against this base (GitHub resolves it to the checkout). */
export const SRCROOT = '%SRCROOT%';

/** Where the tool's partialFingerprints live; the version lets the scheme change without clashing. */
export const FINGERPRINT_KEY = 'gitopsFinding/v1';

/** GitHub rejects a run with more results; the most severe are kept, and the run says how many were left out. */
export const MAX_RESULTS = 25_000;

/** Resources named per result; GitHub shows 100 locations of a result. */
const MAX_LOGICAL_LOCATIONS = 100;

/** Rule categories whose findings are security problems: tagged `security`, with a `security-severity`. */
export const SECURITY_CATEGORIES: ReadonlySet<string> = new Set(['security', 'secrets']);

/**
 * GitHub maps security-severity to critical (9.0+), high (7.0-8.9), medium (4.0-6.9) and low (0.1-3.9).
 * A security rule that fails the run by default is high; one that warns is medium; an informational one low.
 */
const securitySeverityOf: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

type SarifLevel = 'error' | 'warning' | 'note';

const levelOf: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

export function formatSarif(report: Report): string {
  let text = '';
  for (const piece of sarifPieces(report)) text += piece;
  return text;
}

/** Stands for the results in the log's text while the rest is stringified. */
const RESULTS_MARK = '\u0000results';

/**
 * `JSON.stringify(toSarif(report), null, 2)` plus a newline, in pieces: the log without its results
 * is stringified once, and each result is built and written in its turn (25,000 results as one object
 * tree and one string doubled a run's peak memory). The results are the last key of the one run, so
 * only closing brackets follow them: the mark's last occurrence is theirs, whatever a value holds.
 */
export function* sarifPieces(report: Report): Generator<string> {
  const { log, results } = sarifLog(report);
  log.runs[0].results = RESULTS_MARK;
  const text = JSON.stringify(log, null, 2);
  const at = text.lastIndexOf(JSON.stringify(RESULTS_MARK));
  yield text.slice(0, at);
  if (results.length === 0) yield '[]';
  else {
    // The results array sits at depth 3 (6 spaces), its items at 8.
    let piece = '[\n';
    for (let i = 0; i < results.length; i++) {
      piece += `        ${JSON.stringify(results.build(i), null, 2).replace(/\n/g, '\n        ')}`;
      piece += i + 1 < results.length ? ',\n' : '\n      ]';
      if (piece.length >= PIECE_CHARS) {
        yield flat(piece);
        piece = '';
      }
    }
    if (piece) yield flat(piece);
  }
  yield `${text.slice(at + JSON.stringify(RESULTS_MARK).length)}\n`;
}

/** The whole log as one object (tests and callers that want the tree). */
export function toSarif(report: Report) {
  const { log, results } = sarifLog(report);
  log.runs[0].results = Array.from({ length: results.length }, (_, i) => results.build(i));
  return log;
}

/** The log with its results left to build one by one. */
function sarifLog(report: Report) {
  // Entries only for the results kept: a 275,000-finding run builds 25,000, not one per place.
  const places = placesToFix(report.findings);
  const kept = mostSevere(places, MAX_RESULTS);
  const rules = ruleList(
    report.rules,
    kept.map((group) => group[0]),
  );
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const leftOut = places.length - kept.length;
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: report.tool.informationUri ?? DEFAULT_INFORMATION_URI,
            rules: rules.map((rule) => toReportingDescriptor(rule, report.tool.rulesUri)),
          },
        },
        ...(leftOut > 0
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: [
                    {
                      level: 'warning',
                      message: {
                        text: `${plural(leftOut, 'result')} left out: GitHub accepts at most ${MAX_RESULTS} per run, so the most severe were kept. The json format lists every finding.`,
                      },
                    },
                  ],
                },
              ],
            }
          : {}),
        columnKind: 'utf16CodeUnits',
        // How many apps could not render offline, so only their local files were checked.
        properties: { partlyChecked: report.summary.partlyChecked },
        // Filled by the caller: the built results, or a mark where they are written one by one.
        results: [] as ReturnType<typeof toResult>[] | string,
      },
    ],
  };
  const results = {
    length: kept.length,
    build: (i: number) => {
      const entry = locationEntry(kept[i], report.summary.environments);
      return toResult(entry, ruleIndex.get(entry.finding.ruleId) ?? 0);
    },
  };
  return { log, results };
}

/**
 * SARIF requires an absolute informationUri for the tool. The tool lives in the GitOps repository it
 * checks, so the pipeline passes the repository's URL (gitops.yaml project.repoURL) when it knows it.
 */
const DEFAULT_INFORMATION_URI = 'https://github.com/';

/** The first `max` places, errors before warnings before notes, each kept in the one finding order. */
function mostSevere(places: Finding[][], max: number): Finding[][] {
  if (places.length <= max) return places;
  const kept: number[] = [];
  for (const severity of ['error', 'warning', 'info'] as const)
    for (let i = 0; i < places.length && kept.length < max; i++) if (places[i][0].severity === severity) kept.push(i);
  return kept.sort((a, b) => a - b).map((i) => places[i]);
}

/** Every known rule plus any ruleId a finding uses without metadata, sorted by id; the first meta of an id wins. */
function ruleList(metas: RuleMeta[], findings: Finding[]): RuleMeta[] {
  const byId = new Map<string, RuleMeta>();
  for (const meta of metas) if (!byId.has(meta.id)) byId.set(meta.id, meta);
  for (const finding of findings) {
    if (byId.has(finding.ruleId)) continue;
    byId.set(finding.ruleId, {
      id: finding.ruleId,
      description: `Findings of ${finding.ruleId}.`,
      defaultSeverity: finding.severity,
      category: 'unknown',
      scope: 'repository',
      docs: { why: `No documentation is registered for ${finding.ruleId}.`, fix: 'See the finding.' },
    });
  }
  return [...byId.values()].sort((a, b) => compareText(a.id, b.id));
}

function toReportingDescriptor(rule: RuleMeta, rulesUri: string | undefined) {
  const docs = docsMarkdown(rule);
  const security = SECURITY_CATEGORIES.has(rule.category);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: sentence(rule.description) },
    fullDescription: { text: sentence(firstParagraph(docs)) },
    help: { text: docs, markdown: docs },
    ...(rulesUri ? { helpUri: `${rulesUri}#${encodeURIComponent(rule.id)}` } : {}),
    defaultConfiguration: { level: levelOf[rule.defaultSeverity] },
    properties: {
      category: rule.category,
      tags: security ? [...new Set(['security', rule.category])] : [rule.category],
      ...(security ? { 'security-severity': securitySeverityOf[rule.defaultSeverity] } : {}),
    },
  };
}

function toResult(entry: LocationFinding, ruleIndex: number) {
  const { finding, envs, apps, resources } = entry;
  const label = resources.join(', ');
  const context = [envs.length ? `${envs.length > 1 ? 'environments' : 'env'} ${envs.join(', ')}` : '', label]
    .filter(Boolean)
    .join('; ');
  const text = [
    sentence(oneLine(finding.message)),
    context ? `(${context})` : '',
    finding.hint ? `Hint: ${sentence(oneLine(finding.hint))}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: levelOf[finding.severity],
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: fileUri(finding.file), uriBaseId: SRCROOT },
          // GitHub needs a line to place an annotation; a finding about a whole file points at its first line.
          region: { startLine: finding.line ?? 1, ...(finding.column ? { startColumn: finding.column } : {}) },
        },
        ...(resources.length
          ? {
              logicalLocations: resources
                .slice(0, MAX_LOGICAL_LOCATIONS)
                .map((name) => ({ fullyQualifiedName: name, kind: 'resource' })),
            }
          : {}),
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: locationFingerprint(finding) },
    properties: {
      ...(envs.length ? { environments: envs } : {}),
      ...(apps.length ? { apps } : {}),
    },
  };
}

/**
 * The baseline's fingerprint without what differs between the environments of one place (env, app,
 * namespace), so the alert keeps its identity when an environment is added or removed.
 */
export function locationFingerprint(finding: Finding): string {
  const { env: _env, app: _app, ...rest } = finding;
  const resource = finding.resource ? { ...finding.resource, namespace: undefined } : undefined;
  return fingerprintOf({ ...rest, ...(resource ? { resource } : {}) });
}

/** A repository-relative path as a relative URI reference: each segment percent-encoded. */
export function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function firstParagraph(markdown: string): string {
  return markdown
    .split(/\n\s*\n/)[0]
    .replace(/\s+/g, ' ')
    .trim();
}

/** SARIF's guidance (and the Multitool) want plain-text messages to be sentences ending with a period. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

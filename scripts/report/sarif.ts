// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: rule metadata with the rule docs as
// help, results on repository-relative files, and fingerprints that survive unrelated edits.
import { docsMarkdown } from '../check/catalog.ts';
import { fingerprintOf } from '../filter/fingerprint.ts';
import type { Finding, Report, RuleMeta, Severity } from '../types.ts';
import { compareText, oneLine, resourceLabel, sortFindings } from './common.ts';

/** Repository-relative URIs are resolved against this base (GitHub resolves it to the checkout). */
export const SRCROOT = '%SRCROOT%';

/** Where the tool's partialFingerprints live; the version lets the scheme change without clashing. */
export const FINGERPRINT_KEY = 'gitopsFinding/v1';

type SarifLevel = 'error' | 'warning' | 'note';

const levelOf: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

export function formatSarif(report: Report): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}

export function toSarif(report: Report) {
  const findings = sortFindings(report.findings);
  const rules = ruleList(report.rules, findings);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  return {
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
            rules: rules.map(toReportingDescriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        // How many apps could not render offline, so only their local files were checked.
        properties: { partlyChecked: report.summary.partlyChecked },
        results: findings.map((finding) => toResult(finding, ruleIndex.get(finding.ruleId) ?? 0)),
      },
    ],
  };
}

/**
 * SARIF requires an absolute informationUri for the tool. The tool lives in the GitOps repository it
 * checks, so the pipeline passes the repository's URL (gitops.yaml project.repoURL) when it knows it.
 */
const DEFAULT_INFORMATION_URI = 'https://github.com/';

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

function toReportingDescriptor(rule: RuleMeta) {
  const docs = docsMarkdown(rule);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: sentence(rule.description) },
    fullDescription: { text: sentence(firstParagraph(docs)) },
    help: { text: docs, markdown: docs },
    defaultConfiguration: { level: levelOf[rule.defaultSeverity] },
    properties: { category: rule.category, tags: [rule.category] },
  };
}

function toResult(finding: Finding, ruleIndex: number) {
  const label = resourceLabel(finding.resource);
  const context = [finding.env ? `env ${finding.env}` : '', label].filter(Boolean).join(', ');
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
        ...(label ? { logicalLocations: [{ fullyQualifiedName: label, kind: 'resource' }] } : {}),
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprintOf(finding) },
    properties: {
      ...(finding.env ? { env: finding.env } : {}),
      ...(finding.app ? { app: finding.app } : {}),
    },
  };
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

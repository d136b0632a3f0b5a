// SARIF output checked by two independent oracles: Microsoft's SARIF Multitool (schema plus the SARIF
// and GitHub ingestion rules) and the SARIF 2.1.0 JSON schema that ships in the Multitool's package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { fingerprintOf } from '../../scripts/filter/index.ts';
import { formatReport } from '../../scripts/report/index.ts';
import { FINGERPRINT_KEY, fileUri } from '../../scripts/report/sarif.ts';
import type { Report } from '../../scripts/types.ts';
import { sampleReport } from '../fixtures/report/sample-report.ts';

const require = createRequire(import.meta.url);
const multitoolPackage = dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json'));
const multitool = join(multitoolPackage, 'Sarif.Multitool');
const schemaFile = join(multitoolPackage, 'sarif-2.1.0.json');

interface SarifResult {
  ruleId: string;
  level?: string;
  message: { text?: string; id?: string; arguments?: string[] };
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
}

/**
 * Runs `Sarif.Multitool validate` once over several SARIF files (it takes ~2 s to start) with every SARIF
 * rule and GitHub's ingestion rules (--rule-kind Gh), and returns its findings per file. SARIF2006 (URIs
 * must be reachable) is disabled: it makes HTTP requests, and tests use no network.
 */
function multitoolValidate(files: Record<string, string>): {
  status: number | null;
  results: Record<string, SarifResult[]>;
  output: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-sarif-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, `${name}.sarif`), text);
    writeFileSync(
      join(dir, 'offline.xml'),
      '<?xml version="1.0" encoding="utf-8"?>\n<Properties>\n  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">\n    <Property Key="RuleEnabled" Value="Disabled" />\n  </Properties>\n</Properties>\n',
    );
    const run = spawnSync(
      multitool,
      [
        'validate',
        ...Object.keys(files).map((name) => `${name}.sarif`),
        '--output',
        'validation.out',
        '--log',
        'ForceOverwrite',
        '--config',
        'offline.xml',
        '--rule-kind',
        'Sarif;Gh',
        '--level',
        'Error;Warning;Note',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
      },
    );
    const output = `${run.stdout}${run.stderr}`;
    assert.ok(existsSync(join(dir, 'validation.out')), `the Multitool wrote no output:\n${output}`);
    const log = JSON.parse(readFileSync(join(dir, 'validation.out'), 'utf8'));
    const results: Record<string, SarifResult[]> = Object.fromEntries(Object.keys(files).map((name) => [name, []]));
    for (const result of (log.runs[0].results ?? []) as SarifResult[]) {
      const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
      const name = uri.replace(/^.*\//, '').replace(/\.sarif$/, '');
      (results[name] ??= []).push(result);
    }
    return { status: run.status, results, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const describeResults = (results: SarifResult[]) =>
  results
    .map(
      (result) =>
        `${result.ruleId} ${result.level} ${result.message.text ?? `${result.message.id} ${result.message.arguments?.join(' | ')}`}`,
    )
    .join('\n');

const problems = (results: SarifResult[]) =>
  results.filter((result) => result.level === 'error' || result.level === 'warning');

test('the SARIF Multitool accepts our SARIF and catches broken SARIF (schema, SARIF and GitHub rules)', () => {
  const sample = formatReport('sarif', sampleReport);
  const schemaBroken = JSON.parse(sample);
  delete schemaBroken.runs[0].tool.driver.name; // schema: required
  const rulesBroken = JSON.parse(sample);
  delete rulesBroken.runs[0].results[0].locations; // GitHub needs a location
  rulesBroken.runs[0].results[1].locations[0].physicalLocation.region = { startColumn: 3 }; // a region with no line
  rulesBroken.runs[0].results[2].ruleIndex = 99; // points past the rules
  const { status, results, output } = multitoolValidate({
    sample,
    empty: formatReport('sarif', { ...sampleReport, findings: [] }),
    schemaBroken: JSON.stringify(schemaBroken),
    rulesBroken: JSON.stringify(rulesBroken),
  });
  assert.equal(status, 0, output);
  for (const name of ['sample', 'empty'])
    assert.deepEqual(problems(results[name]), [], `${name}:\n${describeResults(problems(results[name]))}`);
  const errorIds = (name: string) =>
    new Set(results[name].filter((result) => result.level === 'error').map((result) => result.ruleId));
  assert.ok(errorIds('schemaBroken').has('JSON1002'), describeResults(results.schemaBroken));
  for (const ruleId of ['GH1015', 'SARIF1007', 'SARIF1009'])
    assert.ok(errorIds('rulesBroken').has(ruleId), `${ruleId} expected in:\n${describeResults(results.rulesBroken)}`);
});

test('SARIF validates against the SARIF 2.1.0 JSON schema', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  const ok = validate(JSON.parse(formatReport('sarif', sampleReport)));
  assert.ok(ok, ajv.errorsText(validate.errors));
  assert.equal(
    validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }),
    false,
    'the schema rejects a driver without a name',
  );
});

test('SARIF: rules with docs as help, results with ruleIndex, relative URIs, regions and stable fingerprints', () => {
  const log = JSON.parse(formatReport('sarif', sampleReport));
  const [run] = log.runs;
  const { driver } = run.tool;
  assert.equal(log.version, '2.1.0');
  assert.deepEqual(
    [driver.name, driver.version, driver.informationUri],
    ['gitops', '0.1.0', 'https://example.com/gitops-platform'],
  );
  const ids = driver.rules.map((rule: { id: string }) => rule.id);
  assert.deepEqual(ids, [...ids].sort(), 'rules sorted by id');
  assert.ok(ids.includes('kustomize-build-failed'), 'a ruleId without metadata still gets a rule entry');
  const probes = driver.rules.find((rule: { id: string }) => rule.id === 'probes-present');
  assert.equal(probes.shortDescription.text, 'Every container has liveness and readiness probes.');
  assert.equal(probes.fullDescription.text, 'Without a readiness probe a pod receives traffic before it can serve.');
  assert.match(probes.help.markdown, /Add `readinessProbe`/);
  assert.equal(probes.defaultConfiguration.level, 'error');
  const infoRule = driver.rules.find((rule: { id: string }) => rule.id === 'base-checked-through-overlays');
  assert.equal(infoRule.defaultConfiguration.level, 'note');

  assert.equal(run.results.length, sampleReport.findings.length);
  for (const result of run.results) {
    assert.equal(driver.rules[result.ruleIndex].id, result.ruleId);
    const location = result.locations[0].physicalLocation;
    assert.equal(location.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.doesNotMatch(location.artifactLocation.uri, /^\/|^file:/);
    assert.ok(location.region.startLine >= 1);
  }
  const warning = run.results.find(
    (result: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
      result.locations[0].physicalLocation.artifactLocation.uri === 'overlays/prod/api/deployment-patch.yaml',
  );
  assert.deepEqual(warning.locations[0].physicalLocation.region, { startLine: 14, startColumn: 18 });
  assert.equal(warning.level, 'warning');
  assert.equal(warning.partialFingerprints[FINGERPRINT_KEY], fingerprintOf(sampleReport.findings[0]));
  assert.equal(fileUri('dir with space/a#b.yaml'), 'dir%20with%20space/a%23b.yaml');
});

test('SARIF fingerprints ignore the line, so an unrelated edit above a finding keeps its identity', () => {
  const moved: Report = {
    ...sampleReport,
    findings: sampleReport.findings.map((finding) => ({ ...finding, line: (finding.line ?? 0) + 3 })),
  };
  const prints = (report: Report) =>
    JSON.parse(formatReport('sarif', report)).runs[0].results.map(
      (result: { partialFingerprints: Record<string, string> }) => result.partialFingerprints[FINGERPRINT_KEY],
    );
  assert.deepEqual(prints(moved), prints(sampleReport));
  const renamed: Report = {
    ...sampleReport,
    findings: sampleReport.findings.map((finding) => ({ ...finding, ruleId: `${finding.ruleId}-x` })),
  };
  assert.notDeepEqual(prints(renamed), prints(sampleReport));
});

// SARIF output checked by two independent oracles: Microsoft's SARIF Multitool (schema plus the SARIF
// and GitHub ingestion rules) and the SARIF 2.1.0 JSON schema that ships in the Multitool's package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { defineRule } from '../../scripts/check/contract.ts';
import { builtinRules } from '../../scripts/check/registry.ts';
import { fingerprintOf } from '../../scripts/filter/index.ts';
import { compareText } from '../../scripts/finding-order.ts';
import { validateRepository } from '../../scripts/validate/index.ts';
import { formatReport } from '../../scripts/report/index.ts';
import { FINGERPRINT_KEY, MAX_RESULTS, fileUri, locationFingerprint } from '../../scripts/report/sarif.ts';
import { mergeLocations } from '../../scripts/report/common.ts';
import type { Finding, Report, RuleMeta } from '../../scripts/types.ts';
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

  assert.equal(
    run.results.length,
    mergeLocations(sampleReport.findings, sampleReport.summary.environments).length,
    'one result per place to fix',
  );
  assert.ok(run.results.length < sampleReport.findings.length, 'the sample has a finding in two environments');
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
  assert.equal(warning.partialFingerprints[FINGERPRINT_KEY], locationFingerprint(sampleReport.findings[0]));
  assert.notEqual(locationFingerprint(sampleReport.findings[0]), fingerprintOf(sampleReport.findings[0]));
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

test('SARIF: a base reached through four overlays is one result listing the environments, whatever their namespaces', () => {
  const base: Finding = {
    ruleId: 'probes-present',
    severity: 'error',
    message: 'container "api" has no readinessProbe',
    file: 'base/api/deployment.yaml',
    line: 20,
    column: 9,
  };
  const envs = ['dev', 'qa', 'staging', 'prod'];
  const report: Report = {
    ...sampleReport,
    summary: { ...sampleReport.summary, environments: envs },
    findings: [...envs].reverse().map((env) => ({
      ...base,
      env,
      app: `overlays/${env}/api`,
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: `shop-${env}`, name: 'api' },
    })),
  };
  const [result, ...others] = JSON.parse(formatReport('sarif', report)).runs[0].results;
  assert.deepEqual(others, []);
  assert.deepEqual(result.properties.environments, envs, 'in the run order');
  assert.deepEqual(result.properties.apps, [
    'overlays/dev/api',
    'overlays/prod/api',
    'overlays/qa/api',
    'overlays/staging/api',
  ]);
  assert.equal(result.locations[0].logicalLocations.length, 4, 'each namespace named');
  assert.match(result.message.text, /\(environments dev, qa, staging, prod; Deployment\/shop-dev\/api, /);
  // Adding an environment keeps the alert's identity.
  const fewer = JSON.parse(formatReport('sarif', { ...report, findings: report.findings.slice(1) })).runs[0].results;
  assert.equal(fewer[0].partialFingerprints[FINGERPRINT_KEY], result.partialFingerprints[FINGERPRINT_KEY]);
});

test('SARIF: helpUri per rule, security rules tagged with a security-severity, others not', () => {
  const rules: RuleMeta[] = [
    { ...sampleReport.rules[0], id: 'privileged', category: 'security', defaultSeverity: 'error' },
    { ...sampleReport.rules[0], id: 'secret-in-configmap', category: 'secrets', defaultSeverity: 'warning' },
    { ...sampleReport.rules[0], id: 'replicas-minimum', category: 'reliability', defaultSeverity: 'warning' },
  ];
  const report: Report = {
    ...sampleReport,
    rules,
    findings: [],
    tool: { ...sampleReport.tool, rulesUri: 'https://example.com/docs/rules.md' },
  };
  const byId = new Map(
    JSON.parse(formatReport('sarif', report)).runs[0].tool.driver.rules.map((rule: { id: string }) => [rule.id, rule]),
  ) as Map<string, { helpUri: string; properties: { tags: string[]; 'security-severity'?: string } }>;
  assert.equal(byId.get('privileged')!.helpUri, 'https://example.com/docs/rules.md#privileged');
  assert.deepEqual(byId.get('privileged')!.properties.tags, ['security']);
  assert.equal(byId.get('privileged')!.properties['security-severity'], '8.0');
  assert.equal(byId.get('secret-in-configmap')!.properties['security-severity'], '5.0');
  assert.deepEqual(byId.get('secret-in-configmap')!.properties.tags, ['security', 'secrets']);
  assert.equal(byId.get('replicas-minimum')!.properties['security-severity'], undefined);
  assert.deepEqual(byId.get('replicas-minimum')!.properties.tags, ['reliability']);
});

test("SARIF stays within GitHub's ingestion limits: at most 25,000 results (the most severe), saying how many were left out, under 10 MB gzipped", () => {
  const many: Finding[] = Array.from({ length: MAX_RESULTS + 500 }, (_, index) => ({
    ruleId: 'image-tag-pinned',
    severity: index < 300 ? 'error' : 'warning',
    message: `container "c${index}" uses a mutable tag`,
    file: `overlays/prod/svc-${String(index).padStart(5, '0')}/deployment.yaml`,
    line: 12,
    env: 'prod',
  }));
  const text = formatReport('sarif', { ...sampleReport, findings: [...many].reverse() });
  const [run] = JSON.parse(text).runs;
  assert.equal(run.results.length, MAX_RESULTS);
  assert.equal(
    run.results.filter((result: { level: string }) => result.level === 'error').length,
    300,
    'every error kept',
  );
  assert.match(run.invocations[0].toolExecutionNotifications[0].message.text, /^500 results left out/);
  // Errors last in the one order: still every one kept, and the results stay in that order.
  const errorsLast = many.map((finding, index) => ({
    ...finding,
    severity: index >= many.length - 300 ? ('error' as const) : ('warning' as const),
  }));
  const last = JSON.parse(formatReport('sarif', { ...sampleReport, findings: errorsLast })).runs[0];
  const uris = last.results.map(
    (result: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
      result.locations[0].physicalLocation.artifactLocation.uri,
  );
  assert.deepEqual(uris, [...uris].sort());
  assert.equal(last.results.filter((result: { level: string }) => result.level === 'error').length, 300);
  assert.equal(uris.at(-1), many.at(-1)!.file);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  assert.ok(validate(JSON.parse(text)), ajv.errorsText(validate.errors));
  assert.ok(gzipSync(text).length < 10 * 1024 * 1024, `${gzipSync(text).length} bytes gzipped`);
  const small = JSON.parse(formatReport('sarif', sampleReport)).runs[0];
  assert.equal(small.invocations, undefined, 'nothing left out, nothing said');
  for (const rule of JSON.parse(formatReport('sarif', sampleReport)).runs[0].tool.driver.rules)
    assert.ok(rule.properties.tags.length <= 10, `${rule.id}: GitHub shows 10 tags per rule`);
});

test("SARIF's rule table is the registry's: every rule of a real run, its description, docs and severity", async () => {
  const root = mkdtempSync(join(tmpdir(), 'sarif-registry-'));
  try {
    mkdirSync(join(root, 'apps'));
    writeFileSync(
      join(root, 'apps', 'web.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: shop}\ndata: {a: b}\n',
    );
    // A caller's own rule is in the table like a built-in one.
    const own = defineRule({
      meta: {
        id: 'acme-team-label',
        description: 'Every object names its team.',
        defaultSeverity: 'warning',
        category: 'custom',
        scope: 'resource',
        docs: { why: 'Someone owns it.', fix: 'Add metadata.labels.team.' },
      },
      check() {},
    });
    const { report } = await validateRepository(root, { cache: false, rules: [...builtinRules, own] });
    const { driver } = JSON.parse(formatReport('sarif', report)).runs[0].tool;
    const byId = new Map<
      string,
      { shortDescription: { text: string }; help: { markdown: string }; defaultConfiguration: { level: string } }
    >(driver.rules.map((rule: { id: string }) => [rule.id, rule]));
    assert.deepEqual([...byId.keys()], [...builtinRules, own].map((rule) => rule.meta.id).sort(compareText));
    const levels = { error: 'error', warning: 'warning', info: 'note' } as const;
    for (const { meta } of [...builtinRules, own]) {
      const rule = byId.get(meta.id)!;
      assert.equal(rule.defaultConfiguration.level, levels[meta.defaultSeverity as keyof typeof levels], meta.id);
      assert.equal(rule.shortDescription.text.replace(/\.$/, ''), meta.description.replace(/\.$/, ''), meta.id);
      assert.ok(rule.help.markdown.includes(meta.docs.fix.split('\n')[0]), `${meta.id}: the fix is in the help`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

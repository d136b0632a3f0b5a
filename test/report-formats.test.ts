// The report formats on one small fixed Report (test/fixtures/report/sample-report.ts).
// Snapshots of stylish and markdown live beside it; regenerate them with UPDATE_SNAPSHOTS=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatReport, reportFormats, reportPieces, shouldColor } from '../scripts/report/index.ts';
import { toJsonReport } from '../scripts/report/json.ts';
import { toSarif } from '../scripts/report/sarif.ts';
import { escapeData, escapeProperty } from '../scripts/report/github.ts';
import { MARKDOWN_BUDGET } from '../scripts/report/markdown.ts';
import type { Finding, Report } from '../scripts/types.ts';
import { sampleReport } from './fixtures/report/sample-report.ts';

const fixture = (name: string) => new URL(`./fixtures/report/${name}`, import.meta.url);

function assertSnapshot(name: string, actual: string) {
  if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(fixture(name), actual);
  assert.equal(
    actual,
    readFileSync(fixture(name), 'utf8'),
    `${name} differs; if the change is intended, run UPDATE_SNAPSHOTS=1 npm test`,
  );
}

function withFindings(findings: Finding[], summary: Partial<Report['summary']> = {}): Report {
  return { ...sampleReport, findings, summary: { ...sampleReport.summary, ...summary } };
}

const reversed = withFindings([...sampleReport.findings].reverse());

test('stylish: grouped by sorted file, aligned columns, resource and env, summary line (snapshot)', () => {
  const out = formatReport('stylish', sampleReport);
  assertSnapshot('stylish.txt', out);
  const files = out.split('\n').filter((line) => /^\S/.test(line) && !line.startsWith('✖'));
  assert.deepEqual(files, [...files].sort(), 'file headers are sorted');
  assert.match(
    out,
    /^ {2}20:9 {2}error {4}container "api" has no readinessProbe {2}probes-present {2}dev, prod · Deployment\/shop\/api$/m,
    'one line for the same finding in two environments',
  );
  assert.match(
    out,
    /^ {3}7:3 {2}warning {2}container "api" has no memory limit {4}resources-set {3}dev · Deployment\/shop\/api$/m,
    'columns align within a file',
  );
  assert.match(
    out,
    /✖ 6 problems \(3 errors, 3 warnings\) .*6 apps · 3 environments \(dev, staging, prod\) .*1\.2 s · kubectl kustomize \(v5\.5\.0\)/,
  );
  assert.doesNotMatch(out, /\u001b\[/, 'no colours unless asked');
});

test('stylish: colours only when asked, and a clean run says so', () => {
  assert.match(formatReport('stylish', sampleReport, { color: true }), /\u001b\[31merror/);
  const clean = formatReport('stylish', withFindings([], { errors: 0, warnings: 0, infos: 0 }));
  assert.match(clean, /^✔ no problems · 4 suppressed · 6 apps/);
});

test('stylish: a message cannot smuggle terminal escapes or extra lines', () => {
  const hostile = withFindings([
    { ruleId: 'x', severity: 'error', message: 'name "\u001b[2Jevil"\r\nfake: line', file: 'a.yaml', line: 1 },
  ]);
  const out = formatReport('stylish', hostile);
  assert.doesNotMatch(out, /\u001b/);
  assert.match(out, /name "\?\[2Jevil" fake: line/);
});

test('shouldColor: FORCE_COLOR wins, then NO_COLOR, then the terminal', () => {
  assert.equal(shouldColor({ isTTY: true }, {}), true);
  assert.equal(shouldColor({ isTTY: false }, {}), false);
  assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(shouldColor({ isTTY: false }, { FORCE_COLOR: '1' }), true);
  assert.equal(shouldColor({ isTTY: true }, { FORCE_COLOR: '0' }), false);
  assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: '' }), true, 'an empty NO_COLOR is unset');
});

test('every format is deterministic: the order of findings in the input does not matter', () => {
  for (const format of reportFormats) {
    assert.equal(formatReport(format, reversed), formatReport(format, sampleReport), format);
  }
});

test('people formats list one finding in several environments once, environments in the run order', () => {
  const base: Finding = {
    ruleId: 'r',
    severity: 'warning',
    message: 'm',
    file: 'base/a.yaml',
    line: 4,
    resource: { apiVersion: 'v1', kind: 'Service', name: 'a' },
  };
  const report = withFindings([
    { ...base, env: 'prod', app: 'overlays/prod/a' },
    { ...base, env: 'staging', app: 'overlays/staging/a' },
    { ...base, env: 'dev', severity: 'error' },
  ]);
  const stylish = formatReport('stylish', report);
  assert.match(stylish, /warning {2}m {2}r {2}staging, prod · Service\/a$/m);
  assert.match(stylish, /error {4}m {2}r {2}dev · Service\/a$/m, 'a different severity is a different line');
  assert.equal(formatReport('github', report).trimEnd().split('\n').length, 2);
  assert.equal(JSON.parse(formatReport('json', report)).findings.length, 3, 'json keeps one entry per environment');
  assert.equal(
    JSON.parse(formatReport('sarif', report)).runs[0].results.length,
    2,
    'sarif has one result per place to fix (a different severity is a different result)',
  );
});

test('json: exactly the documented keys, in order, null when absent, sorted findings', () => {
  const parsed = JSON.parse(formatReport('json', sampleReport));
  assert.deepEqual(Object.keys(parsed), ['findings', 'summary']);
  for (const finding of parsed.findings) {
    assert.deepEqual(Object.keys(finding), [
      'ruleId',
      'severity',
      'message',
      'file',
      'line',
      'column',
      'env',
      'app',
      'resource',
    ]);
    if (finding.resource) assert.deepEqual(Object.keys(finding.resource), ['apiVersion', 'kind', 'namespace', 'name']);
  }
  assert.deepEqual(Object.keys(parsed.summary), [
    'errors',
    'warnings',
    'infos',
    'suppressed',
    'apps',
    'partlyChecked',
    'environments',
    'resources',
    'durationMs',
    'kustomize',
    'tool',
  ]);
  const files = parsed.findings.map((finding: { file: string }) => finding.file);
  assert.deepEqual(files, [...files].sort());
  const cronJob = parsed.findings.find(
    (finding: { resource?: { kind: string } }) => finding.resource?.kind === 'CronJob',
  );
  assert.deepEqual(cronJob, {
    ruleId: 'image-tag-pinned',
    severity: 'warning',
    message: 'container "worker" uses image "shop/worker" without a tag',
    file: 'apps/worker.yaml',
    line: 3,
    column: null,
    env: null,
    app: 'apps/worker.yaml',
    resource: { apiVersion: 'batch/v1', kind: 'CronJob', namespace: null, name: 'worker' },
  });
  const info = parsed.findings.find((finding: { severity: string }) => finding.severity === 'info');
  assert.equal(info.resource, null);
  assert.equal(info.line, null);
  assert.equal(parsed.summary.kustomize, 'kubectl kustomize (v5.5.0)');
  assert.equal(JSON.parse(formatReport('json', withFindings([], { kustomize: undefined }))).summary.kustomize, null);
});

test('json: streamed in pieces, the same bytes as JSON.stringify of the whole report, for any value', () => {
  const odd = {
    ...sampleReport.findings[0],
    message: 'quotes " \\ \u2028 tab\t newline\n \u0000 «ü» 😀',
    line: Number.NaN,
    env: null,
    resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: null, name: 'odd' },
  } as unknown as Finding;
  // A hostile manifest can make a name a map or a number: the generic path writes those.
  const hostile = {
    ...sampleReport.findings[0],
    resource: { apiVersion: 5, kind: 'ConfigMap', name: { a: [1, { b: 2 }] } },
  } as unknown as Finding;
  const many = Array.from({ length: 4321 }, (_, i) => ({
    ...sampleReport.findings[i % sampleReport.findings.length],
    line: i,
  }));
  for (const report of [
    sampleReport,
    withFindings([]),
    withFindings([odd, hostile, ...sampleReport.findings]),
    withFindings(many, { kustomize: undefined }),
    // A shard's report carries its record after the summary (merge-shards reads it).
    { ...sampleReport, shard: { index: 1, count: 4, apps: ['a', 'b'], options: { x: [1, 'y'] } } } as unknown as Report,
  ]) {
    const pieces = [...reportPieces('json', report)];
    assert.ok(report.findings.length < 200 || pieces.length > 1, 'a large report comes in several pieces');
    // Each piece stays below V8's large-object size (128 KiB), so written pieces die young.
    for (const piece of pieces) assert.ok(piece.length < 128 * 1024, `a piece of ${piece.length} characters`);
    assert.equal(pieces.join(''), `${JSON.stringify(toJsonReport(report), null, 2)}\n`);
    assert.equal(formatReport('json', report), pieces.join(''));
    // SARIF: the log without results is one piece (the rules' help), then the results in small pieces.
    const sarif = [...reportPieces('sarif', report)];
    assert.equal(sarif.join(''), `${JSON.stringify(toSarif(report), null, 2)}\n`);
    assert.equal(formatReport('sarif', report), sarif.join(''));
    for (const piece of sarif.slice(1)) assert.ok(piece.length < 128 * 1024, `a SARIF piece of ${piece.length}`);
    assert.ok(report.findings.length < 200 || sarif.length > 3, 'a large SARIF log comes in several pieces');
    // stylish: a file at a time, the same text as formatReport.
    assert.equal([...reportPieces('stylish', report)].join(''), formatReport('stylish', report));
  }
});

test('junit: well-formed XML with a suite per app and a failure per rule x resource', () => {
  const xml = formatReport('junit', sampleReport);
  assert.equal(XMLValidator.validate(xml), true);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['testsuite', 'testcase'].includes(name),
  }).parse(xml);
  const suites = parsed.testsuites.testsuite as {
    name: string;
    tests: string;
    failures: string;
    testcase: {
      name: string;
      failure?: { type: string; message: string; '#text': string };
      'system-out'?: string;
    }[];
  }[];
  assert.deepEqual(
    suites.map((suite) => suite.name),
    [
      'apps/worker.yaml',
      'base/api/kustomization.yaml',
      'overlays/dev/api',
      'overlays/prod/api',
      'overlays/staging/web',
    ],
  );
  assert.equal(parsed.testsuites.failures, '3', 'errors fail; warnings and the info do not');
  const prod = suites.find((suite) => suite.name === 'overlays/prod/api')!;
  assert.deepEqual(
    prod.testcase.map((testCase) => testCase.name),
    ['image-tag-pinned Deployment/shop/api (prod)', 'probes-present Deployment/shop/api (prod)'],
  );
  const [warning, error] = prod.testcase;
  assert.equal(warning.failure, undefined, 'a warning is not a failure');
  assert.match(warning['system-out'] ?? '', /deployment-patch\.yaml:14:18 warning container "api" uses image/);
  assert.equal(error.failure?.type, 'probes-present error');
  const staging = suites.find((suite) => suite.name === 'overlays/staging/web')!;
  // The escaped message comes back exactly (the parser decodes entities): nothing was lost or injected.
  assert.equal(
    staging.testcase[0].failure!.message,
    'kustomize failed: accumulating resources: "bad <path>" & 50% of \'things\' | a, b: c second line',
  );
});

test('junit: characters XML cannot carry do not break the document; a clean run is one passing testcase', () => {
  const nasty = withFindings([
    { ruleId: 'r', severity: 'error', message: 'bell \u0007 and ]]> and </failure><x>', file: 'a&b.yaml', app: 'a<b>' },
  ]);
  const xml = formatReport('junit', nasty);
  assert.equal(XMLValidator.validate(xml), true);
  assert.doesNotMatch(xml, /\u0007/);
  const clean = formatReport('junit', withFindings([]));
  assert.equal(XMLValidator.validate(clean), true);
  assert.match(clean, /tests="1" failures="0"/);
  assert.doesNotMatch(clean, /<failure/);
});

test('github: one workflow command per finding, severities mapped, data and properties escaped', () => {
  const lines = formatReport('github', sampleReport).trimEnd().split('\n');
  assert.equal(
    lines.length,
    sampleReport.findings.length - 1,
    'a multi-line message stays one command; dev and prod share one',
  );
  assert.ok(
    lines.includes(
      '::error file=base/api/deployment.yaml,line=20,col=9,title=probes-present::container "api" has no readinessProbe (dev, prod · Deployment/shop/api)',
    ),
  );
  assert.ok(
    lines.includes(
      '::notice file=base/api/kustomization.yaml,title=base-checked-through-overlays::base/api is checked through 3 overlays',
    ),
  );
  const kustomize = lines.find((line) => line.includes('kustomize-build-failed'))!;
  assert.match(kustomize, /50%25 of 'things' \| a, b: c%0Asecond line/);
  assert.match(
    lines.find((line) => line.startsWith('::warning file=overlays/prod'))!,
    /latest \(prod · Deployment\/shop\/api\)%0AHint: pin a version/,
  );
  assert.equal(escapeData('100%\r\n'), '100%25%0D%0A');
  assert.equal(escapeProperty('dir,with:odd%name\n'), 'dir%2Cwith%3Aodd%25name%0A');
  const odd = formatReport(
    'github',
    withFindings([{ ruleId: 'r', severity: 'warning', message: 'm', file: 'a,b:c.yaml', line: 2 }]),
  );
  assert.equal(odd, '::warning file=a%2Cb%3Ac.yaml,line=2,title=r::m\n');
});

test('markdown: summary table by environment, findings by file, no injected markup (snapshot)', () => {
  const out = formatReport('markdown', sampleReport);
  assertSnapshot('markdown.md', out);
  assert.match(out, /^### ❌ gitops validate: 3 errors, 3 warnings$/m);
  assert.match(out, /^\| prod \| 1 \| 1 \|$/m);
  assert.match(out, /^\| staging \| 1 \| 0 \|$/m);
  assert.match(out, /`base\/api\/deployment\.yaml:20:9`/);
  assert.match(
    out,
    /"bad &lt;path&gt;" &amp; 50% of 'things' \\\| a, b/,
    'HTML neutralised and the table pipe escaped',
  );
  assert.doesNotMatch(out, /<details>/, 'a short report does not fold');
});

test('markdown: a report too long for a PR comment is cut at a file boundary, saying how much is left out', () => {
  const many: Finding[] = Array.from({ length: 2000 }, (_, index) => ({
    ruleId: 'resources-set',
    severity: 'error',
    message: `container "c${index}" sets no requests.cpu, requests.memory, limits.memory, limits.cpu`,
    file: `overlays/prod/svc-${String(index).padStart(4, '0')}/deployment.yaml`,
    line: 20,
  }));
  const out = formatReport('markdown', withFindings(many));
  assert.ok(out.length <= MARKDOWN_BUDGET + 200, `${out.length} characters`);
  const shown = (out.match(/^- \*\*error\*\*/gm) ?? []).length;
  assert.ok(shown > 100 && shown < 2000, `${shown} shown`);
  assert.match(out, new RegExp(`_${2000 - shown} more findings not shown here`));
  assert.doesNotMatch(formatReport('markdown', sampleReport), /not shown here/);
});

test('markdown: long reports fold into <details>', () => {
  const many: Finding[] = Array.from({ length: 12 }, (_, index) => ({
    ruleId: 'r',
    severity: 'warning',
    message: `m${index}`,
    file: 'big.yaml',
    line: index + 1,
  }));
  const out = formatReport(
    'markdown',
    withFindings([...many, { ruleId: 'r', severity: 'error', message: 'x', file: 'small.yaml', line: 1 }]),
  );
  assert.match(out, /<details>\n<summary><code>big\.yaml<\/code>: 12 findings<\/summary>/);
  assert.match(out, /#### `small\.yaml`/, 'a short file next to a long one stays open');
  assert.match(out, /^### ❌ gitops validate: 1 error, 12 warnings$/m);
});

test('github: 10 annotations of each kind as GitHub shows per step, then one notice counting the rest', () => {
  const findings = (severity: Finding['severity'], count: number): Finding[] =>
    Array.from({ length: count }, (_, index) => ({
      ruleId: 'r',
      severity,
      message: `${severity} ${index}`,
      file: `f${String(index).padStart(2, '0')}.yaml`,
      line: 1,
    }));
  const lines = formatReport(
    'github',
    withFindings([...findings('error', 14), ...findings('warning', 3), ...findings('info', 12)]),
  )
    .trimEnd()
    .split('\n');
  const count = (kind: string) => lines.filter((line) => line.startsWith(`::${kind} file=`)).length;
  assert.deepEqual([count('error'), count('warning'), count('notice')], [10, 3, 9]);
  assert.equal(lines.length, 23);
  assert.match(
    lines.at(-1)!,
    /^::notice title=gitops%3A 7 more findings::4 errors, 3 notices not annotated \(GitHub shows 10 annotations of each kind per step\)/,
  );
  const few = formatReport('github', withFindings(findings('error', 10)))
    .trimEnd()
    .split('\n');
  assert.equal(few.length, 10, 'at the limit, no closing notice');
});

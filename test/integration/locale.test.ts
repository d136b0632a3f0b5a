// Deterministic output in any locale: `gitops generate` under a Danish and an American locale writes
// byte-identical files, and `generate --check` of one passes under the other. Danish sorts "aa" after
// "z" (and en-US sorts case-insensitively), so any locale-dependent ordering (localeCompare, Intl.Collator)
// of the service names below would show. `gitops validate` under Turkish and C writes every report
// format byte for byte the same (the run's duration aside): Turkish sorts dotless ı before i, C after
// İ, and groups digits as 1.234 where C writes 1,234. The first test proves the locales reach Node's ICU.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/gitops.js', import.meta.url));
const small = readFileSync(new URL('../fixtures/generate/small.yaml', import.meta.url), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'gitops-locale-'));
after(() => rmSync(work, { recursive: true, force: true }));

const LOCALES = ['da_DK.UTF-8', 'en_US.UTF-8'];
const envFor = (locale: string) => ({ ...process.env, LANG: locale, LC_ALL: locale, LC_COLLATE: locale });

test("the locale reaches Node's ICU (otherwise this file would prove nothing)", () => {
  const probe = (locale: string) =>
    spawnSync(
      process.execPath,
      ['-e', "process.stdout.write(['aa-ledger', 'b-web', 'Z'].sort((a, b) => a.localeCompare(b)).join(' '))"],
      { env: envFor(locale), encoding: 'utf8' },
    ).stdout;
  assert.equal(probe('da_DK.UTF-8'), 'b-web Z aa-ledger');
  assert.equal(probe('en_US.UTF-8'), 'aa-ledger b-web Z');
  const turkish = (locale: string) =>
    spawnSync(
      process.execPath,
      [
        '-e',
        "process.stdout.write(['i', 'ı', 'İ'].sort((a, b) => a.localeCompare(b)).join(' ') + (1234).toLocaleString())",
      ],
      { env: envFor(locale), encoding: 'utf8' },
    ).stdout;
  assert.equal(turkish('tr_TR.UTF-8'), 'ı i İ1.234');
  assert.equal(turkish('C'), 'i İ ı1,234');
});

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

test('generate writes the same bytes under da_DK and en_US, and --check agrees across them', () => {
  // Three services whose names sort differently in Danish, in en-US and in code-unit order.
  const config = join(work, 'gitops.yaml');
  writeFileSync(
    config,
    small
      .replace(/- name: web\n/, '- name: b-web\n')
      .replace('calls: [worker]', 'calls: [aa-ledger, zz-worker]')
      .replace(/- name: worker\n/, '- name: zz-worker\n')
      .replace(/\n {4}overrides:\n[\s\S]*$/, '\n')
      .concat(
        [
          '  - name: aa-ledger',
          '    namespace: apps',
          '    workload: Worker',
          '    image: { repository: ghcr.io/example/ledger, tag: 1.0.0 }',
          '    ports: [{ name: health, port: 9000 }]',
          '    probes:',
          '      liveness: { tcp: { port: health } }',
          '      readiness: { http: { path: /ready, port: health } }',
          '    resources:',
          '      requests: { cpu: 50m, memory: 64Mi }',
          '      limits: { cpu: 100m, memory: 128Mi }',
          '',
        ].join('\n'),
      ),
  );
  const outputs = LOCALES.map((locale) => {
    const out = join(work, locale);
    const result = spawnSync(process.execPath, [bin, 'generate', '--config', config, '--out', out], {
      env: envFor(locale),
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, `${locale}: ${result.stderr}`);
    return tree(out);
  });
  assert.ok(
    Object.keys(outputs[0]).some((file) => file.includes('aa-ledger')),
    'the services were generated',
  );
  assert.deepEqual(outputs[1], outputs[0]);
  const check = spawnSync(
    process.execPath,
    [bin, 'generate', '--check', '--config', config, '--out', join(work, LOCALES[0])],
    {
      env: envFor(LOCALES[1]),
      encoding: 'utf8',
    },
  );
  assert.equal(check.status, 0, check.stdout + check.stderr);
});

test('validate writes every report format byte for byte the same under tr_TR and C', () => {
  // File names that sort differently under the two locales' collation, findings in each of them.
  const repo = join(work, 'validate-repo');
  mkdirSync(join(repo, 'apps'), { recursive: true });
  for (const [i, name] of ['ı', 'i', 'I', 'İ', 'Z', 'aa', 'ç', 'd'].entries())
    writeFileSync(
      join(repo, 'apps', `${name}.yaml`),
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web-${i}, namespace: shop}
spec:
  replicas: 1234
  selector: {matchLabels: {app: web-${i}}}
  template:
    metadata: {labels: {app: web-${i}}}
    spec:
      containers:
        - {name: web, image: "nginx:latest", securityContext: {privileged: true}}
`,
    );
  const formats = ['json', 'sarif', 'junit', 'github', 'markdown', 'stylish'];
  // The one thing allowed to differ between two runs: how long each took.
  const withoutDuration = (text: string) =>
    text
      .replace(/"durationMs": \d+/g, '"durationMs": 0')
      .replace(/(<testsuites [^>]*)time="[\d.]+"/, '$1time="0"')
      // "850 ms" in one run and "1.2 s" in a slower one: the unit is part of the duration.
      .replace(/ · (?:\d+ min )?[\d.]+ m?s( ·|\n|$)/g, ' · (duration)$1');
  // On a difference, name the format and its first differing line (the whole report is too long to read).
  const firstDifference = (a: string, b: string) => {
    const [left, right] = [a.split('\n'), b.split('\n')];
    const index = left.findIndex((line, i) => line !== right[i]);
    const at = index < 0 ? left.length : index;
    return `line ${at + 1}:\n  tr_TR: ${left[at] ?? '(end)'}\n  C:     ${right[at] ?? '(end)'}`;
  };
  const reports = ['tr_TR.UTF-8', 'C'].map((locale) => {
    const out = join(work, `validate-${locale}`);
    const result = spawnSync(
      process.execPath,
      [bin, 'validate', repo, '--no-cache', ...formats.flatMap((f) => ['--format', f, '--output', join(out, f)])],
      { env: { ...envFor(locale), GITHUB_ACTIONS: '', FORCE_COLOR: '0' }, encoding: 'utf8' },
    );
    assert.equal(result.status, 1, `${locale}: exit ${result.status} (signal ${result.signal}): ${result.stderr}`);
    return Object.fromEntries(formats.map((f) => [f, withoutDuration(readFileSync(join(out, f), 'utf8'))]));
  });
  assert.match(reports[0].stylish, /apps\/ı\.yaml[\s\S]*no-privileged/, 'the findings are there');
  for (const format of formats)
    assert.ok(
      reports[1][format] === reports[0][format],
      `${format} differs, ${firstDifference(reports[0][format], reports[1][format])}`,
    );
});

// Deterministic output in any locale: `gitops generate` under a Danish and an American locale writes
// byte-identical files, and `generate --check` of one passes under the other. Danish sorts "aa" after
// "z" (and en-US sorts case-insensitively), so any locale-dependent ordering (localeCompare, Intl.Collator)
// of the service names below would show. The first test proves the locale reaches Node's ICU.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

// Plugins: a repository cannot make the tool run its code (lint.plugins loads only with
// --allow-plugins); --plugin and library callers add rules; a plugin rule that throws is isolated.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlugins } from '../../scripts/check/plugins.ts';
import { InputError } from '../../scripts/errors.ts';
import { validateRepository } from '../../scripts/validate/index.ts';
import { validateInProcess } from '../cli-helpers.ts';

const gitopsYaml = readFileSync(new URL('../../gitops.yaml', import.meta.url), 'utf8').replace(/^lint:[\s\S]*$/m, '');
const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec: {}\n';

/** A plugin module whose import leaves a marker file: proof that its code ran. */
function plugin(
  marker: string,
  check = 'report({ resource, message: "from the plugin" })',
  id = 'acme-marker',
): string {
  return `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'the plugin ran');
export default {
  meta: { id: ${JSON.stringify(id)}, description: 'a plugin rule', defaultSeverity: 'error', category: 'acme', scope: 'resource',
    docs: { why: 'test', fix: 'test' } },
  check({ resource, report }) { ${check}; },
};
`;
}

function repository(lint: string, files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'plugins-'));
  roots.push(root);
  writeFileSync(join(root, 'gitops.yaml'), `${gitopsYaml}${lint}`);
  writeFileSync(join(root, 'web.yaml'), deployment);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

test('a repository cannot make the tool load its code: lint.plugins is reported, not loaded, unless --allow-plugins', async () => {
  const root = repository('lint:\n  plugins: [lint/marker.mjs]\n', {});
  const marker = join(root, 'ran.txt');
  mkdirSync(join(root, 'lint'), { recursive: true });
  writeFileSync(join(root, 'lint', 'marker.mjs'), plugin(marker));

  const { report } = await validateRepository(root, { cache: false });
  assert.equal(existsSync(marker), false, 'the plugin ran without --allow-plugins');
  const notLoaded = report.findings.filter((f) => f.ruleId === 'plugin-not-loaded');
  assert.deepEqual(
    notLoaded.map((f) => [f.file, f.severity]),
    [['gitops.yaml', 'warning']],
  );
  assert.ok(notLoaded[0].line && notLoaded[0].line > 1);
  assert.ok(!report.findings.some((f) => f.ruleId === 'acme-marker'));

  // The command line: no flag, no code run.
  const plain = await validateInProcess(root, '--format', 'json', '--no-cache');
  assert.equal(existsSync(marker), false);
  assert.ok(JSON.parse(plain.stdout).findings.some((f: { ruleId: string }) => f.ruleId === 'plugin-not-loaded'));

  // The person running the tool decides: --allow-plugins loads it and its rule reports.
  const allowed = await validateInProcess(root, '--format', 'json', '--no-cache', '--allow-plugins');
  assert.equal(existsSync(marker), true);
  assert.equal(allowed.code, 1, allowed.stderr);
  const ids = JSON.parse(allowed.stdout).findings.map((f: { ruleId: string }) => f.ruleId);
  assert.ok(ids.includes('acme-marker'));
  assert.ok(!ids.includes('plugin-not-loaded'));
});

test('--plugin loads a module the caller names; its rule honours lint.rules like any rule', async () => {
  const trusted = mkdtempSync(join(tmpdir(), 'trusted-rules-'));
  roots.push(trusted);
  writeFileSync(join(trusted, 'rules.mjs'), plugin(join(trusted, 'ran.txt')));
  const root = repository('lint:\n  rules:\n    acme-marker: { severity: warning, options: {} }\n');
  const result = await validateInProcess(
    root,
    '--format',
    'json',
    '--no-cache',
    '--plugin',
    join(trusted, 'rules.mjs'),
  );
  assert.notEqual(result.code, 2, result.stderr);
  const marker = JSON.parse(result.stdout).findings.find((f: { ruleId: string }) => f.ruleId === 'acme-marker');
  assert.deepEqual([marker?.severity, marker?.file], ['warning', 'web.yaml']);
  // Options the plugin's rule does not declare are bad input.
  const typo = repository('lint:\n  rules:\n    acme-marker: { options: { colour: red } }\n');
  const bad = await validateInProcess(typo, '--no-cache', '--plugin', join(trusted, 'rules.mjs'));
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /gitops\.yaml:\d+:\d+: lint\.rules\.acme-marker\.options: acme-marker takes no options/);
});

test('a plugin rule that throws is one internal-error finding; the other rules report; exit 2', async () => {
  const trusted = mkdtempSync(join(tmpdir(), 'trusted-rules-'));
  roots.push(trusted);
  writeFileSync(
    join(trusted, 'broken.mjs'),
    plugin(join(trusted, 'ran.txt'), 'throw new Error("plugin bug")', 'acme-broken'),
  );
  const root = repository('');
  writeFileSync(
    join(root, 'web.yaml'),
    `${deployment.replace('spec: {}', 'spec:\n  template:\n    spec:\n      hostNetwork: true\n      containers: [{name: web, image: "web:latest"}]')}`,
  );
  const result = await validateInProcess(
    root,
    '--format',
    'json',
    '--no-cache',
    '--plugin',
    join(trusted, 'broken.mjs'),
  );
  assert.equal(result.code, 2, result.stderr);
  const findings = JSON.parse(result.stdout).findings as { ruleId: string; message: string }[];
  assert.deepEqual(
    findings.filter((f) => f.ruleId === 'internal-error').map((f) => f.message),
    [
      'the acme-broken rule crashed on Deployment/shop/web in web.yaml: plugin bug; its findings are incomplete, please report it',
    ],
  );
  assert.ok(
    findings.some((f) => f.ruleId === 'image-tag-pinned'),
    'the built-in rules still report',
  );
  assert.match(result.stderr, /internal error: the acme-broken rule crashed/);
});

test('bad plugins are bad input naming the file: no rule, an id a built-in rule has, a module that does not load', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bad-plugins-'));
  roots.push(dir);
  writeFileSync(join(dir, 'nothing.mjs'), 'export default 42;\n');
  writeFileSync(join(dir, 'clash.mjs'), plugin(join(dir, 'x'), 'return', 'probes-present'));
  writeFileSync(join(dir, 'broken.mjs'), 'throw new Error("cannot load");\n');
  await assert.rejects(
    loadPlugins(['nothing.mjs'], dir),
    (error) => error instanceof InputError && /nothing\.mjs: export is not a rule/.test(error.message),
  );
  await assert.rejects(loadPlugins(['broken.mjs'], dir), /plugin broken\.mjs failed to load: cannot load/);
  await assert.rejects(loadPlugins(['missing.mjs'], dir), /plugin missing\.mjs does not exist/);
  const root = repository('');
  await assert.rejects(
    validateRepository(root, { cache: false, plugins: [join(dir, 'clash.mjs')] }),
    /two rules have the id "probes-present"/,
  );
});

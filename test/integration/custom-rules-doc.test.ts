// docs/custom-rules.md's example rule and its test are real: both blocks are written into a
// repository that has the tool installed (node_modules/gitops-platform), the test runs and passes,
// and `gitops validate --plugin` runs the rule.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { validateInProcess } from '../cli-helpers.ts';

const toolRoot = fileURLToPath(new URL('../../', import.meta.url));
const doc = readFileSync(join(toolRoot, 'docs', 'custom-rules.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'custom-rules-doc-'));
after(() => rmSync(work, { recursive: true, force: true }));

const blocks = [...doc.matchAll(/^```ts file=(\S+)\n([\s\S]*?)^```$/gm)].map((match) => ({
  file: match[1],
  text: match[2],
}));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

test('the page has the rule module and its test', () => {
  assert.deepEqual(
    blocks.map((block) => block.file),
    ['lint/rules/team-label.ts', 'lint/rules/team-label.test.ts'],
  );
});

test("the example's own test passes against the installed tool", () => {
  for (const { file, text } of blocks) {
    mkdirSync(dirname(join(work, file)), { recursive: true });
    writeFileSync(join(work, file), text);
  }
  // The repository's package.json makes its .ts files ES modules, as the page says.
  writeFileSync(join(work, 'package.json'), '{ "private": true, "type": "module" }\n');
  mkdirSync(join(work, 'node_modules'), { recursive: true });
  symlinkSync(toolRoot, join(work, 'node_modules', 'gitops-platform'), 'dir');
  // Not as a child of this test run: NODE_TEST_CONTEXT would make it report to us instead of printing.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  // gitops-source: the package's name resolves to this checkout's scripts/index.ts, not to dist/ (npm pack builds it).
  const result = spawnSync(
    process.execPath,
    ['--conditions=gitops-source', '--import', tsx, '--test', 'lint/rules/team-label.test.ts'],
    {
      cwd: work,
      encoding: 'utf8',
      env,
    },
  );
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /# pass 2/);
});

test('gitops validate --plugin runs the example rule on a repository', async () => {
  const repo = join(work, 'repo');
  mkdirSync(repo, { recursive: true });
  writeFileSync(join(repo, 'web.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n');
  const result = await validateInProcess(
    repo,
    '--format',
    'json',
    '--no-cache',
    '--plugin',
    join(work, 'lint/rules/team-label.ts'),
  );
  assert.notEqual(result.code, 2, result.stderr);
  const findings = JSON.parse(result.stdout).findings as { ruleId: string; line: number; severity: string }[];
  assert.deepEqual(
    findings.filter((f) => f.ruleId === 'acme-team-label').map((f) => [f.line, f.severity]),
    [[4, 'warning']],
  );
  const sarif = await validateInProcess(
    repo,
    '--format',
    'sarif',
    '--no-cache',
    '--plugin',
    join(work, 'lint/rules/team-label.ts'),
  );
  const rules = JSON.parse(sarif.stdout).runs[0].tool.driver.rules as { id: string; help: { text: string } }[];
  assert.match(rules.find((rule) => rule.id === 'acme-team-label')?.help.text ?? '', /Alerts are routed/);
});

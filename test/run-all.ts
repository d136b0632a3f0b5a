// What `npm test` runs: the type check, ESLint and Prettier while every test file runs. Integration
// tests (test/integration/: kustomize, git, the CLI as a process, schema builds) run concurrently, one
// process each; unit tests (everything else) share a few processes (a generated file that imports a
// share of them), since their start-up (tsx, the rule registry) costs more than their tests: so unit
// tests must leave process-wide state alone (environment, working folder), or live in integration/. The static checks print only when they fail; the exit code is
// non-zero when anything failed. GITOPS_TEST_CONCURRENCY sets how many test processes run at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(path);
      return entry.name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

interface Step {
  name: string;
  code: number;
  output: string;
  seconds: number;
}

function run(name: string, command: string, args: string[], quiet: boolean, env = process.env): Promise<Step> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code, signal) =>
      resolve({ name, code: code ?? (signal ? 1 : 0), output, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

const concurrency = process.env.GITOPS_TEST_CONCURRENCY ?? '4';
const UNIT_BUNDLES = 2;
const files = testFiles(join(root, 'test')).map((file) => relative(root, file));
const integration = files.filter((file) => file.startsWith('test/integration/'));
const unit = files.filter((file) => !integration.includes(file));
// Round-robin keeps the bundles even. .mts: an ES module wherever the temporary folder is.
const bundleDir = mkdtempSync(join(tmpdir(), 'gitops-unit-tests-'));
const bundles = Array.from({ length: UNIT_BUNDLES }, (_, i) => {
  const file = join(bundleDir, `unit-${i + 1}.test.mts`);
  const imports = unit
    .filter((_, j) => j % UNIT_BUNDLES === i)
    .map((test) => `await import(${JSON.stringify(pathToFileURL(join(root, test)).href)});\n`);
  writeFileSync(file, imports.join(''));
  return file;
});
// Test processes load the tool's modules from the checkout's compiled tree (bin/checkout-build.js) and the
// tests' own TypeScript through esbuild (test/loader/): tsx, the fallback, costs each process ~2 s of CPU.
const checkoutBuild: string = '../bin/checkout-build.js'; // plain JavaScript, untyped
const compiledTree = await (import(checkoutBuild) as Promise<{ compiledTree(): Promise<string> }>)
  .then((build) => build.compiledTree())
  .catch(() => undefined);
const loader = compiledTree ? pathToFileURL(join(root, 'test', 'loader', 'register.mjs')).href : 'tsx';
const testEnv = compiledTree ? { ...process.env, GITOPS_TEST_TREE: compiledTree } : process.env;
const steps = await Promise.all([
  run('tsc --noEmit', bin('tsc'), ['--noEmit'], true),
  run('eslint .', bin('eslint'), ['.'], true),
  run('prettier --check .', bin('prettier'), ['--check', '.'], true),
  run(
    `${files.length} test files (${unit.length} unit files in ${UNIT_BUNDLES} processes, ${integration.length} integration)`,
    process.execPath,
    [
      '--import',
      loader,
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      ...bundles,
      ...integration,
    ],
    false,
    testEnv,
  ),
]);
rmSync(bundleDir, { recursive: true, force: true });
for (const step of steps) if (step.code !== 0 && step.output) process.stdout.write(`\n${step.name}:\n${step.output}`);
console.log(
  `\n${steps.map((step) => `${step.code === 0 ? 'ok' : 'FAILED'} ${step.name} (${step.seconds.toFixed(1)} s)`).join('\n')}`,
);
process.exitCode = steps.some((step) => step.code !== 0) ? 1 : 0;

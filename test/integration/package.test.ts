// The package as a user gets it: `npm pack` (which compiles dist/ through prepack), installed from the
// tarball into a folder outside this repository with npm's --offline (the dependencies come from npm's
// cache, which `npm ci` of this checkout filled: no network), then `npx gitops` run there on a small git
// repository. It proves what issue 17 asks of the package: only what runs ships, no TypeScript at run
// time, --version, validate from any folder with SARIF paths relative to the repository's top, a clean
// `git status` afterwards (the cache is per user), and the library API with its types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const toolRoot = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(toolRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  bin: Record<string, string>;
  engines: { node: string };
};

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 600_000, ...options });
  return { code: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

// The temporary project's lockfile: the tarball, plus this checkout's locked production dependencies,
// so `npm ci --offline` resolves nothing (an offline `npm install` would need registry metadata).
function lockfileFor(tarball: string, tarballName: string): object {
  const lock = JSON.parse(readFileSync(join(toolRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean } & Record<string, unknown>>;
  };
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', devDependencies: { [pkg.name]: `file:${tarballName}` } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: `file:${tarballName}`,
      integrity,
      dev: true,
      dependencies: pkg.dependencies,
      optionalDependencies: pkg.optionalDependencies ?? {},
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path && !entry.dev) packages[path] = { ...entry, dev: true };
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:latest
`;

test('the package: packed with only what runs, installed offline outside the repository, `npx gitops` validates a subfolder with repository-relative SARIF and leaves git status clean', async () => {
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'gitops-package-')));
  try {
    const project = join(work, 'consumer');
    mkdirSync(project);
    const packed = run('npm', ['pack', '--json', '--pack-destination', project], { cwd: toolRoot });
    assert.equal(packed.code, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = info.files.map((file) => file.path);
    for (const needed of ['bin/gitops.js', 'dist/cli/entry.js', 'dist/index.js', 'dist/index.d.ts', 'LICENSE'])
      assert.ok(files.includes(needed), `${needed} ships`);
    assert.ok(files.includes('schemas/gitops.schema.json') && files.includes('docs/rules.md'));
    assert.deepEqual(
      files.filter((file) => /^(test|scripts|examples|overlays|base)\//.test(file) || /(?<!\.d)\.ts$/.test(file)),
      [],
      'no tests, no TypeScript sources, no example repository',
    );
    assert.ok(!files.some((file) => file.startsWith('dist/bench/')), 'the maintainer bench stays out');
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, devDependencies: { [pkg.name]: `file:${info.filename}` } }),
    );
    writeFileSync(
      join(project, 'package-lock.json'),
      JSON.stringify(lockfileFor(join(project, info.filename), info.filename)),
    );
    const env = { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
    const installed = run('npm', ['ci', '--offline'], { cwd: project, env });
    assert.equal(installed.code, 0, installed.stderr);

    const version = run('npx', ['gitops', '--version'], { cwd: project, env });
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout, `${pkg.version}\n`);
    for (const compiler of ['tsx', 'typescript'])
      assert.ok(
        !existsSync(join(project, 'node_modules', compiler)),
        `${compiler} is not installed: no compiler at run time`,
      );
    const bench = run('npx', ['gitops', 'bench'], { cwd: project, env });
    assert.equal(bench.code, 2, 'maintainer commands say they need a checkout');
    assert.match(bench.stderr, /checkout of the tool/);

    // A repository the tool did not generate; its manifests under deploy/, validated from there.
    const repo = join(project, 'repo');
    mkdirSync(join(repo, 'deploy', 'web'), { recursive: true });
    writeFileSync(join(repo, 'deploy', 'web', 'kustomization.yaml'), 'resources:\n  - deployment.yaml\n');
    writeFileSync(join(repo, 'deploy', 'web', 'deployment.yaml'), DEPLOYMENT);
    const git = (...args: string[]) =>
      run('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo });
    assert.equal(git('init', '-q').code, 0);
    git('add', '-A');
    assert.equal(git('commit', '-qm', 'deploy').code, 0);

    const sarifFile = join(work, 'results.sarif');
    const cache = join(work, 'cache');
    const validate = run(
      join(project, 'node_modules', '.bin', 'gitops'),
      ['validate', 'web', '-f', 'sarif', '-o', sarifFile, '-f', 'stylish', '--no-color'],
      { cwd: join(repo, 'deploy'), env: { ...env, XDG_CACHE_HOME: cache, GITOPS_CACHE_DIR: '' } },
    );
    assert.equal(validate.code, 1, `an error finding exits 1\n${validate.stderr}`);
    assert.match(validate.stdout, /deploy\/web\/deployment\.yaml/);
    assert.match(validate.stdout, /image-tag-pinned/);
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as {
      runs: {
        results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[];
      }[];
    };
    const locations = sarif.runs[0].results.flatMap((result) =>
      result.locations.map((location) => location.physicalLocation.artifactLocation),
    );
    assert.ok(locations.length > 0);
    assert.deepEqual(
      [...new Set(locations.map((location) => `${location.uriBaseId} ${location.uri}`))],
      ['%SRCROOT% deploy/web/deployment.yaml'],
      'relative to the repository top, not to the folder validated',
    );
    assert.equal(git('status', '--porcelain', '--untracked-files=all').stdout, '', 'nothing written in the repository');

    // The library API, from the installed package: its types check, and it runs.
    const call = `const result = await validateRepository(${JSON.stringify(join(repo, 'deploy'))});`;
    writeFileSync(
      join(project, 'typed.mts'),
      `import { validateRepository, exitCodeOf, type Finding } from '${pkg.name}';
${call}
const ids: string[] = result.report.findings.map((finding: Finding) => finding.ruleId);
export const code: number = exitCodeOf(result.report);
export const pinned: boolean = ids.includes('image-tag-pinned');
`,
    );
    const typecheck = run(
      process.execPath,
      [
        join(toolRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
        ...['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--target', 'es2022'],
        ...['--typeRoots', join(toolRoot, 'node_modules', '@types'), '--types', 'node', 'typed.mts'],
      ],
      { cwd: project },
    );
    assert.equal(typecheck.code, 0, `the library's types check\n${typecheck.stdout}${typecheck.stderr}`);
    writeFileSync(
      join(project, 'plain.mjs'),
      `import { validateRepository, exitCodeOf } from '${pkg.name}';
${call}
console.log(JSON.stringify({ code: exitCodeOf(result.report), pinned: result.report.findings.some((f) => f.ruleId === 'image-tag-pinned') }));
`,
    );
    const library = run(process.execPath, ['plain.mjs'], { cwd: project, env: { ...env, XDG_CACHE_HOME: cache } });
    assert.equal(library.code, 0, library.stderr);
    assert.deepEqual(JSON.parse(library.stdout), { code: 1, pinned: true });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

// Configuration for a repository the generator does not write (issue 17): a gitops.yaml with only
// lint settings, found from the validated folder up to the repository's top, every schema problem in
// one run, and the schema's split between lint-only and generator keys kept whole.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { InputError } from '../scripts/errors.ts';
import {
  findConfigFile,
  LINT_ONLY_KEYS,
  loadLintConfig,
  parseAnyConfig,
  parseConfig,
  schemaPath,
} from '../scripts/config/index.ts';
import { GENERATOR_KEYS } from '../scripts/config/load.ts';

const temp = mkdtempSync(join(tmpdir(), 'gitops-lint-only-'));
after(() => rmSync(temp, { recursive: true, force: true }));

function problemsOf(run: () => unknown): { line?: number; column?: number; message: string }[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return [error, ...error.others].map(({ line, column, message }) => ({ line, column, message }));
  }
  assert.fail('expected an InputError');
}

test('a gitops.yaml with only lint: (and kubernetesVersion) is a lint-only config with every lint setting', () => {
  const config = parseAnyConfig(
    [
      '$schema: ./node_modules/gitops-platform/schemas/gitops.schema.json',
      'kubernetesVersion: "1.30"',
      'lint:',
      '  ignorePaths: [charts/]',
      '  skipKinds: [SealedSecret]',
      '  schemaLocations: [./crd-schemas]',
      '  allowedRegistries: [ghcr.io/acme]',
      '  rules:',
      '    resources-set: { severity: warning, reason: limits come with the next quarter }',
      '    image-tag-pinned: { env: { prod: error, default: warning } }',
      '',
    ].join('\n'),
  );
  assert.deepEqual(config, {
    lintOnly: true,
    kubernetesVersion: '1.30',
    lint: {
      ignorePaths: ['charts/'],
      skipKinds: ['SealedSecret'],
      schemaLocations: ['./crd-schemas'],
      allowedRegistries: ['ghcr.io/acme'],
      rules: {
        'resources-set': { severity: 'warning', reason: 'limits come with the next quarter' },
        'image-tag-pinned': { env: { prod: 'error', default: 'warning' } },
      },
    },
  });
});

test('the generator refuses a lint-only gitops.yaml with what it needs', () => {
  assert.throws(
    () => parseConfig('lint:\n  skipKinds: [Foo]\n'),
    (error) => error instanceof InputError && /only lint settings.*generating needs project/.test(error.message),
  );
});

test('every schema problem in one run, in file order; a lint-only file is not asked for the generator keys', () => {
  const lintOnly = problemsOf(() =>
    parseAnyConfig('lint:\n  skipKinds: 3\n  bogus: 1\n  rules:\n    resources-set: loud\nextra: 2\n', 'g.yaml'),
  );
  assert.deepEqual(
    lintOnly.map((problem) => problem.line),
    [2, 3, 5, 6],
  );
  assert.match(lintOnly[0].message, /lint\.skipKinds must be array/);
  assert.match(lintOnly[1].message, /unknown key "bogus" in lint/);
  assert.match(lintOnly[3].message, /unknown key "extra" in the top level/);
  assert.ok(!lintOnly.some((problem) => /missing "project"/.test(problem.message)));
  // A generator config names each missing key, all at once.
  const full = problemsOf(() => parseAnyConfig('project: { name: shop }\nlint: {}\n', 'g.yaml'));
  const missing = full.map((problem) => /missing "([^"]+)"/.exec(problem.message)?.[1]).filter(Boolean);
  assert.deepEqual(missing, ['repoURL', 'kubernetesVersion', 'environments', 'namespaces', 'services']);
});

test('InputError.format prints every problem on its own line', () => {
  const error = InputError.all([new InputError('first.', 'g.yaml', 1, 1), new InputError('second.', 'g.yaml', 4, 3)]);
  assert.equal(error.format(), 'g.yaml:1:1: first.\ng.yaml:4:3: second.');
});

test('the schema: its top-level keys are exactly the lint-only keys and the generator keys', () => {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { properties: Record<string, unknown> };
  assert.deepEqual(Object.keys(schema.properties).sort(), [...LINT_ONLY_KEYS, ...GENERATOR_KEYS].sort());
});

test('config discovery: the nearest gitops.yaml from the folder up to the repository top, never above it', () => {
  const outside = join(temp, 'outside');
  const repo = join(outside, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'deploy', 'apps', 'web'), { recursive: true });
  writeFileSync(join(outside, 'gitops.yaml'), 'lint:\n  skipKinds: [Above]\n');
  const web = join(repo, 'deploy', 'apps', 'web');
  assert.equal(findConfigFile(web), undefined, 'a gitops.yaml above the repository is not the repository’s');
  writeFileSync(join(repo, 'gitops.yaml'), 'lint:\n  skipKinds: [Top]\n');
  assert.equal(findConfigFile(web), join(repo, 'gitops.yaml'));
  assert.deepEqual(loadLintConfig(web)?.lint?.skipKinds, ['Top']);
  writeFileSync(join(repo, 'deploy', 'gitops.yaml'), 'lint:\n  skipKinds: [Deploy]\n');
  assert.equal(loadLintConfig(web)?.file, join(repo, 'deploy', 'gitops.yaml'), 'the nearest wins');
  assert.deepEqual(loadLintConfig(web, { file: join(repo, 'gitops.yaml') })?.lint?.skipKinds, ['Top'], '--config');
  assert.throws(() => loadLintConfig(web, { file: join(repo, 'missing.yaml') }), /cannot read the config file/);
  // Outside any repository only the folder itself counts.
  const loose = join(temp, 'loose', 'sub');
  mkdirSync(loose, { recursive: true });
  writeFileSync(join(temp, 'loose', 'gitops.yaml'), 'lint: {}\n');
  assert.equal(findConfigFile(loose), undefined);
});

/** Property paths under `node` that have no description (hover text), following properties, items, if/then/else. */
function undescribed(node: unknown, path: string, out: string[] = []): string[] {
  if (typeof node !== 'object' || node === null) return out;
  const schema = node as Record<string, unknown>;
  for (const [key, value] of Object.entries((schema.properties as Record<string, unknown>) ?? {})) {
    if (typeof value === 'object' && value !== null && !('description' in value)) out.push(`${path}.${key}`);
    undescribed(value, `${path}.${key}`, out);
  }
  for (const key of ['items', 'then', 'else', 'additionalProperties']) undescribed(schema[key], path, out);
  for (const key of ['allOf', 'anyOf', 'oneOf'])
    for (const item of (schema[key] as unknown[]) ?? []) undescribed(item, path, out);
  return out;
}

test('the schema: hover text for every top-level key and every lint setting, and lint.rules completes every rule id', async () => {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
    properties: Record<string, unknown>;
    definitions: Record<string, { properties?: Record<string, unknown> }>;
  };
  const topLevel = Object.entries(schema.properties)
    .filter(([, value]) => !('description' in (value as object)))
    .map(([key]) => key);
  assert.deepEqual(topLevel, []);
  assert.deepEqual(
    ['lint', 'lintRules', 'ruleSetting'].flatMap((name) => undescribed(schema.definitions[name], name)),
    [],
  );
  const { ruleMetas } = await import('../scripts/check/registry.ts');
  const ids = ruleMetas().map((meta) => meta.id);
  assert.deepEqual(Object.keys(schema.definitions.lintRules.properties ?? {}).sort(), [...ids].sort());
});

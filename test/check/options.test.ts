// Rule options: gitops.yaml's lint.rules schema is generated from the registry, a misspelt option is
// bad input with its line (at load, and before a run for any rule, plugins' included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchemaWithRules, ruleOptionsProblems } from '../../scripts/check/options.ts';
import { ruleMetas } from '../../scripts/check/registry.ts';
import { loadLintConfig, schemaPath } from '../../scripts/config/index.ts';
import { InputError } from '../../scripts/errors.ts';
import { validateRepository } from '../../scripts/validate/index.ts';

const gitopsYaml = readFileSync(new URL('../../gitops.yaml', import.meta.url), 'utf8').replace(/^lint:[\s\S]*$/m, '');

function withConfig<T>(lint: string, use: (root: string) => T): T {
  const root = mkdtempSync(join(tmpdir(), 'rule-options-'));
  try {
    writeFileSync(join(root, 'gitops.yaml'), `${gitopsYaml}${lint}`);
    return use(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('lint.rules in schemas/gitops.schema.json is what the registry generates (npx gitops rules --write-config-schema)', () => {
  const onDisk = readFileSync(schemaPath, 'utf8');
  assert.ok(onDisk === configSchemaWithRules(onDisk, ruleMetas()), 'stale: run npx gitops rules --write-config-schema');
  const rules = (JSON.parse(onDisk) as { definitions: { lintRules: { properties: Record<string, unknown> } } })
    .definitions.lintRules.properties;
  assert.deepEqual(
    Object.keys(rules).sort(),
    ruleMetas()
      .map((meta) => meta.id)
      .sort(),
  );
});

test('gitops.yaml: a misspelt option, or options for a rule that takes none, fail the load at their line', () => {
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;
  const lint = 'lint:\n  rules:\n    image-tag-pinned:\n      options:\n        requireDigestin: [prod]\n';
  withConfig(lint, (root) => {
    const error = (() => {
      try {
        loadLintConfig(root);
      } catch (caught) {
        return caught;
      }
    })();
    assert.ok(error instanceof InputError);
    assert.equal(error.line, lineOf(`${gitopsYaml}${lint}`, 'requireDigestin'));
    assert.match(error.message, /unknown key "requireDigestin" in lint\.rules\.image-tag-pinned\.options/);
  });
  withConfig('lint:\n  rules:\n    pdb-present: { severity: warning, options: { x: 1 } }\n', (root) =>
    assert.throws(() => loadLintConfig(root), /unknown key "x" in lint\.rules\.pdb-present\.options/),
  );
  // A correct option and a plugin's rule (not in the schema) load.
  withConfig(
    'lint:\n  rules:\n    image-tag-pinned: { options: { requireDigestIn: [prod] } }\n    acme-owner: error\n',
    (root) => assert.ok(loadLintConfig(root)),
  );
});

test('before a run, every rule of the run checks its options: a bad one is an InputError on its gitops.yaml line', async () => {
  const metas = ruleMetas();
  assert.deepEqual(
    ruleOptionsProblems({ lint: { rules: { 'jvm-heap-fits-limit': { options: { maxHeapPercent: 75 } } } } }, metas),
    [],
  );
  assert.deepEqual(
    ruleOptionsProblems(
      { lint: { rules: { 'jvm-heap-fits-limit': { options: { maxHeapPercent: 'lots' } } } } },
      metas,
    ).map((problem) => problem.path.join('.')),
    ['lint.rules.jvm-heap-fits-limit.options.maxHeapPercent'],
  );
  await withConfig('', async (root) => {
    const config = { lint: { rules: { 'resources-set': { options: { requireCpuLimt: false } } } } };
    await assert.rejects(validateRepository(root, { config, cache: false }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /has no option "requireCpuLimt" \(resources-set takes requireCpuLimit\)/);
      return true;
    });
  });
});

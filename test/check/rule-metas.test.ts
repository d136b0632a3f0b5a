// The generated list of the built-in rules' metas (scripts/check/rule-metas.generated.ts), which a run
// with nothing to check reads instead of loading every rule module, and the claim that lets it skip them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRules } from '../../scripts/check/engine.ts';
import { builtinRules, ruleMetas } from '../../scripts/check/registry.ts';
import { builtinRuleMetas, ruleMetasModulePath, ruleMetasModuleSource } from '../../scripts/check/rule-metas.ts';
import { hasNoWork, loadRepoContext, validateRepository } from '../../scripts/validate/index.ts';

test('the generated metas are the registry’s, in its order (regenerate: gitops rules --write-config-schema)', () => {
  assert.equal(readFileSync(ruleMetasModulePath, 'utf8'), ruleMetasModuleSource(ruleMetas()));
  assert.deepEqual(builtinRuleMetas(), ruleMetas());
});

test('an empty folder has no work, and every built-in rule reports nothing on its context', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-no-work-'));
  try {
    const load = await loadRepoContext(dir, { cache: false });
    assert.ok(hasNoWork(load));
    const run = await runRules(load.ctx, { rules: builtinRules });
    assert.deepEqual(run.findings, []);
    assert.deepEqual(run.faults, []);
    // The run that skips the rules reports every rule all the same (SARIF lists them).
    const result = await validateRepository(dir, { cache: false });
    assert.deepEqual(result.report.rules, ruleMetas());
    assert.deepEqual(result.report.findings, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

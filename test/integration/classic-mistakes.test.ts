// End to end: the classic-mistakes repository through the real pipeline (discover, render with the
// real kustomize, locate, check, filter, report) gives exactly the expected findings, on the file and
// line a person edits, and the stylish report stays readable (snapshot).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinRulesIn, findRule } from '../../scripts/check/registry.ts';
import { formatReport } from '../../scripts/report/index.ts';
import type { Report } from '../../scripts/types.ts';
import { validateRepository } from '../../scripts/validate/index.ts';

const fixture = fileURLToPath(new URL('../fixtures/classic-mistakes', import.meta.url));
const snapshot = fileURLToPath(new URL('../fixtures/rules/classic-mistakes.stylish.txt', import.meta.url));

/** [ruleId, file, line, env] of every expected finding; each base mistake is found once per overlay. */
const expected: [string, string, number, string][] = [
  ['probes-differ', 'base/deployment.yaml', 36, 'dev'],
  ['probes-differ', 'base/deployment.yaml', 36, 'prod'],
  ['no-secret-literals', 'base/deployment.yaml', 35, 'dev'],
  ['no-secret-literals', 'base/deployment.yaml', 35, 'prod'],
  ['resources-set', 'base/deployment.yaml', 44, 'dev'],
  ['resources-set', 'base/deployment.yaml', 44, 'prod'],
  ['no-host-path', 'base/deployment.yaml', 62, 'dev'],
  ['no-host-path', 'base/deployment.yaml', 62, 'prod'],
  ['no-plaintext-secrets', 'base/secret.yaml', 6, 'dev'],
  ['no-plaintext-secrets', 'base/secret.yaml', 6, 'prod'],
  ['service-selects-pods', 'base/service-metrics.yaml', 6, 'dev'],
  ['service-selects-pods', 'base/service-metrics.yaml', 6, 'prod'],
  // the latest tag is set by the dev overlay's images: entry, so that is where the finding lands (its newTag line)
  ['image-tag-pinned', 'overlays/dev/kustomization.yaml', 8, 'dev'],
];

// The removed policy/v1beta1 PodDisruptionBudget is the schema stage's api-removed rule.
assert.ok(findRule('api-removed'));
expected.push(['api-removed', 'base/pdb.yaml', 1, 'dev'], ['api-removed', 'base/pdb.yaml', 1, 'prod']);

const key = (f: [string, string, number | undefined, string | undefined]) => f.join(' ');

test('classic-mistakes: exactly the expected findings, on the right files and lines, with no secret in any message', async () => {
  const root = mkdtempSync(join(tmpdir(), 'classic-mistakes-'));
  cpSync(fixture, root, { recursive: true });
  const { report, faults } = await validateRepository(root, { cache: false });
  assert.deepEqual(faults, []);
  const actual = report.findings.map((f) => key([f.ruleId, f.file, f.line, f.env])).sort();
  assert.deepEqual(actual, expected.map(key).sort());
  assert.ok(!JSON.stringify(report).includes('Tr0ub4dor-3'), 'a finding leaks the fake password');

  // Stylish snapshot of the policy rules' findings (other stages' lines are asserted above, not here),
  // with the run's facts that vary between machines fixed.
  const policyIds = new Set(builtinRulesIn('rules').map((rule) => rule.meta.id));
  const stable: Report = {
    ...report,
    findings: report.findings.filter((f) => policyIds.has(f.ruleId)),
    summary: { ...report.summary, durationMs: 0, kustomize: 'kustomize', errors: 0, warnings: 0, infos: 0 },
  };
  for (const f of stable.findings)
    stable.summary[f.severity === 'error' ? 'errors' : f.severity === 'warning' ? 'warnings' : 'infos']++;
  const text = formatReport('stylish', stable, { color: false });
  if (process.env.UPDATE_SNAPSHOTS) writeFileSync(snapshot, text);
  assert.equal(
    text,
    readFileSync(snapshot, 'utf8'),
    'stylish output changed: review it, then run with UPDATE_SNAPSHOTS=1',
  );
});

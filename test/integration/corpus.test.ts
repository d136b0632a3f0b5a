// The corpus (../shared/corpus: real GitOps repositories nobody here wrote) and the built-in example,
// rendered once for every check that needs them (the expensive fixture of the suite):
// - every corpus repository validates without a fault, and a checked-in summary of each result keeps
//   changes visible in review (regenerate after an intended change:
//   UPDATE_SNAPSHOTS=1 node --import tsx --test test/integration/corpus.test.ts, then read the diff of
//   test/corpus-summary.json);
// - every YAML stream kustomize wrote parses with the fast path exactly as js-yaml parses it;
// - schema parity with kubeconform's verdicts (test/schema-parity.helpers.ts, expectations in
//   test/schema-parity.expectations.json).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { parseKustomizeDocument } from '../../scripts/manifest/kustomize-yaml.ts';
import { parseRenderedYaml } from '../../scripts/manifest/rendered.ts';
import { validateRepository, type ValidateResult } from '../../scripts/validate/index.ts';
import { runRulesSync } from '../../scripts/check/engine.ts';
import { builtinRules } from '../../scripts/check/registry.ts';
import { scopeOf } from '../../scripts/kube/workloads.ts';
import { sortFindings } from '../../scripts/finding-order.ts';
import type { App, Finding } from '../../scripts/types.ts';
import { repoRoot, sharedDir } from '../fixtures/pipeline/copy.ts';
import { calledOnEveryObject } from '../rules/helpers.ts';
import { differences, parityOf, type ParityRun } from '../schema-parity.helpers.ts';

const corpusDir = join(sharedDir, 'corpus');
const summaryFile = join(repoRoot, 'test', 'corpus-summary.json');
const update = process.env.UPDATE_SNAPSHOTS === '1';

interface CorpusSummary {
  /** Deploy units by kind (kustomization, manifests, directory, helm, plugin). */
  apps: Record<string, number>;
  /** Units an Argo CD Application of the repository deploys. */
  applicationUnits: number;
  /** Units only partly checked (a remote base, helmCharts, a plugin, a Helm source). */
  partlyChecked: number;
  rendered: number;
  resources: number;
  environments: string[];
  /** Apps not rendered, by reason (remote-base, helm-charts, plugin, chart-plugin, yaml-error, kustomize-error). */
  notRendered: Record<string, number>;
  findingsByRule: Record<string, number>;
  findingsBySeverity: Record<string, number>;
  /** Every error finding, `rule file:line message`: the list a reviewer reads and judges true. */
  errors: string[];
}

function counts(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of [...values].sort()) out[value] = (out[value] ?? 0) + 1;
  return out;
}

const folders = existsSync(corpusDir)
  ? readdirSync(corpusDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
  : [];

interface Loaded {
  name: string;
  result: ValidateResult;
  /** Every YAML stream kustomize wrote for it. */
  streams: string[];
}

/** One copy and one validation of each corpus repository and of the built-in example, for every test below. */
const work = mkdtempSync(join(tmpdir(), 'gitops-corpus-'));
after(() => rmSync(work, { recursive: true, force: true }));
const loaded: Loaded[] = [];
before(async () => {
  for (const name of folders) cpSync(join(corpusDir, name), join(work, name), { recursive: true });
  for (const folder of ['base', 'overlays', 'argocd'])
    if (existsSync(join(repoRoot, folder)))
      cpSync(join(repoRoot, folder), join(work, 'example', folder), { recursive: true });
  for (const name of [...folders, 'example']) {
    const streams: string[] = [];
    const result = await validateRepository(join(work, name), {
      cache: false,
      onRenderOutput: (yaml) => streams.push(yaml),
    });
    loaded.push({ name, result, streams });
  }
});

test(
  'every corpus repository validates without a fault, and its summary matches test/corpus-summary.json',
  { skip: folders.length === 0 && 'no ../shared/corpus' },
  async () => {
    const summaries: Record<string, CorpusSummary> = {};
    for (const { name, result } of loaded) {
      if (name === 'example') continue;
      assert.deepEqual(result.faults, [], `${name}: internal faults`);
      const { ctx, load, report } = result;
      summaries[name] = {
        apps: counts(ctx.apps.map((app) => app.kind)),
        applicationUnits: ctx.apps.filter((app) => app.applications).length,
        partlyChecked: ctx.apps.filter((app) => app.partial).length,
        rendered: load.stats.rendered,
        resources: report.summary.resources,
        environments: ctx.environments,
        notRendered: counts(load.notRendered.map((entry) => entry.reason)),
        findingsByRule: counts(report.findings.map((finding) => finding.ruleId)),
        findingsBySeverity: counts(report.findings.map((finding) => finding.severity)),
        errors: report.findings
          .filter((finding) => finding.severity === 'error')
          .map((finding) => `${finding.ruleId} ${finding.file}:${finding.line ?? 0} ${finding.message}`),
      };
      // Everything that renders offline renders: each app not rendered has a finding that says why.
      for (const { app } of load.notRendered) {
        assert.ok(
          report.findings.some(
            (finding) =>
              finding.app === app ||
              ['render-offline-unsupported', 'yaml-syntax', 'yaml-duplicate-key'].includes(finding.ruleId),
          ),
          `${name}: ${app} was not rendered and no finding says why`,
        );
      }
    }
    const text = `${JSON.stringify(summaries, null, 2)}\n`;
    if (update || !existsSync(summaryFile)) {
      writeFileSync(summaryFile, text);
      return;
    }
    assert.deepEqual(
      summaries,
      JSON.parse(readFileSync(summaryFile, 'utf8')),
      'the corpus results changed; if intended, regenerate with `UPDATE_SNAPSHOTS=1 npm test` and review the diff of test/corpus-summary.json',
    );
  },
);

function reference(text: string): unknown[] {
  const docs: unknown[] = [];
  loadAll(
    text,
    (doc) => {
      if (doc !== null && doc !== undefined) docs.push(doc);
    },
    { schema: CORE_SCHEMA },
  );
  return docs;
}

test('every rendered stream of the corpus and the built-in example parses as js-yaml parses it, mostly on the fast path', () => {
  let documents = 0;
  let fast = 0;
  for (const { name, streams } of loaded) {
    for (const yaml of streams) {
      assert.deepEqual(parseRenderedYaml(yaml), reference(yaml), name);
      for (const document of yaml.split(/^---$/m)) {
        if (!document.trim()) continue;
        documents++;
        if (parseKustomizeDocument(document) !== undefined) fast++;
      }
    }
  }
  assert.ok(documents > 500, `rendered ${documents} documents`);
  assert.ok(fast / documents > 0.9, `only ${fast} of ${documents} documents took the fast path`);
});

interface Expected {
  id: string;
  ours: string;
  reference: string;
  reason: string;
}

const expectations = JSON.parse(readFileSync(join(repoRoot, 'test', 'schema-parity.expectations.json'), 'utf8')) as {
  differences: Expected[];
};

describe('schema parity with kubeconform on the corpus and the built-in example', () => {
  let run: ParityRun;
  before(() => {
    run = parityOf(loaded.map(({ name, result }) => ({ repo: name, ctx: result.ctx })));
  });

  test('compares a real number of objects, and says which apps could not render offline', (t) => {
    const both = run.objects.filter(
      (o) => ['valid', 'invalid'].includes(o.ours.status) && ['valid', 'invalid'].includes(o.reference.status),
    );
    t.diagnostic(
      `${run.rendered} apps rendered, ${run.objects.length} objects (with broken copies), ${both.length} covered by both`,
    );
    for (const skipped of run.skipped) t.diagnostic(`skipped ${skipped.app}: ${skipped.reason.slice(0, 160)}`);
    assert.ok(both.length >= 500, `only ${both.length} objects compared`);
    assert.ok(
      both.filter((o) => o.reference.status === 'invalid').length >= 300,
      'the broken copies must be rejected by the reference',
    );
  });

  test('gives the same verdict as the reference, except the listed differences', () => {
    const listed = new Map(expectations.differences.map((d) => [d.id, d]));
    const found = differences(run);
    const unlisted = found
      .filter((d) => listed.get(d.id)?.ours !== d.ours.status || listed.get(d.id)?.reference !== d.reference.status)
      .map(
        (d) =>
          `${d.id}: ours ${d.ours.status} ${JSON.stringify(d.ours.errors.slice(0, 2))}, reference ${d.reference.status} ${JSON.stringify(d.reference.errors.slice(0, 2))}`,
      );
    assert.deepEqual(unlisted, [], 'differences not in test/schema-parity.expectations.json');
    const gone = [...listed.keys()].filter((id) => !found.some((d) => d.id === id));
    assert.deepEqual(
      gone,
      [],
      'listed differences that no longer occur: remove them from test/schema-parity.expectations.json',
    );
    for (const expected of expectations.differences)
      assert.ok(expected.reason.length > 20, `${expected.id} needs a reason`);
  });
});

describe('meta.kinds on the corpus and the built-in example', () => {
  const kindRules = builtinRules.filter((rule) => rule.meta.kinds);

  test('a rule that names its kinds reports nothing on any other: called on every object, the same findings', () => {
    assert.ok(kindRules.length > 50, `only ${kindRules.length} rules name their kinds`);
    const everyObject = kindRules.map(calledOnEveryObject);
    let others = 0;
    for (const { name, result } of loaded) {
      const { ctx } = result;
      for (const app of ctx.apps)
        for (const resource of app.resources)
          others += kindRules.filter((rule) => !rule.meta.kinds!.includes(resource.object.kind ?? '')).length;
      const named = runRulesSync(ctx, { rules: kindRules });
      const unnamed = runRulesSync(ctx, { rules: everyObject });
      assert.deepEqual(unnamed.faults, named.faults, `${name}: a rule crashed on an object of another kind`);
      assert.deepEqual(unnamed.findings, named.findings, `${name}: a rule reported on an object of another kind`);
    }
    assert.ok(others > 10_000, `only ${others} calls on objects of other kinds: the test compares little`);
  });
});

describe('meta.reach on the corpus and the built-in example', () => {
  const scopeRules = builtinRules.filter((rule) => rule.meta.reach === 'scope');

  test("a scope rule reads nothing outside its app's scope: run on each scope alone, the same findings", () => {
    assert.ok(scopeRules.length > 50, `only ${scopeRules.length} scope rules`);
    for (const { name, result } of loaded) {
      const { ctx } = result;
      const whole = runRulesSync(ctx, { rules: scopeRules }).findings;
      const byScope = new Map<string, App[]>();
      for (const app of ctx.apps) byScope.set(scopeOf(app), [...(byScope.get(scopeOf(app)) ?? []), app]);
      const alone: Finding[] = [];
      // A new list of apps per scope: no lookup cache of the whole run is reused.
      for (const apps of byScope.values())
        for (const finding of runRulesSync({ ...ctx, apps }, { rules: scopeRules }).findings) alone.push(finding);
      assert.ok(byScope.size > 1 || ctx.apps.length <= 1, `${name}: one scope only, the test compares nothing`);
      assert.deepEqual(sortFindings(alone), whole, `${name}: a scope rule read across scopes`);
    }
  });
});

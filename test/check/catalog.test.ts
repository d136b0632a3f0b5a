// The rule catalog: metadata completeness, docs/rules.md freshness, `gitops rules` and `gitops explain`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rulesMarkdown } from '../../scripts/check/catalog.ts';
import { builtinRules, ruleMetas } from '../../scripts/check/registry.ts';
import { runCli } from '../cli-helpers.ts';

const gitops = (...args: string[]) => runCli(args);

test('every rule has complete metadata: id, description, severity, category, docs, bad and good examples', () => {
  const ids = new Set<string>();
  for (const { meta } of builtinRules) {
    assert.match(meta.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, meta.id);
    assert.ok(!ids.has(meta.id), `duplicate rule id ${meta.id}`);
    ids.add(meta.id);
    assert.ok(meta.description.length > 20, `${meta.id}: description`);
    assert.ok(['error', 'warning', 'info'].includes(meta.defaultSeverity), `${meta.id}: severity`);
    assert.ok(
      meta.docs.why.trim().length > 20 && meta.docs.fix.trim().length > 5,
      `${meta.id}: docs say why and how to fix`,
    );
    if (meta.examples)
      assert.ok(
        meta.examples.bad && meta.examples.good && meta.examples.bad !== meta.examples.good,
        `${meta.id}: examples`,
      );
  }
});

test('docs/rules.md is generated from the metadata and up to date', () => {
  const onDisk = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
  assert.ok(
    onDisk === rulesMarkdown(ruleMetas()),
    'docs/rules.md is stale: run `npx gitops rules --markdown > docs/rules.md` and commit it',
  );
});

test('gitops rules lists every rule, as a table and as JSON', async () => {
  const table = await gitops('rules');
  assert.equal(table.code, 0);
  const json = await gitops('rules', '--format', 'json');
  assert.equal(json.code, 0);
  const listed = (JSON.parse(json.stdout) as { id: string }[]).map((m) => m.id).sort();
  assert.deepEqual(
    listed,
    ruleMetas()
      .map((m) => m.id)
      .sort(),
  );
  for (const id of listed) assert.match(table.stdout, new RegExp(`^${id} `, 'm'));
  assert.equal((await gitops('rules', '--format', 'xml')).code, 2);
});

test('gitops explain prints the docs with a bad and a good example; an unknown rule exits 2 with a suggestion', async () => {
  const result = await gitops('explain', 'probes-differ');
  assert.equal(result.code, 0);
  assert.match(result.stdout, /takes every pod down when the database blinks|restarts every pod|database blinks/);
  assert.match(result.stdout, /Bad:[\s\S]*path: \/health[\s\S]*Good:[\s\S]*path: \/readyz/);
  const unknown = await gitops('explain', 'probe-difers');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown rule "probe-difers"\. Did you mean "probes-differ"/);
});

test("a rule's page names the kinds it checks (meta.kinds), and says nothing of kinds for a rule that reads every object", async () => {
  const named = await gitops('explain', 'service-selects-pods');
  assert.match(named.stdout.split('\n')[0], /default severity: error; checks Service\)$/);
  const every = await gitops('explain', 'no-default-namespace');
  assert.doesNotMatch(every.stdout.split('\n')[0], /checks/);
  const markdown = rulesMarkdown(ruleMetas(builtinRules));
  assert.match(markdown, /\*cross-resource, default severity: error; checks Service\.\* A Service/);
});

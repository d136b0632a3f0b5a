// The whole catalog's documented examples run: every rule's bad example gives its finding, its good
// example gives none (through the real pipeline, with only that rule).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinRules } from '../../scripts/check/registry.ts';
import { runExample } from '../check/examples.ts';
import { calledOnEveryObject } from '../rules/helpers.ts';

/** A tool bug has no example in a repository. */
const WITHOUT_EXAMPLES = ['internal-error'];

test('every rule but internal-error documents a bad and a good example', () => {
  assert.deepEqual(
    builtinRules.filter((rule) => !rule.meta.examples).map((rule) => rule.meta.id),
    WITHOUT_EXAMPLES,
  );
});

for (const rule of builtinRules) {
  const examples = rule.meta.examples;
  if (!examples) continue;
  test(`${rule.meta.id}: the bad example gives its finding, the good one none`, async () => {
    const bad = await runExample(rule, examples.bad);
    assert.deepEqual(bad.faults, []);
    assert.ok(bad.findings.length > 0, `${rule.meta.id}: the bad example gives no finding`);
    const good = await runExample(rule, examples.good);
    assert.deepEqual(good.faults, []);
    assert.deepEqual(
      good.findings.map((f) => `${f.file}:${f.line} ${f.message}`),
      [],
      `${rule.meta.id}: the good example gives findings`,
    );
    if (rule.meta.kinds) {
      // Called on every object, not only its kinds: the same findings (meta.kinds; the corpus test too).
      const everyObject = calledOnEveryObject(rule);
      assert.deepEqual((await runExample(everyObject, examples.bad)).findings, bad.findings, `${rule.meta.id}: kinds`);
      assert.deepEqual((await runExample(everyObject, examples.good)).findings, [], `${rule.meta.id}: kinds`);
    }
  });
}

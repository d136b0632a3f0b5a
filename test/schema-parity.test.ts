// Parity with kubeconform: the same valid/invalid verdict as the reference schemas for every rendered
// corpus object (and broken copies of it) that both cover. Known differences, each with its reason,
// live in schema-parity.expectations.json.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { differences, runParity, type ParityRun } from './schema-parity.helpers.ts';

interface Expected {
  id: string;
  ours: string;
  reference: string;
  reason: string;
}

const expectations = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, 'schema-parity.expectations.json'), 'utf8'),
) as { differences: Expected[] };

describe('schema parity with kubeconform on the corpus and the built-in example', () => {
  let run: ParityRun;
  before(async () => {
    run = await runParity();
  });

  it('compares a real number of objects, and says which apps could not render offline', (t) => {
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

  it('gives the same verdict as the reference, except the listed differences', () => {
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

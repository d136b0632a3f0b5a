// sortAndDedupe: one finding per rule, place, env, app, message and resource, in the one order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortAndDedupe } from '../../scripts/validate/index.ts';
import { sortFindings } from '../../scripts/finding-order.ts';
import type { Finding } from '../../scripts/types.ts';

const finding = (extra: Partial<Finding>): Finding => ({
  ruleId: 'rule-a',
  severity: 'warning',
  message: 'm',
  file: 'a.yaml',
  line: 1,
  column: 1,
  ...extra,
});

/** The definition: a finding is dropped when an earlier one (in the one order) has the same key. */
function reference(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return sortFindings(findings).filter((f) => {
    const key = JSON.stringify([
      f.ruleId,
      f.file,
      f.line,
      f.column,
      f.app,
      f.env,
      f.message,
      f.resource?.kind,
      f.resource?.name,
    ]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

test('sortAndDedupe: copies go even when other findings sort between them; near-copies stay', () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
  const findings = [
    finding({ resource: { ...deployment, namespace: 'a' }, message: 'x' }),
    finding({ resource: { ...deployment, namespace: 'b' }, message: 'w' }),
    // same key as the first (namespace is not part of it), another finding sorts between them
    finding({ resource: { ...deployment, namespace: 'c' }, message: 'x' }),
    finding({ env: '', message: 'x', resource: { ...deployment, namespace: 'a' } }),
    finding({ env: undefined, app: '', message: 'x', resource: { ...deployment, namespace: 'a' } }),
    finding({ line: 2, message: 'x' }),
    finding({ line: 2, message: 'x' }),
    finding({ ruleId: 'rule-b', line: 2, message: 'x' }),
    finding({ file: 'b.yaml', message: 'x' }),
  ];
  for (const order of [findings, [...findings].reverse()]) {
    const out = sortAndDedupe(order);
    assert.deepEqual(out, reference(order));
    assert.equal(out.length, 7);
  }
});

test('sortAndDedupe: 300,000 findings with many copies give what the definition gives', () => {
  const many = Array.from({ length: 300_000 }, (_, i) =>
    finding({ file: `f${i % 1000}.yaml`, line: i % 7, message: `m${i % 3}`, ruleId: `r${i % 5}` }),
  );
  const out = sortAndDedupe(many);
  assert.deepEqual(out, reference(many));
  assert.equal(out.length, 21_000, 'one per file, line and message (the rule follows from the file)');
});

test('sortFindings and sortAndDedupe hand a list already in order on as it is, and never reorder their argument', () => {
  const sorted = [finding({ line: 1 }), finding({ line: 2 }), finding({ line: 3, message: 'y' })];
  assert.equal(sortFindings(sorted), sorted, 'no copy of a list in order (a 2 MB large object at 275,000 findings)');
  assert.equal(sortAndDedupe(sorted), sorted, 'no copy when nothing repeats');
  const shuffled = [sorted[2], sorted[0], sorted[1]];
  const result = sortFindings(shuffled);
  assert.notEqual(result, shuffled);
  assert.deepEqual(result, sorted);
  assert.deepEqual(shuffled, [sorted[2], sorted[0], sorted[1]], 'the argument keeps its order');
  const repeated = [...sorted, sorted[2]].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const deduped = sortAndDedupe(repeated);
  assert.deepEqual(deduped, sorted);
  assert.equal(repeated.length, 4, 'the argument keeps its repeat');
});

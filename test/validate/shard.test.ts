// Placing units on shards (validate/shard.ts): a partition, the same whatever order the units come
// in, balanced by size; and the checks that make merge-shards refuse a set that is not one run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkShardSet, parseShard, ShardPlanner, type ShardReportFile } from '../../scripts/validate/shard.ts';
import { UsageError } from '../../scripts/errors.ts';
import type { ShardRecord } from '../../scripts/types.ts';

/** Sizes like a monorepo's: many small apps, some large ones (a fixed pseudo-random sequence). */
const units = Array.from({ length: 500 }, (_, i) => ({
  id: `overlays/env-${i % 7}/svc-${i}`,
  size: 200 + ((i * 7919) % 1000) * (i % 50 === 0 ? 40 : 1),
}));

function split(count: number, list = units): Set<string>[] {
  return Array.from({ length: count }, (_, i) => new ShardPlanner({ index: i + 1, count }).assign(list));
}

test('every unit falls on exactly one shard, whatever the count', () => {
  for (const count of [1, 2, 3, 4, 7, 16]) {
    const shards = split(count);
    const seen = shards.flatMap((shard) => [...shard]);
    assert.equal(seen.length, units.length, `${count} shards`);
    assert.equal(new Set(seen).size, units.length, `${count} shards: no unit twice`);
  }
});

test('the split does not depend on the order the units are listed in', () => {
  const reversed = [...units].reverse();
  const shuffled = [...units].sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? 1 : -1));
  for (const other of [reversed, shuffled])
    assert.deepEqual(
      split(4, other).map((shard) => [...shard].sort()),
      split(4).map((shard) => [...shard].sort()),
    );
});

test('shards are balanced by size: within the largest unit of each other', () => {
  const size = new Map(units.map((unit) => [unit.id, unit.size]));
  const loads = split(4).map((shard) => [...shard].reduce((sum, id) => sum + size.get(id)!, 0));
  const largest = Math.max(...units.map((unit) => unit.size));
  assert.ok(Math.max(...loads) - Math.min(...loads) <= largest, `loads ${loads.join(', ')}`);
  // A split by count would not be: the large units all count one.
  const byCount = [0, 1, 2, 3].map((r) =>
    units.filter((_, i) => i % 4 === r).reduce((sum, unit) => sum + unit.size, 0),
  );
  assert.ok(Math.max(...byCount) - Math.min(...byCount) > Math.max(...loads) - Math.min(...loads));
});

test('loads carry over from one call to the next: later units fill the lighter shards', () => {
  const planners = [1, 2].map((index) => new ShardPlanner({ index, count: 2 }));
  for (const planner of planners) planner.assign([{ id: 'big', size: 100 }]);
  const second = planners.map((planner) =>
    planner.assign([
      { id: 'a', size: 10 },
      { id: 'b', size: 10 },
    ]),
  );
  assert.deepEqual(
    second.map((shard) => [...shard].sort()),
    [[], ['a', 'b']],
  );
});

test('--shard takes i/n with 1 <= i <= n', () => {
  assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
  for (const bad of ['0/4', '5/4', '4', '1/0', 'a/b', '-1/2', '1/1000'])
    assert.throws(() => parseShard(bad), UsageError, bad);
});

const record = (index: number, count: number, extra: Partial<ShardRecord> = {}): ShardReportFile => ({
  file: `shard-${index}.json`,
  shard: {
    index,
    count,
    commit: 'c0ffee',
    changes: 'e3b0',
    tool: '0.1.0',
    args: ['.'],
    apps: [],
    renders: [],
    ...extra,
  },
});

test('merge-shards refuses a set that is not one run, saying what is wrong', () => {
  assert.deepEqual(
    checkShardSet([record(2, 2), record(1, 2)]).map((report) => report.shard.index),
    [1, 2],
  );
  const refusals: [ShardReportFile[], RegExp][] = [
    [[record(1, 3), record(3, 3)], /shard 2\/3 missing: give the reports of all 3 shards/],
    [[record(1, 2), record(1, 2), record(2, 2)], /shard 1\/2 is given twice \(shard-1\.json and shard-1\.json\)/],
    [[record(1, 2), record(2, 3)], /different splits/],
    [[record(1, 2), record(2, 2, { commit: 'deadbeef' })], /different commits \(c0ffee and deadbeef\)/],
    [[record(1, 2), record(2, 2, { changes: 'ffff' })], /different uncommitted changes/],
    [[record(1, 2), record(2, 2, { args: ['.', '--quiet'] })], /different options/],
    [[record(1, 2), record(2, 2, { tool: '0.2.0' })], /different tool versions/],
    [[], /give the JSON reports of every shard/],
  ];
  for (const [set, message] of refusals) assert.throws(() => checkShardSet(set), message);
});

// assignmentLine (scripts/kube/assignment-line.ts): the same name and value as the regex
// no-secret-literals used before, on every line that regex finishes, and linear on the lines it did not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { assignmentLine } from '../../scripts/kube/assignment-line.ts';

/** The regex this replaces: cubic in a run of spaces inside the value. Only short lines go to it. */
const OLD = /^\s*(?:export\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[=:]\s*["']?(.*?)["']?\s*,?\s*$/;

function old(line: string) {
  const match = OLD.exec(line);
  return match ? { name: match[1], value: match[2] } : undefined;
}

/** Pieces that steer the old regex's backtracking: names, quotes, separators, `\s` of every kind, line breaks. */
const PIECES = [
  'a',
  'b',
  'x.y',
  '-',
  '_',
  '=',
  ':',
  '"',
  "'",
  ',',
  ' ',
  '  ',
  '\t',
  '\r',
  '\n',
  '\u2028',
  '\u2029',
  '\u00a0',
  '\ufeff',
  '\u3000',
  'export',
  'export ',
  '$',
  '#',
  'é',
];

const some = (pieces: string[], maxLength: number) =>
  fc.array(fc.constantFrom(...pieces), { maxLength }).map((chosen) => chosen.join(''));
const SPACES = [' ', '\t', '\r', '\u2028', '\u00a0', 'export', 'export ', '"', "'"];
/** Any run of pieces, and (most of the time) one shaped like an assignment so the value part is reached. */
const lines = fc.oneof(
  some(PIECES, 14),
  fc
    .tuple(some(SPACES, 4), some(['a', 'x.y', 'export', '-'], 2), some(SPACES, 3), fc.constantFrom('=', ':'))
    .chain((head) => some(PIECES, 12).map((tail) => head.join('') + tail)),
);

test('assignmentLine: the name and value the old regex captured, on random short lines', () => {
  fc.assert(
    fc.property(lines, (line) => {
      assert.deepEqual(assignmentLine(line), old(line), JSON.stringify(line));
    }),
    { seed: 20261203, numRuns: 30_000 },
  );
});

test('assignmentLine: the cases that steer it, as the old regex read them', () => {
  const cases: [string, { name: string; value: string } | undefined][] = [
    ['spring.datasource.password=s3cret', { name: 'spring.datasource.password', value: 's3cret' }],
    ['  export TOKEN="abc def",  ', { name: 'TOKEN', value: 'abc def' }],
    ["'key': 'value'", { name: 'key', value: 'value' }],
    ['export = 1', { name: 'export', value: '1' }],
    ['export export: 1', { name: 'export', value: '1' }],
    ['a=', { name: 'a', value: '' }],
    ['a= \r x', { name: 'a', value: 'x' }],
    ['a=x\r', { name: 'a', value: 'x' }],
    ['a=x\ry', undefined],
    ['a=x\u2028y', undefined],
    ['a=x,"', { name: 'a', value: 'x,' }],
    ['a="x" , ', { name: 'a', value: 'x' }],
    ['a=x,,', { name: 'a', value: 'x,' }],
    ['a=\u00a0x\u3000', { name: 'a', value: 'x' }],
    ['no assignment here', undefined],
  ];
  for (const [line, expected] of cases) {
    assert.deepEqual(old(line), expected, `old regex on ${JSON.stringify(line)}`);
    assert.deepEqual(assignmentLine(line), expected, JSON.stringify(line));
  }
});

test('assignmentLine: lines the old regex would take hours or days on are read at once', () => {
  // 5,000 spaces in the value took the old regex 54 s, 10,000 took 433 s: 100,000 is days.
  const spaces = ' '.repeat(100_000);
  const tabs = '\t'.repeat(100_000);
  assert.deepEqual(assignmentLine(`a=x${spaces}y`), { name: 'a', value: `x${spaces}y` });
  assert.deepEqual(assignmentLine(`a=x${spaces}`), { name: 'a', value: 'x' });
  assert.deepEqual(assignmentLine(`a=x${spaces},${spaces}"${spaces}y`), {
    name: 'a',
    value: `x${spaces},${spaces}"${spaces}y`,
  });
  assert.deepEqual(assignmentLine(`a=${',"'.repeat(50_000)}y`), { name: 'a', value: `${',"'.repeat(50_000)}y` });
  assert.deepEqual(assignmentLine(`a=x${tabs}\ry`), undefined);
  // The prefix: long runs where it fails or must give back.
  assert.equal(assignmentLine(`${spaces}${'a'.repeat(100_000)}${spaces}b`), undefined);
  assert.equal(assignmentLine(`export${spaces}export${spaces}x`), undefined);
  assert.deepEqual(assignmentLine(`${'a'.repeat(100_000)}${spaces}=${spaces}"`), {
    name: 'a'.repeat(100_000),
    value: '',
  });
});

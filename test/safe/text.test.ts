// scripts/safe/text.ts: its classes are JavaScript's `\s` and `.`, code unit for code unit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  hasLineTerminator,
  isLineTerminator,
  isRegExpSpace,
  skipSpace,
  skipSpaceBack,
} from '../../scripts/safe/text.ts';

test('isRegExpSpace is \\s and isLineTerminator is what . leaves out, for every UTF-16 code unit', () => {
  for (let code = 0; code <= 0xffff; code++) {
    const char = String.fromCharCode(code);
    assert.equal(isRegExpSpace(code), /\s/.test(char), `U+${code.toString(16)}`);
    assert.equal(isLineTerminator(code), !/./.test(char), `U+${code.toString(16)}`);
  }
});

test('skipSpace, skipSpaceBack and hasLineTerminator stay within their bounds', () => {
  const text = ' \t a b \u3000 ';
  assert.equal(skipSpace(text), 3);
  assert.equal(skipSpace(text, 4), 5);
  assert.equal(skipSpace(text, 0, 2), 2);
  assert.equal(skipSpaceBack(text), 6);
  assert.equal(skipSpaceBack(text, 5), 4);
  assert.equal(skipSpaceBack(text, 3, 1), 1);
  assert.equal(hasLineTerminator('a\u2029b'), true);
  assert.equal(hasLineTerminator('a\u2029b', 2), false);
  assert.equal(hasLineTerminator('a\u2029b', 0, 1), false);
});

// Linear scans for what a backtracking regex would do in quadratic time on repository text. A search
// for `\s*$` or `\s+$` starts again at every position of a long run of spaces that is followed by
// something else (n²/2 steps for n spaces), and `(.*?)\s*$` does the same for every end it tries: a
// ConfigMap line of 10,000 spaces between two letters kept no-secret-literals busy for seven minutes.
// These walk the text once.

/** Whether the UTF-16 code unit is in JavaScript's `\s` class: WhiteSpace or LineTerminator. */
export function isRegExpSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Whether the code unit is one `.` does not match without the `s` flag: \n, \r, U+2028, U+2029. */
export function isLineTerminator(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

/** The index after the run of `\s` that starts at `from`: `from` itself when there is none. */
export function skipSpace(text: string, from = 0, to = text.length): number {
  let i = from;
  while (i < to && isRegExpSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The index where the run of `\s` that ends at `to` starts, going back no further than `from`. */
export function skipSpaceBack(text: string, to = text.length, from = 0): number {
  let i = to;
  while (i > from && isRegExpSpace(text.charCodeAt(i - 1))) i--;
  return i;
}

/** Whether `text.slice(from, to)` holds a line terminator: whether `.` (no `s` flag) would stop in it. */
export function hasLineTerminator(text: string, from = 0, to = text.length): boolean {
  for (let i = from; i < to; i++) if (isLineTerminator(text.charCodeAt(i))) return true;
  return false;
}

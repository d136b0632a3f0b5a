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

/** `text` without the run of `char` (one code unit) at its end: `text.replace(/x+$/, '')`. */
export function trimEndChar(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}

/** `text` without the runs of `char` at both ends: `text.replace(/^x+|x+$/g, '')`. */
export function trimChar(text: string, char: string): string {
  let start = 0;
  while (start < text.length && text[start] === char) start++;
  return trimEndChar(text.slice(start), char);
}

/** `text` without its trailing `\s` run: `text.replace(/\s+$/, '')`. */
export function trimEndSpace(text: string): string {
  return text.slice(0, skipSpaceBack(text));
}

/**
 * Whether `open`, then anything but a break, then `close` occurs in `text`: `/\{\{.*\}\}/.test(text)`
 * with `isBreak` the characters `.` leaves out (`[^\n]` is `(code) => code === 10`). The regex starts
 * again at every `open` and reads to the end of the line each time.
 */
export function hasEnclosed(text: string, open: string, close: string, isBreak: (code: number) => boolean): boolean {
  let from = 0;
  let end = -1; // the first `close` at or after the last place looked from
  for (;;) {
    const start = text.indexOf(open, from);
    if (start < 0) return false;
    let lineEnd = start + open.length;
    while (lineEnd < text.length && !isBreak(text.charCodeAt(lineEnd))) lineEnd++;
    if (end < start + open.length) end = text.indexOf(close, start + open.length);
    if (end < 0) return false; // no later `open` has a `close` after it either
    if (end < lineEnd) return true;
    from = lineEnd + 1; // every `open` before the break finds the same first `close`, past it
  }
}

/**
 * Each `open`…`close` span, shortest first, left to right: `text.matchAll(/\{\{.*?\}\}/gs)`'s matches,
 * without reading to the end from every `open` that no `close` follows.
 */
export function* enclosedSpans(text: string, open: string, close: string): Generator<string> {
  for (let from = 0; ;) {
    const start = text.indexOf(open, from);
    const end = start < 0 ? -1 : text.indexOf(close, start + open.length);
    if (end < 0) return; // no later `open` has a `close` after it either
    yield text.slice(start, end + close.length);
    from = end + close.length;
  }
}

/** Whether the code unit is in `\w` (A-Z, a-z, 0-9, `_`): the class `\b` reads, with or without `i` (no `u`). */
export function isWordChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f
  );
}

/** Whether `\b` holds before `text[at]`, a word character: nothing or a non-word character precedes it. */
export function wordStartsAt(text: string, at: number): boolean {
  return at === 0 || !isWordChar(text.charCodeAt(at - 1));
}

/** `[a-z]` with the `i` flag: an ASCII letter (no other code unit folds to one without `u`). */
function isAsciiLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

/** `[a-z0-9+.-]` with the `i` flag: a URL scheme's characters. */
function isSchemeChar(code: number): boolean {
  return isAsciiLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2e || code === 0x2d;
}

/**
 * Where the leftmost `\b[a-z][a-z0-9+.-]*` (flag `i`) that ends at `end` starts, at `from` or after:
 * a URL's scheme before the `://` at `end`, as a regex searching from `from` would find it; -1 when
 * none does. Reads the run of scheme characters before `end` once: the runs before two `://` never
 * overlap (a `:` ends them).
 */
export function schemeStart(text: string, end: number, from = 0): number {
  let start = end;
  while (start > from && isSchemeChar(text.charCodeAt(start - 1))) start--;
  for (let i = start; i < end; i++) if (isAsciiLetter(text.charCodeAt(i)) && wordStartsAt(text, i)) return i;
  return -1;
}

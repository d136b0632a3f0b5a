// Go's regexp package, as Sprig's regex functions call it, on re2js: the same RE2 syntax, linear-time
// matching whatever pattern the repository writes, and Go's results for the edge cases (empty matches,
// `n` limits, `$1`/`${name}` expansion, Split's trailing pieces).
import type { RE2JS } from 're2js';
import { repositoryRegex } from '../../safe/regex.ts';

/** regexp.Compile: throws "invalid regular expression ...: error parsing regexp: ..." for a bad pattern. */
export function goRegexp(pattern: string): RE2JS {
  return repositoryRegex(pattern);
}

/** Start and end (UTF-16 indexes) of every group of each match, as FindAllStringSubmatchIndex; n < 0 is all. */
function allMatches(regex: RE2JS, text: string, n: number): number[][] {
  if (n === 0) return [];
  return regex.re2().findAllSubmatchIndex(text, n < 0 ? text.length + 1 : n) ?? [];
}

export function findAllString(pattern: string, text: string, n: number): string[] {
  return allMatches(goRegexp(pattern), text, n).map((m) => text.slice(m[0], m[1]));
}

export function findString(pattern: string, text: string): string {
  const [first] = allMatches(goRegexp(pattern), text, 1);
  return first ? text.slice(first[0], first[1]) : '';
}

export function matchString(pattern: string, text: string): boolean {
  return goRegexp(pattern).test(text);
}

/** Regexp.Split: n == 0 is nil, a trailing piece after the last match is kept. */
export function split(pattern: string, text: string, n: number): string[] {
  if (n === 0) return [];
  if (pattern.length > 0 && text.length === 0) return [''];
  const out: string[] = [];
  let begin = 0;
  let end = 0;
  for (const match of allMatches(goRegexp(pattern), text, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = match[0];
    if (match[1] !== 0) out.push(text.slice(begin, end));
    begin = match[1];
  }
  if (end !== text.length) out.push(text.slice(begin));
  return out;
}

/**
 * Regexp.ReplaceAllString (with `expand`) or ReplaceAllLiteralString: Go's loop, which skips an empty
 * match right after a previous match and always advances.
 */
export function replaceAll(pattern: string, text: string, replacement: string, literal: boolean): string {
  const regex = goRegexp(pattern);
  const names = regex.namedGroups();
  const matcher = regex.matcher(text);
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= text.length && matcher.find(searchPos)) {
    const start = matcher.start();
    const end = matcher.end();
    out += text.slice(lastMatchEnd, start);
    if (end > lastMatchEnd || start === 0) {
      out += literal ? replacement : expand(replacement, (group) => groupText(matcher, names, group));
    }
    lastMatchEnd = end;
    const width = text.codePointAt(searchPos)! > 0xffff ? 2 : 1;
    searchPos = searchPos + width > end ? searchPos + width : end;
  }
  return out + text.slice(lastMatchEnd);
}

function groupText(matcher: ReturnType<RE2JS['matcher']>, names: Record<string, number>, group: string): string {
  const index = /^\d+$/.test(group) ? Number(group) : names[group];
  if (index === undefined || index > matcher.groupCount()) return '';
  return matcher.group(index) ?? '';
}

/** Regexp.Expand's template: `$1`, `${1}`, `$name`, `${name}`, `$$`; a malformed `$` stays as text. */
function expand(template: string, group: (name: string) => string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch !== '$') {
      out += ch;
      continue;
    }
    const rest = template.slice(i + 1);
    if (rest.startsWith('$')) {
      out += '$';
      i++;
      continue;
    }
    const braced = rest.match(/^\{([A-Za-z0-9_]+)\}/);
    const bare = braced ? null : rest.match(/^[A-Za-z0-9_]+/);
    if (braced) {
      out += group(braced[1]);
      i += braced[0].length;
    } else if (bare) {
      out += group(bare[0]);
      i += bare[0].length;
    } else out += '$';
  }
  return out;
}

// The three path-pattern languages the git generators use, each as Argo CD's Go code runs it, and each
// compiled to an RE2 program (re2js: linear time, whatever a pattern in the repository says):
//
// - git directories: Go's `path.Match(pattern, dir)` (applicationset/generators/git.go filterApps):
//   `*` and `?` stay inside one path segment, `[...]`/`[^...]` classes, `\` escapes; no `**`, no braces.
//   A malformed pattern matches nothing (Argo CD logs the error and goes on).
// - git files: `git ls-files --full-name -z -- <pattern>` (util/git/client.go LsFiles): a git pathspec.
//   Without magic, a pattern with wildcards is fnmatch without FNM_PATHNAME, so `*`, `**` and `?` cross
//   `/`; a pattern without wildcards names a file or a folder (every file under it). `:(glob)` and
//   `:(literal)` magic are honoured; other magic is not modelled (the caller reports it).
// - git files with `applicationsetcontroller.enable.new.git.file.globbing` (argocd-cmd-params-cm):
//   doublestar.FilepathGlob: `**` is any number of folders, `*` stays in a segment, `{a,b}` alternatives.
//
// The docs describe both file forms as "glob patterns"; the code above is what decides, so it is
// what is followed here.
import { RE2JS } from 're2js';
import { repositoryRegex } from '../safe/regex.ts';

export type PathMatcher = (path: string) => boolean;

const NEVER: PathMatcher = () => false;
const cache = new Map<string, PathMatcher>();

function cached(kind: string, pattern: string, build: () => string | undefined): PathMatcher {
  const key = `${kind}\u0000${pattern}`;
  let matcher = cache.get(key);
  if (!matcher) {
    const source = build();
    if (source === undefined) matcher = NEVER;
    else {
      try {
        const regex = repositoryRegex(`^(?:${source})$`, { dotAll: true });
        matcher = (path) => regex.matches(path);
      } catch {
        matcher = NEVER; // past the pattern length limit: Argo CD would match; nothing is read here
      }
    }
    if (cache.size > 10_000) cache.clear();
    cache.set(key, matcher);
  }
  return matcher;
}

const quote = (ch: string): string => RE2JS.quote(ch);
/** A character inside an RE2 class, escaped so that `]`, `\`, `^`, `-` and `[` stay literal. */
const classChar = (ch: string): string => (/[\]\\^\-[]/.test(ch) ? `\\${ch}` : ch);
const codePoint = (ch: string): number => ch.codePointAt(0) ?? 0;

interface ClassParse {
  /** RE2 source of the class, or undefined when the class is malformed. */
  source?: string;
  /** Index just after the closing `]`. */
  end: number;
}

/** Builds an RE2 class from [lo, hi] ranges; ranges with lo > hi match nothing, as in Go. */
function classSource(ranges: [string, string][], negated: boolean): string {
  const parts = ranges
    .filter(([lo, hi]) => codePoint(lo) <= codePoint(hi))
    .map(([lo, hi]) => (lo === hi ? classChar(lo) : `${classChar(lo)}-${classChar(hi)}`));
  if (parts.length === 0) return negated ? '[\\x{0}-\\x{10FFFF}]' : '[^\\x{0}-\\x{10FFFF}]';
  return `[${negated ? '^' : ''}${parts.join('')}]`;
}

// ------------------------------------------------------------------ Go path.Match

/** Go's path.Match over a whole path (git directories). */
export function goPathMatcher(pattern: string): PathMatcher {
  return cached('path.Match', pattern, () => goPathSource(pattern));
}

function goPathSource(pattern: string): string | undefined {
  const chars = [...pattern];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '\\') {
      if (i + 1 >= chars.length) return undefined; // a trailing backslash is ErrBadPattern
      out += quote(chars[++i]);
    } else if (ch === '[') {
      const parsed = goClass(chars, i + 1);
      if (parsed.source === undefined) return undefined;
      out += parsed.source;
      i = parsed.end - 1;
    } else out += quote(ch);
  }
  return out;
}

/** A Go path.Match class starting after `[`: `^` negates, `\` escapes, `lo-hi` ranges, must not be empty. */
function goClass(chars: string[], start: number): ClassParse {
  let i = start;
  let negated = false;
  if (chars[i] === '^') {
    negated = true;
    i++;
  }
  const ranges: [string, string][] = [];
  // getEsc: a `-` or `]` where a character is expected, a dangling `\` or the end of the pattern is bad.
  const escaped = (): string | undefined => {
    let ch = chars[i];
    if (ch === undefined || ch === '-' || ch === ']') return undefined;
    if (ch === '\\') {
      i++;
      ch = chars[i];
      if (ch === undefined) return undefined;
    }
    i++;
    return i < chars.length ? ch : undefined;
  };
  for (;;) {
    if (chars[i] === ']' && ranges.length > 0) return { source: classSource(ranges, negated), end: i + 1 };
    const lo = escaped();
    if (lo === undefined) return { end: i };
    let hi = lo;
    if (chars[i] === '-') {
      i++;
      const upper = escaped();
      if (upper === undefined) return { end: i };
      hi = upper;
    }
    ranges.push([lo, hi]);
  }
}

// ------------------------------------------------------------------ git pathspecs (ls-files)

export interface PathspecMatcher {
  matches: PathMatcher;
  /** Pathspec magic this model does not follow (the caller reports it; nothing matches). */
  unsupportedMagic?: string;
}

/** What `git ls-files -- <pattern>` lists, as a predicate over tracked file paths. */
export function gitPathspecMatcher(rawPattern: string): PathspecMatcher {
  let pattern = rawPattern;
  let glob = false;
  let literal = false;
  const magic = pattern.match(/^:\(([^)]*)\)/);
  if (magic) {
    const words = magic[1].split(',').map((word) => word.trim());
    const unsupported = words.filter((word) => word !== 'glob' && word !== 'literal' && word !== 'top');
    if (unsupported.length > 0) return { matches: NEVER, unsupportedMagic: `:(${magic[1]})` };
    glob = words.includes('glob');
    literal = words.includes('literal');
    pattern = pattern.slice(magic[0].length);
  } else if (pattern.startsWith(':') && pattern.length > 1 && !/^:[/]/.test(pattern)) {
    return { matches: NEVER, unsupportedMagic: pattern.slice(0, 2) };
  } else if (pattern.startsWith(':/')) {
    pattern = pattern.slice(2); // `:/` is the top of the repository, where Argo CD runs git anyway
  }
  pattern = pattern.replace(/^(\.\/)+/, '');
  if (pattern === '' || pattern === '.') return { matches: () => true };
  const hasWildcard = !literal && /[*?[\\]/.test(pattern);
  const prefix = (path: string) =>
    path === pattern || (path.startsWith(pattern) && (pattern.endsWith('/') || path[pattern.length] === '/'));
  if (!hasWildcard) return { matches: prefix };
  const wild = cached(glob ? 'wildmatch-pathname' : 'wildmatch', pattern, () => wildmatchSource(pattern, glob));
  // git tries the pattern as a literal path (or folder) first, then as a wildcard pattern.
  return { matches: (path) => prefix(path) || wild(path) };
}

/**
 * git's wildmatch: `*` and `?` (crossing `/` unless `pathname`), `[...]` with `!` or `^` negation,
 * `]` first in a class is literal, POSIX `[:alpha:]` classes, `\` escapes. With `pathname`
 * (`:(glob)`), `**` between slashes is any number of folders.
 */
function wildmatchSource(pattern: string, pathname: boolean): string | undefined {
  const chars = [...pattern];
  const any = pathname ? '[^/]' : '.';
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*') {
      let stars = 1;
      while (chars[i + 1] === '*') {
        stars++;
        i++;
      }
      if (pathname && stars >= 2) {
        const atStart = i - stars + 1 === 0 || chars[i - stars] === '/';
        const atEnd = i + 1 === chars.length || chars[i + 1] === '/';
        if (atStart && atEnd) {
          if (chars[i + 1] === '/') {
            out += '(?:.*/)?';
            i++;
          } else out += '.*';
          continue;
        }
      }
      out += `${any}*`;
    } else if (ch === '?') out += any;
    else if (ch === '\\') {
      if (i + 1 >= chars.length) return undefined;
      out += quote(chars[++i]);
    } else if (ch === '[') {
      const parsed = wildmatchClass(chars, i + 1, pathname);
      if (parsed.source === undefined) return undefined;
      out += parsed.source;
      i = parsed.end - 1;
    } else out += quote(ch);
  }
  return out;
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '[:alnum:]',
  alpha: '[:alpha:]',
  blank: '[:blank:]',
  cntrl: '[:cntrl:]',
  digit: '[:digit:]',
  graph: '[:graph:]',
  lower: '[:lower:]',
  print: '[:print:]',
  punct: '[:punct:]',
  space: '[:space:]',
  upper: '[:upper:]',
  xdigit: '[:xdigit:]',
};

function wildmatchClass(chars: string[], start: number, pathname: boolean): ClassParse {
  let i = start;
  let negated = false;
  if (chars[i] === '!' || chars[i] === '^') {
    negated = true;
    i++;
  }
  const parts: string[] = [];
  let first = true;
  while (i < chars.length) {
    let ch = chars[i];
    if (ch === ']' && !first) {
      let body = parts.join('');
      if (body === '') body = '\\x{0}-\\x{10FFFF}';
      // With pathname, a negated class never matches `/` (git: "[!...]" does not match a slash).
      const source = negated ? `[^${body}${pathname ? '/' : ''}]` : `[${body}]`;
      return { source, end: i + 1 };
    }
    first = false;
    if (ch === '[' && chars[i + 1] === ':') {
      const close = chars.indexOf(']', i + 2);
      const name = close > 0 ? chars.slice(i + 2, close - 1).join('') : '';
      if (close > 0 && chars[close - 1] === ':' && POSIX_CLASSES[name]) {
        parts.push(POSIX_CLASSES[name]);
        i = close + 1;
        continue;
      }
      if (close > 0 && chars[close - 1] === ':') return { end: close + 1 }; // an unknown class name
    }
    if (ch === '\\') {
      i++;
      ch = chars[i];
      if (ch === undefined) return { end: i };
    }
    i++;
    if (chars[i] === '-' && chars[i + 1] !== undefined && chars[i + 1] !== ']') {
      let hi = chars[i + 1];
      i += 2;
      if (hi === '\\') {
        hi = chars[i];
        i++;
        if (hi === undefined) return { end: i };
      }
      if (codePoint(ch) <= codePoint(hi)) parts.push(`${classChar(ch)}-${classChar(hi)}`);
    } else parts.push(classChar(ch));
  }
  return { end: i }; // no closing `]`: git's wildmatch fails the match
}

// ------------------------------------------------------------------ doublestar (new git file globbing)

/** doublestar.FilepathGlob's matching, over repository-relative file paths. */
export function doublestarMatcher(pattern: string): PathMatcher {
  return cached('doublestar', pattern, () => doublestarSource(pattern.replace(/^(\.\/)+/, '')));
}

function doublestarSource(pattern: string): string | undefined {
  const chars = [...pattern];
  let out = '';
  let depth = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*') {
      const double = chars[i + 1] === '*';
      const atStart = i === 0 || chars[i - 1] === '/';
      const afterEnd = double ? i + 2 : i + 1;
      const atEnd = afterEnd === chars.length || chars[afterEnd] === '/';
      if (double && atStart && atEnd) {
        if (chars[afterEnd] === '/') {
          out += '(?:[^/]*/)*';
          i = afterEnd;
        } else {
          out += '.*';
          i = afterEnd - 1;
        }
      } else {
        out += '[^/]*';
        if (double) i++;
      }
    } else if (ch === '?') out += '[^/]';
    else if (ch === '\\') {
      if (i + 1 >= chars.length) return undefined;
      out += quote(chars[++i]);
    } else if (ch === '[') {
      const parsed = wildmatchClass(chars, i + 1, true);
      if (parsed.source === undefined) return undefined;
      out += parsed.source;
      i = parsed.end - 1;
    } else if (ch === '{') {
      depth++;
      out += '(?:';
    } else if (ch === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (ch === ',' && depth > 0) out += '|';
    else out += quote(ch);
  }
  return depth === 0 ? out : undefined;
}

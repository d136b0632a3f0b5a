// Glob matching as Argo CD does it (github.com/gobwas/glob through util/glob): `*` is any run of
// characters except a separator, `**` crosses separators, `?` is one character, `[a-z]`/`[!a]`
// classes and `{a,b}` alternatives. With no separators (destinations, namespaces, kinds), `*`
// matches anything. A leading `!` is a deny entry where Argo CD allows negation.
// The patterns come from the repository (AppProjects, Applications), so they compile to RE2 (re2js):
// linear-time matching whatever the pattern.
import { RE2JS } from 're2js';
import { repositoryRegex } from '../safe/regex.ts';

const cache = new Map<string, RE2JS>();

export function globToRegExp(pattern: string, separator?: string): RE2JS {
  const key = `${separator ?? ''}\u0000${pattern}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const notSep = separator ? `[^${escapeClass(separator)}]` : '.';
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      out += escapeRegExp(pattern[++i]);
    } else if (ch === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i++;
      } else {
        out += `${notSep}*`;
      }
    } else if (ch === '?') {
      out += notSep;
    } else if (ch === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (ch === '{') {
      braceDepth++;
      out += '(?:';
    } else if (ch === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (ch === ',' && braceDepth > 0) {
      out += '|';
    } else {
      out += escapeRegExp(ch);
    }
  }
  let regexp: RE2JS;
  try {
    regexp = repositoryRegex(`^(?:${out})$`, { dotAll: true });
  } catch {
    // A broken pattern matches only itself, like a failed Compile.
    regexp = RE2JS.compile(`^${RE2JS.quote(pattern.slice(0, 4000))}$`);
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(key, regexp);
  return regexp;
}

export function globMatch(pattern: string, value: string, separator?: string): boolean {
  return globToRegExp(pattern, separator).matches(value);
}

export function isDenyPattern(pattern: string | undefined): boolean {
  return typeof pattern === 'string' && pattern.startsWith('!');
}

/** Argo CD's globMatch(pattern, val, allowNegation=true): a deny entry matches what its pattern does not. */
export function globMatchWithNegation(pattern: string, value: string, separator?: string): boolean {
  if (isDenyPattern(pattern)) return !globMatch(pattern.slice(1), value, separator);
  return globMatch(pattern, value, separator);
}

function escapeRegExp(text: string): string {
  return RE2JS.quote(text);
}

function escapeClass(text: string): string {
  return text.replace(/[\]\\^-]/g, '\\$&');
}

// The one regex engine for patterns the repository supplies (kustomize patch targets, goTemplate
// regexMatch & co., ApplicationSet selectors, schema `pattern`s from a repository's schema folder).
// JavaScript's RegExp backtracks: `(a+)+$` against forty a's and a b takes minutes. RE2 (re2js, the
// Go engine's port) matches in time linear in the input, which is also what Argo CD and kustomize
// run, so a pattern means here what it means there.
import { RE2JS } from 're2js';

export type RepositoryRegex = RE2JS;

/** Longest pattern accepted: compiling is linear too, but a megabyte pattern is not a name matcher. */
export const MAX_PATTERN_LENGTH = 4096;

export class RepositoryRegexError extends Error {
  constructor(
    readonly pattern: string,
    reason: string,
  ) {
    super(
      `invalid regular expression ${JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern)}: ${reason}`,
    );
  }
}

export interface RepositoryRegexOptions {
  caseInsensitive?: boolean;
  /** `.` matches a newline too. */
  dotAll?: boolean;
  /** `^` and `$` match at line breaks. */
  multiline?: boolean;
}

const compiled = new Map<string, RE2JS>();

/**
 * Compiles a pattern from the repository with RE2 semantics (Go's syntax). Throws
 * RepositoryRegexError on a syntax error or an oversized pattern; compiled patterns are reused.
 * Use `.test(s)` for a search, `.matches(s)` for a whole-string match, `.exec`, `.matchAll`, `.split`.
 */
export function repositoryRegex(pattern: string, options: RepositoryRegexOptions = {}): RepositoryRegex {
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw new RepositoryRegexError(pattern, `longer than ${MAX_PATTERN_LENGTH} characters`);
  const flags =
    (options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0) |
    (options.dotAll ? RE2JS.DOTALL : 0) |
    (options.multiline ? RE2JS.MULTILINE : 0);
  const key = `${flags}/${pattern}`;
  let regex = compiled.get(key);
  if (!regex) {
    try {
      regex = RE2JS.compile(pattern, flags);
    } catch (error) {
      throw new RepositoryRegexError(pattern, (error as Error).message);
    }
    if (compiled.size > 10_000) compiled.clear(); // a repository with endless distinct patterns
    compiled.set(key, regex);
  }
  return regex;
}

/** Whether `input` matches `pattern` as a whole (anchored at both ends), as kustomize matches target names. */
export function matchesWhole(pattern: string, input: string): boolean {
  return repositoryRegex(pattern).matches(input);
}

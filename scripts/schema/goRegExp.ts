// The regex engine for the `pattern`s of our own schemas/ (the patterns of any other schema go to
// RE2 only: see validator.ts). They are written for Go's RE2, whose syntax JavaScript's RegExp partly
// rejects (`(?i)` flags, `\z`...). Native RegExp is used when it accepts the pattern (fast, same
// meaning for the common subset); re2js, a Go-compatible engine, otherwise.
import { RE2JS } from 're2js';

interface RegExpLike {
  test(input: string): boolean;
  toString(): string;
}

const compiled = new Map<string, RegExpLike>();

export function goRegExp(pattern: string, flags: string): RegExpLike {
  const key = `${flags}/${pattern}`;
  let regex = compiled.get(key);
  if (!regex) {
    try {
      regex = new RegExp(pattern, flags);
    } catch {
      const re2 = RE2JS.compile(pattern);
      // ajv shares one compiled pattern between schemas by its toString(): it must name the pattern.
      regex = { test: (input: string) => re2.matcher(input).find(), toString: () => `re2:${flags}/${pattern}` };
    }
    compiled.set(key, regex);
  }
  return regex;
}

/** How ajv's standalone code names this engine: the precompiled validators' factory argument (validator.ts). */
goRegExp.code = '__deps.goRegExp';

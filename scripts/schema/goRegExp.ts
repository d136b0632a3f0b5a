// The regex engine for schema `pattern`s. CRD schemas are written for Go's RE2, whose syntax
// JavaScript's RegExp partly rejects (`(?i)` flags, `\z`...). Native RegExp is used when it accepts
// the pattern (fast, same meaning for the common subset); re2js, a Go-compatible engine, otherwise.
import { RE2JS } from 're2js';

interface RegExpLike {
  test(input: string): boolean;
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
      regex = { test: (input: string) => re2.matcher(input).find() };
    }
    compiled.set(key, regex);
  }
  return regex;
}

/** How ajv's standalone code reaches this function (see loadStandalone in validator.ts). */
goRegExp.code = 'require("gitops-go-regexp").goRegExp';

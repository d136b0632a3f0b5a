// The one redaction step. Text that reaches a person (findings in every format, the baseline file,
// --verbose lines) may quote what a tool said about the repository, and tools quote values:
// kustomize prints secretGenerator literals and whole objects (`map[string]interface {}{...}`), URLs
// carry `user:token@`. Two layers:
//   1. values known to be in the input (every scalar of the files a failed render read, Secret data):
//      each occurrence, and its base64, becomes «redacted»;
//   2. shapes that are secrets wherever they appear: Go value dumps, URL credentials, PEM blocks, JWTs,
//      cloud and VCS tokens.
// What stays is what a person needs: the file, the line, the reason.
import { isRegExpSpace, isWordChar, schemeStart, trimEndChar, wordStartsAt } from './text.ts';

export const REDACTED = '«redacted»';

/** Values shorter than this are not redacted by value: "1", "true", "app" would shred every message. */
export const MIN_SECRET_LENGTH = 6;

/** Tokens with a published shape (the same families detect.ts reports as findings). */
const TOKEN_PATTERNS: (RegExp | ((text: string) => string))[] = [
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key id
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{22,})\b/g, // GitHub
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g, // GitLab
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g, // Slack webhook
  redactJwts, // JWT
  /\bsk_(?:live|test)_[A-Za-z0-9]{16,}\b/g, // Stripe
  /\bnpm_[A-Za-z0-9]{36}\b/g, // npm
];

/** `[A-Za-z0-9_-]`: a JWT part's base64url characters. */
function isBase64UrlChar(code: number): boolean {
  return isWordChar(code) || code === 0x2d;
}

/** The index after the run of base64url characters that starts at `from`. */
function base64UrlEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && isBase64UrlChar(text.charCodeAt(i))) i++;
  return i;
}

/**
 * What the JWT pattern `\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*` (flag g) replaced
 * by REDACTED, in linear time. The regex read the header's run to its end from every `eyJ` in it
 * (`eyJ0000000-` repeated: 41 s at 440,000 characters). Each part is the whole run of base64url
 * characters (a `.` is not one), so every `eyJ` in a header's run ends its header where the first
 * does: when the first fails, they all do (theirs are shorter), and the search goes on after the run.
 */
function redactJwts(text: string): string {
  let out = '';
  let last = 0;
  for (let start = text.indexOf('eyJ'); start >= 0;) {
    if (!wordStartsAt(text, start)) {
      start = text.indexOf('eyJ', start + 3);
      continue;
    }
    const header = base64UrlEnd(text, start + 3);
    const payload = header + 4;
    const payloadEnd =
      header - start - 3 >= 8 && text.charCodeAt(header) === 0x2e && text.startsWith('eyJ', header + 1)
        ? base64UrlEnd(text, payload)
        : -1;
    if (payloadEnd - payload < 8 || text.charCodeAt(payloadEnd) !== 0x2e) {
      start = text.indexOf('eyJ', header);
      continue;
    }
    const end = base64UrlEnd(text, payloadEnd + 1);
    out += text.slice(last, start) + REDACTED;
    last = end;
    start = text.indexOf('eyJ', end);
  }
  return out + text.slice(last);
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;

/** `[^\s/@"'<>]`: what userinfo is made of here. */
function isUserinfoChar(code: number): boolean {
  return (
    code !== 0x2f &&
    code !== 0x40 &&
    code !== 0x22 &&
    code !== 0x27 &&
    code !== 0x3c &&
    code !== 0x3e &&
    !isRegExpSpace(code)
  );
}

/**
 * `scheme://user:password@` and `scheme://token@`: the userinfo goes, the host stays. What
 * `text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi, (_, scheme) => keep(scheme))` gives, in
 * linear time: the regex read a long run of scheme characters to its end from each letter in it. Here
 * each `://` is found once, the userinfo after it is read up to the next `/` at most, and the scheme is
 * read back from it (schemeStart).
 */
function replaceUrlUserinfo(text: string, keep: (scheme: string) => string): string {
  let out = '';
  let last = 0;
  for (let slashes = text.indexOf('://'); slashes >= 0;) {
    let at = slashes + 3;
    while (at < text.length && isUserinfoChar(text.charCodeAt(at))) at++;
    const start = at > slashes + 3 && text.charCodeAt(at) === 0x40 ? schemeStart(text, slashes, last) : -1;
    if (start < 0) {
      slashes = text.indexOf('://', slashes + 1);
      continue;
    }
    out += text.slice(last, start) + keep(text.slice(start, slashes + 3));
    last = at + 1;
    slashes = text.indexOf('://', last);
  }
  return out + text.slice(last);
}

/**
 * Go's %#v and %v dumps of composite values: `map[string]interface {}{...}`, `[]interface {}{...}`,
 * `map[k:v ...]`. Each is replaced, brackets balanced and quoted strings respected; a bare type name
 * (`json: unsupported type: map[interface {}]interface {}`) stays: it is the reason.
 */
function elideGoDumps(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const next = nextDumpCandidate(text, i);
    if (next === -1) return out + text.slice(i);
    out += text.slice(i, next);
    const end = dumpEnd(text, next);
    if (end === -1) {
      out += text[next];
      i = next + 1;
    } else {
      out += '«object elided»';
      i = end;
    }
  }
  return out;
}

function nextDumpCandidate(text: string, from: number): number {
  const map = text.indexOf('map[', from);
  const slice = text.indexOf('[]', from);
  return map === -1 ? slice : slice === -1 ? map : Math.min(map, slice);
}

const GO_NAMED_TYPE = /^(?:interface \{\}|struct \{\}|\*?[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)?)/;

/** Index after a Go type expression at `i` (interface {}, string, *pkg.T, []T, map[K]V), or -1. */
function goTypeEnd(text: string, i: number): number {
  if (text.startsWith('[]', i)) return goTypeEnd(text, i + 2);
  if (text.startsWith('map[', i)) {
    const key = goTypeEnd(text, i + 4);
    if (key === -1 || text[key] !== ']') return -1;
    return goTypeEnd(text, key + 1);
  }
  const named = GO_NAMED_TYPE.exec(text.slice(i, i + 200));
  return named ? i + named[0].length : -1;
}

/** Index after a Go value dump starting at `start`, or -1 when there is none (a bare type, a plain `[]`). */
function dumpEnd(text: string, start: number): number {
  const typeEnd = goTypeEnd(text, start);
  if (typeEnd !== -1) {
    // %#v: a composite type followed by its value.
    if (text.startsWith('(nil)', typeEnd)) return typeEnd + 5;
    if (text[typeEnd] === '{') {
      const close = balanced(text, typeEnd, '{', '}');
      return close === -1 ? text.length : close + 1;
    }
    return -1;
  }
  // %v: map[key:value key:value]; an empty map[] says nothing.
  if (text.startsWith('map[', start)) {
    const close = balanced(text, start + 3, '[', ']');
    if (close > start + 4) return close + 1;
  }
  return -1;
}

/** Index of the bracket closing the one at `open`, skipping Go-quoted strings; -1 when unbalanced. */
function balanced(text: string, open: number, left: string, right: string): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === '`') {
      const quote = ch;
      for (i++; i < text.length && text[i] !== quote; i++) if (text[i] === '\\' && quote === '"') i++;
      continue;
    }
    if (ch === left) depth++;
    else if (ch === right && --depth === 0) return i;
  }
  return -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Each value, and the forms a tool may print it in (base64, JSON-quoted), longest first. */
function valueForms(secrets: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    const value = secret.trim();
    if (value.length < MIN_SECRET_LENGTH) continue;
    forms.add(value);
    forms.add(trimEndChar(Buffer.from(value, 'utf8').toString('base64'), '='));
    const quoted = JSON.stringify(value).slice(1, -1);
    if (quoted !== value) forms.add(quoted);
    // Multi-line values (files, PEM keys) are printed line by line too.
    for (const line of value.split('\n')) if (line.trim().length >= MIN_SECRET_LENGTH) forms.add(line.trim());
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

export interface RedactOptions {
  /** Values known to be in the input: the files a failed render read, Secret data. */
  secrets?: Iterable<string>;
}

/** `text` without secret values (see the header). Deterministic: the same text gives the same output. */
export function redact(text: string, options: RedactOptions = {}): string {
  return redactor(options)(text);
}

/**
 * A text can hold a secret shape only if it holds one of these: a PEM header, a Go dump's `map[` or
 * `[]`, a URL's `://` (credentials, Slack webhooks) or a token family's prefix. Most texts (a finding's
 * message) hold none, and one search spares them the dozen pattern scans.
 */
const SHAPE_HINT =
  /-----BEGIN |map\[|\[\]|:\/\/|AKIA|ASIA|AIza|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|eyJ|sk_(?:live|test)_|npm_/;

/**
 * `redact` for many texts with the same secrets (every finding of a run): the forms of the values and
 * their patterns are made once, not once per text.
 */
export function redactor(options: RedactOptions = {}): (text: string) => string {
  const forms = options.secrets
    ? valueForms(options.secrets).map((form) => ({
        form,
        // Whole tokens only: a value that is the tail of a path in the message is the path, not the value.
        pattern: new RegExp(`(?<![\\w./-])${escapeRegExp(form)}(?![\\w/-])`, 'g'),
      }))
    : [];
  return (text) => {
    let out = text;
    for (const { form, pattern } of forms) if (out.includes(form)) out = out.replace(pattern, REDACTED);
    if (!SHAPE_HINT.test(out)) return out;
    out = out.replace(PEM_BLOCK, '«PEM block elided»');
    out = elideGoDumps(out);
    out = replaceUrlUserinfo(out, (scheme) => `${scheme}${REDACTED}@`);
    for (const pattern of TOKEN_PATTERNS)
      out = typeof pattern === 'function' ? pattern(out) : out.replace(pattern, REDACTED);
    return out;
  };
}

/** The credentials of a URL removed (`https://user:token@host/x` → `https://host/x`), for printing repoURLs. */
export function withoutUrlCredentials(url: string): string {
  return replaceUrlUserinfo(url, (scheme) => scheme);
}

/**
 * Every scalar value of a parsed YAML/JSON document, as text: what a tool reading that document may
 * quote back. Keys are kept out (they name things; they are what a person needs to find the problem).
 */
export function scalarValues(doc: unknown, into: Set<string> = new Set()): Set<string> {
  const stack: unknown[] = [doc];
  let budget = 200_000; // a document with a million scalars still finishes
  while (stack.length > 0 && budget-- > 0) {
    const value = stack.pop();
    if (typeof value === 'string') into.add(value);
    else if (typeof value === 'number' || typeof value === 'bigint') into.add(String(value));
    else if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (value && typeof value === 'object')
      for (const item of Object.values(value as Record<string, unknown>)) stack.push(item);
  }
  return into;
}

/** Values of a dotenv-style file (`KEY=value` lines), and its whole text (a generator `files` entry). */
export function envFileValues(text: string, into: Set<string> = new Set()): Set<string> {
  into.add(text);
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) into.add(line.slice(eq + 1));
    else if (line.trim()) into.add(line);
  }
  return into;
}

// Go's template builtins and the Sprig functions Argo CD offers to goTemplate ApplicationSets
// (Argo CD registers Sprig's text functions minus env, expandenv and getHostByName, and adds
// normalize, toYaml, fromYaml and fromYamlArray). Argument order follows Sprig: the value a
// pipeline passes in is the last argument, so `.x | trimPrefix "a"` is trimPrefix("a", .x).
import { createHash } from 'node:crypto';
import path from 'node:path';
import yaml from 'js-yaml';
import { BudgetExceeded, EXPANSION_LIMITS } from '../budget.ts';
import { parseGoYaml } from '../go-yaml.ts';
import { findAllString, findString, matchString, replaceAll, split } from './go-regexp.ts';
import { formatNumber, goTypeName, isMap, isTrue, printValue } from './values.ts';
import { largest, smallest } from '../../lists.ts';

export type TemplateFunction = (...args: unknown[]) => unknown;

const str = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? value : printValue(value);
const int = (value: unknown): number => {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(value)) return Math.trunc(Number(value));
  return 0;
};
const list = (value: unknown): unknown[] => {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  throw new Error(`cannot use type ${goTypeName(value)} as a list`);
};
const dict = (value: unknown): Record<string, unknown> => {
  if (isMap(value)) return value;
  throw new Error(`cannot use type ${goTypeName(value)} as a dict`);
};
/** Sprig's `empty`: the zero value of its type. */
const isEmpty = (value: unknown): boolean => !isTrue(value);

/** Argo CD's utils.SanitizeName: a valid Kubernetes name from any string. */
export function normalizeName(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^-a-z0-9.]/gu, '-')
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, '');
}

function compare(name: string, a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`incompatible types for comparison in ${name}`);
}

function basicEqual(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  const basic = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);
  if (!basic(a) || !basic(b)) throw new Error('non-comparable type');
  if (typeof a !== typeof b) throw new Error('incompatible types for comparison');
  return a === b;
}

/** Go's fmt.Sprintf for the verbs templates use: %s %v %d %q %t %x %X %f %e %g %%, with flags, width and precision. */
export function sprintf(format: string, ...args: unknown[]): string {
  let index = 0;
  return format.replace(
    // The width starts past the flags (a 0 is a flag): [1-9]\d* where \d+ read `%000…` in quadratic time
    /%([-+# 0]*)([1-9]\d*)?(?:\.(\d+))?([a-zA-Z%])/g,
    (_whole, flags: string, width: string | undefined, precision: string | undefined, verb: string) => {
      if (verb === '%') return '%';
      if (index >= args.length) return `%!${verb}(MISSING)`;
      const arg = args[index++];
      let out: string;
      switch (verb) {
        case 's':
        case 'v':
          out = printValue(arg);
          if (precision !== undefined && verb === 's') out = out.slice(0, Number(precision));
          break;
        case 'q':
          out = JSON.stringify(str(arg));
          break;
        case 'd':
          out = typeof arg === 'number' ? String(Math.trunc(arg)) : `%!d(${goTypeName(arg)}=${printValue(arg)})`;
          if (flags.includes('+') && typeof arg === 'number' && arg >= 0) out = `+${out}`;
          break;
        case 't':
          out = typeof arg === 'boolean' ? String(arg) : `%!t(${goTypeName(arg)}=${printValue(arg)})`;
          break;
        case 'x':
        case 'X':
          out = typeof arg === 'number' ? Math.trunc(arg).toString(16) : Buffer.from(str(arg)).toString('hex');
          if (verb === 'X') out = out.toUpperCase();
          break;
        case 'f':
        case 'F':
          out =
            typeof arg === 'number'
              ? arg.toFixed(precision === undefined ? 6 : Number(precision))
              : `%!f(${goTypeName(arg)}=${printValue(arg)})`;
          break;
        case 'e':
          out =
            typeof arg === 'number'
              ? arg.toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([-+])(\d)$/, 'e$10$2')
              : `%!e(${printValue(arg)})`;
          break;
        case 'g':
          out = typeof arg === 'number' ? formatNumber(arg) : `%!g(${printValue(arg)})`;
          break;
        default:
          return `%!${verb}(${goTypeName(arg)}=${printValue(arg)})`;
      }
      if (width !== undefined && out.length < Number(width)) {
        const pad = (flags.includes('0') && !flags.includes('-') ? '0' : ' ').repeat(Number(width) - out.length);
        out = flags.includes('-') ? out + pad : pad + out;
      }
      return out;
    },
  );
}

/** A list or string a single call would build beyond the budget is refused before it is built. */
function withinBudget(size: number, limit: number, what: string): void {
  if (size > limit) throw new BudgetExceeded(`more than ${limit} ${what} (${size})`);
}

/** Sprig's untilStep: start, start+step... while before stop; a step of 0 or the wrong sign gives []. */
function untilStep(start: number, stop: number, step: number): number[] {
  if (step === 0 || (step > 0 && start >= stop) || (step < 0 && start <= stop)) return [];
  const length = Math.ceil(Math.abs((stop - start) / step));
  withinBudget(length, EXPANSION_LIMITS.iterations, 'list elements from until');
  return Array.from({ length }, (_, i) => start + i * step);
}

function toYaml(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return yaml.dump(value, { sortKeys: true, lineWidth: -1, noRefs: true }).replace(/\n$/, '');
}

const caseWords = (s: string): string[] =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);

export const goFunctions: Record<string, TemplateFunction> = {
  // ---- Go text/template builtins (and/or are evaluated lazily by the executor)
  not: (value) => !isTrue(value),
  eq: (a, ...rest) => {
    if (rest.length === 0) throw new Error('missing argument for comparison');
    return rest.some((b) => basicEqual(a, b));
  },
  ne: (a, b) => !basicEqual(a, b),
  lt: (a, b) => compare('lt', a, b) < 0,
  le: (a, b) => compare('le', a, b) <= 0,
  gt: (a, b) => compare('gt', a, b) > 0,
  ge: (a, b) => compare('ge', a, b) >= 0,
  len: (value) => {
    if (typeof value === 'string' || Array.isArray(value)) return value.length;
    if (isMap(value)) return Object.keys(value).length;
    throw new Error(`len of type ${goTypeName(value)}`);
  },
  index: (value, ...keys) => {
    let current = value;
    for (const key of keys) {
      if (Array.isArray(current) || typeof current === 'string') {
        if (typeof key !== 'number') throw new Error(`cannot index slice/array with type ${goTypeName(key)}`);
        if (key < 0 || key >= current.length) throw new Error(`index out of range: ${key}`);
        current = Array.isArray(current) ? current[key] : current.charCodeAt(key);
      } else if (isMap(current)) {
        current = Object.prototype.hasOwnProperty.call(current, String(key)) ? current[String(key)] : null;
      } else if (current === null || current === undefined) {
        throw new Error('index of untyped nil');
      } else {
        throw new Error(`can't index item of type ${goTypeName(current)}`);
      }
    }
    return current;
  },
  slice: (value, ...indexes) => {
    if (typeof value !== 'string' && !Array.isArray(value))
      throw new Error(`can't slice item of type ${goTypeName(value)}`);
    const [start = 0, end = value.length] = indexes.map(int);
    if (start < 0 || end > value.length || start > end) throw new Error(`slice indexes out of range: ${start}:${end}`);
    return value.slice(start, end);
  },
  print: (...args) =>
    args
      .map(
        (arg, i) => (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') + printValue(arg),
      )
      .join(''),
  printf: (format, ...args) => sprintf(str(format), ...args),
  println: (...args) => `${args.map(printValue).join(' ')}\n`,
  html: (value) =>
    str(value)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&#34;')
      .replace(/'/g, '&#39;'),
  urlquery: (...args) => encodeURIComponent(args.map(str).join('')).replace(/%20/g, '+'),
  js: (value) => JSON.stringify(str(value)).slice(1, -1).replace(/'/g, "\\'"),

  // ---- Sprig: strings
  lower: (s) => str(s).toLowerCase(),
  upper: (s) => str(s).toUpperCase(),
  title: (s) => str(s).replace(/(^|[^A-Za-z0-9])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase()),
  untitle: (s) => str(s).replace(/(^|\s)([A-Z])/g, (_m, sep: string, c: string) => sep + c.toLowerCase()),
  trim: (s) => str(s).trim(),
  trimAll: (cutset, s) => {
    const chars = new Set(str(cutset));
    let text = str(s);
    while (text && chars.has(text[0])) text = text.slice(1);
    while (text && chars.has(text[text.length - 1])) text = text.slice(0, -1);
    return text;
  },
  trimPrefix: (prefix, s) => (str(s).startsWith(str(prefix)) ? str(s).slice(str(prefix).length) : str(s)),
  trimSuffix: (suffix, s) =>
    str(suffix) && str(s).endsWith(str(suffix)) ? str(s).slice(0, -str(suffix).length) : str(s),
  replace: (oldText, newText, s) => str(s).split(str(oldText)).join(str(newText)),
  contains: (substr, s) => str(s).includes(str(substr)),
  hasPrefix: (prefix, s) => str(s).startsWith(str(prefix)),
  hasSuffix: (suffix, s) => str(s).endsWith(str(suffix)),
  repeat: (count, s) => {
    const times = Math.max(0, int(count));
    withinBudget(times * str(s).length, EXPANSION_LIMITS.outputChars, 'characters from repeat');
    return str(s).repeat(times);
  },
  substr: (start, end, s) => {
    const text = str(s);
    const from = int(start);
    const to = int(end);
    if (from < 0) return text.slice(0, to);
    if (to < 0 || to > text.length) return text.slice(from);
    return text.slice(from, to);
  },
  trunc: (length, s) => {
    const n = int(length);
    const text = str(s);
    return n >= 0 ? text.slice(0, n) : text.slice(Math.max(0, text.length + n));
  },
  nospace: (s) => str(s).replace(/\s+/g, ''),
  quote: (...args) =>
    args
      .filter((arg) => arg !== null)
      .map((arg) => JSON.stringify(str(arg)))
      .join(' '),
  squote: (...args) =>
    args
      .filter((arg) => arg !== null)
      .map((arg) => `'${str(arg)}'`)
      .join(' '),
  cat: (...args) =>
    args
      .filter((arg) => arg !== null)
      .map(str)
      .join(' '),
  indent: (spaces, s) =>
    str(s)
      .split('\n')
      .map((line) => ' '.repeat(int(spaces)) + line)
      .join('\n'),
  nindent: (spaces, s) =>
    `\n${str(s)
      .split('\n')
      .map((line) => ' '.repeat(int(spaces)) + line)
      .join('\n')}`,
  splitList: (sep, s) => str(s).split(str(sep)),
  split: (sep, s) =>
    Object.fromEntries(
      str(s)
        .split(str(sep))
        .map((part, i) => [`_${i}`, part]),
    ),
  join: (sep, items) => (Array.isArray(items) ? items.map(str).join(str(sep)) : str(items)),
  toString: (value: unknown) => str(value),
  toStrings: (items) => list(items).map(str),
  kebabcase: (s) =>
    caseWords(str(s))
      .map((w) => w.toLowerCase())
      .join('-'),
  snakecase: (s) =>
    caseWords(str(s))
      .map((w) => w.toLowerCase())
      .join('_'),
  camelcase: (s) =>
    caseWords(str(s))
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(''),
  // Go's regexp (RE2) semantics on re2js: linear time whatever the repository's pattern. Sprig's
  // regexMatch ignores a bad pattern (false); the others panic, which text/template reports as an error.
  regexMatch: (regex, s) => {
    try {
      return matchString(str(regex), str(s));
    } catch {
      return false;
    }
  },
  mustRegexMatch: (regex, s) => matchString(str(regex), str(s)),
  regexFind: (regex, s) => findString(str(regex), str(s)),
  mustRegexFind: (regex, s) => findString(str(regex), str(s)),
  regexFindAll: (regex, s, n) => findAllString(str(regex), str(s), int(n)),
  mustRegexFindAll: (regex, s, n) => findAllString(str(regex), str(s), int(n)),
  regexReplaceAll: (regex, s, repl) => replaceAll(str(regex), str(s), str(repl), false),
  mustRegexReplaceAll: (regex, s, repl) => replaceAll(str(regex), str(s), str(repl), false),
  regexReplaceAllLiteral: (regex, s, repl) => replaceAll(str(regex), str(s), str(repl), true),
  mustRegexReplaceAllLiteral: (regex, s, repl) => replaceAll(str(regex), str(s), str(repl), true),
  regexSplit: (regex, s, n) => split(str(regex), str(s), int(n)),
  mustRegexSplit: (regex, s, n) => split(str(regex), str(s), int(n)),
  regexQuoteMeta: (s) => str(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'),
  sha256sum: (s) => createHash('sha256').update(str(s)).digest('hex'),
  sha1sum: (s) => createHash('sha1').update(str(s)).digest('hex'),
  b64enc: (s) => Buffer.from(str(s)).toString('base64'),
  b64dec: (s) => Buffer.from(str(s), 'base64').toString('utf8'),

  // ---- Sprig: defaults and flow
  default: (fallback, value) => (isEmpty(value) ? fallback : value),
  empty: (value) => isEmpty(value),
  coalesce: (...args) => args.find((arg: unknown) => !isEmpty(arg)) ?? null,
  ternary: (whenTrue, whenFalse, condition) => (isTrue(condition) ? whenTrue : whenFalse),
  required: (message, value) => {
    if (value === null || value === undefined || value === '') throw new Error(str(message));
    return value;
  },
  fail: (message) => {
    throw new Error(str(message));
  },

  // ---- Sprig: lists and dicts
  list: (...items) => items,
  tuple: (...items) => items,
  first: (items) => list(items)[0] ?? null,
  last: (items) => list(items)[list(items).length - 1] ?? null,
  rest: (items) => list(items).slice(1),
  initial: (items) => list(items).slice(0, -1),
  append: (items, value) => [...list(items), value],
  push: (items, value) => [...list(items), value],
  prepend: (items, value) => [value, ...list(items)],
  concat: (...lists) => lists.flatMap(list),
  reverse: (items) => [...list(items)].reverse(),
  uniq: (items) =>
    list(items).filter((item, i, all) => all.findIndex((other) => printValue(other) === printValue(item)) === i),
  compact: (items) => list(items).filter((item) => !isEmpty(item)),
  has: (needle, items) => list(items).some((item) => printValue(item) === printValue(needle)),
  without: (items, ...remove) => list(items).filter((item) => !remove.some((r) => printValue(r) === printValue(item))),
  sortAlpha: (items) => list(items).map(str).sort(),
  until: (count) => untilStep(0, int(count), int(count) >= 0 ? 1 : -1),
  untilStep: (start, stop, step) => untilStep(int(start), int(stop), int(step)),
  dict: (...pairs) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < pairs.length; i += 2) out[str(pairs[i])] = pairs[i + 1] ?? '';
    return out;
  },
  get: (map, key) => (Object.prototype.hasOwnProperty.call(dict(map), str(key)) ? dict(map)[str(key)] : ''),
  hasKey: (map, key) => Object.prototype.hasOwnProperty.call(dict(map), str(key)),
  keys: (...maps) => maps.flatMap((map) => Object.keys(dict(map))).sort(),
  values: (map) =>
    Object.keys(dict(map))
      .sort()
      .map((key: string) => dict(map)[key]),
  pick: (map, ...names) =>
    Object.fromEntries(Object.entries(dict(map)).filter(([key]) => names.map(str).includes(key))),
  omit: (map, ...names) =>
    Object.fromEntries(Object.entries(dict(map)).filter(([key]) => !names.map(str).includes(key))),
  merge: (target, ...sources) => {
    const out = structuredClone(dict(target));
    for (const source of sources)
      for (const [key, value] of Object.entries(dict(source))) if (!(key in out)) out[key] = value;
    return out;
  },

  // ---- Sprig: numbers
  add: (...values) => values.reduce<number>((sum, value) => sum + int(value), 0),
  add1: (value) => int(value) + 1,
  sub: (a, b) => int(a) - int(b),
  mul: (...values) => values.reduce<number>((product, value) => product * int(value), 1),
  div: (a, b) => {
    if (int(b) === 0) throw new Error('integer divide by zero');
    return Math.trunc(int(a) / int(b));
  },
  mod: (a, b) => {
    if (int(b) === 0) throw new Error('integer divide by zero');
    return int(a) % int(b);
  },
  max: (...values) => largest(values.map(int)),
  min: (...values) => smallest(values.map(int)),
  int: (value) => int(value),
  int64: (value) => int(value),
  atoi: (value) => int(value),
  float64: (value) => Number(value) || 0,
  floor: (value) => Math.floor(Number(value) || 0),
  ceil: (value) => Math.ceil(Number(value) || 0),

  // ---- Sprig: paths
  base: (p) => path.posix.basename(str(p)) || '.',
  dir: (p) => path.posix.dirname(str(p)),
  ext: (p) => path.posix.extname(str(p)),
  clean: (p) => path.posix.normalize(str(p)).replace(/(.)\/$/, '$1'),
  isAbs: (p) => str(p).startsWith('/'),

  // ---- Sprig: encodings, and Argo CD's own additions
  toJson: (value) => JSON.stringify(value ?? null),
  toRawJson: (value) => JSON.stringify(value ?? null),
  toPrettyJson: (value) => JSON.stringify(value ?? null, null, 2),
  fromJson: (s) => {
    try {
      return JSON.parse(str(s));
    } catch {
      return {};
    }
  },
  toYaml: (value) => toYaml(value),
  // Argo CD's fromYAML/fromYAMLArray (applicationset/utils/template_functions.go): sigs.k8s.io/yaml,
  // so an empty string is an empty map or list, and an alias bomb is an error, not gigabytes.
  fromYaml: (s) => {
    const value = parseGoYaml(str(s));
    if (value === undefined || value === null) return {};
    if (!isMap(value)) throw new Error('error unmarshaling JSON: cannot unmarshal into map[string]interface {}');
    return value;
  },
  fromYamlArray: (s) => {
    const value = parseGoYaml(str(s));
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new Error('error unmarshaling JSON: cannot unmarshal into []interface {}');
    return value;
  },
  normalize: (s) => normalizeName(str(s)),
};

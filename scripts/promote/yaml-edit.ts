// Edits one value of a YAML file a person wrote and leaves every other byte as it was: comments, key
// order, quoting, flow or block style, blank lines. The `yaml` package's Document gives each node's
// source range; an edit splices new text into the original at that range (or inserts a key at the end of
// its mapping, indented like its siblings). Re-serialising the document instead would reflow the file, as
// `kustomize edit set image` does (kustomize #2310, #4481). Every edit is verified: the edited text must
// parse, and must read back as the old data with exactly that one change; otherwise the edit is refused
// with the reason, and the file is left alone.
import { isDeepStrictEqual } from 'node:util';
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  stringify,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { JsonPath } from '../types.ts';

/** The file cannot be edited safely: the message says why and what to do. */
export class EditRefused extends Error {}

type Value = string | number | boolean | Record<string, unknown> | unknown[];

const PARSE = { uniqueKeys: true, keepSourceTokens: false } as const;

export class YamlEditor {
  private current: string;

  constructor(
    text: string,
    readonly file: string,
  ) {
    this.current = text;
    const document = this.parse(text);
    if (document.contents === null) throw new EditRefused(`${file} is empty: there is nothing to edit`);
  }

  get text(): string {
    return this.current;
  }

  /** The data the file holds now. */
  data(): unknown {
    return this.parse(this.current).toJS({ maxAliasCount: 100 });
  }

  private parse(text: string): Document {
    const document = parseDocument(text, PARSE);
    const problem = [...document.errors, ...document.warnings][0];
    if (problem)
      throw new EditRefused(`${this.file} does not parse as YAML (${problem.message.split('\n')[0]}): fix it first`);
    return document;
  }

  /** Sets the value at `path`, creating the mappings on the way that do not exist yet. */
  set(path: JsonPath, value: Value): void {
    const document = this.parse(this.current);
    const expected = withValue(document.toJS({ maxAliasCount: 100 }), path, value);
    const { node, depth, parent } = descend(document, path, this.file);
    let edited: string;
    if (depth === path.length && node && isScalar(node)) {
      if (isPlainObject(value) || Array.isArray(value))
        throw new EditRefused(`${this.file}: ${label(path)} is a single value, not a mapping or list: edit it by hand`);
      edited = splice(this.current, rangeOf(node, this.file, path), scalarText(value, node.type));
    } else if (depth === path.length && node && isMap(node) && isPlainObject(value)) {
      // Set leaf by leaf, so the mapping keeps its own layout.
      for (const [key, item] of Object.entries(value)) this.set([...path, key], item as Value);
      return;
    } else if (depth === path.length) {
      throw new EditRefused(`${this.file}: ${label(path)} has a shape the edit does not expect: edit it by hand`);
    } else if (parent && isMap(parent)) {
      const rest = path.slice(depth);
      const nested = rest.slice(1).reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
      edited = insertPair(this.current, parent, String(rest[0]), nested, this.file, path.slice(0, depth));
    } else {
      throw new EditRefused(
        `${this.file}: ${label(path.slice(0, depth))} is not a mapping, so ${label(path)} cannot be added: edit it by hand`,
      );
    }
    this.commit(edited, expected, path);
  }

  /** Appends an item to the list at `path` (the list must exist). */
  append(path: JsonPath, value: Value): void {
    const document = this.parse(this.current);
    const data = document.toJS({ maxAliasCount: 100 });
    const list = valueAt(data, path);
    if (!Array.isArray(list)) throw new EditRefused(`${this.file}: ${label(path)} is not a list`);
    const expected = withValue(data, path, [...list, value]);
    const { node, depth } = descend(document, path, this.file);
    if (depth !== path.length || !node || !isSeq(node))
      throw new EditRefused(`${this.file}: ${label(path)} is not a list: edit it by hand`);
    this.commit(appendItem(this.current, node, value, this.file, path), expected, path);
  }

  /** Removes the key at `path` from its mapping. */
  delete(path: JsonPath): void {
    const document = this.parse(this.current);
    const expected = withoutKey(document.toJS({ maxAliasCount: 100 }), path);
    const { depth, parent } = descend(document, path, this.file);
    if (depth !== path.length || !parent || !isMap(parent)) return;
    const pair = parent.items.find((item) => isPair(item) && keyOf(item) === String(path[path.length - 1]));
    if (!pair) return;
    this.commit(removePair(this.current, parent, pair as Pair, this.file, path), expected, path);
  }

  /** Replaces the key at `path` by `key` with `value`, in place (for swapping newTag and digest). */
  rename(path: JsonPath, key: string, value: Value): void {
    const document = this.parse(this.current);
    const data = document.toJS({ maxAliasCount: 100 });
    const expected = withValue(withoutKey(data, path), [...path.slice(0, -1), key], value);
    const { depth, parent } = descend(document, path, this.file);
    const pair =
      depth === path.length && parent && isMap(parent)
        ? parent.items.find((item) => isPair(item) && keyOf(item) === String(path[path.length - 1]))
        : undefined;
    if (!pair || !isScalar(pair.key) || !isScalar(pair.value))
      throw new EditRefused(`${this.file}: ${label(path)} is not a single value: edit it by hand`);
    // The later range first, so the earlier one's offsets still hold.
    let edited = splice(this.current, rangeOf(pair.value, this.file, path), scalarText(value, pair.value.type));
    edited = splice(edited, rangeOf(pair.key, this.file, path), scalarText(key, pair.key.type));
    this.commit(edited, expected, path);
  }

  private commit(edited: string, expected: unknown, path: JsonPath): void {
    let actual: unknown;
    try {
      actual = this.parse(edited).toJS({ maxAliasCount: 100 });
    } catch {
      actual = Symbol('unparsable');
    }
    if (!isDeepStrictEqual(actual, expected))
      throw new EditRefused(
        `${this.file}: editing ${label(path)} in place would change more than that value (the file's layout around it is unusual): edit it by hand`,
      );
    this.current = edited;
  }
}

// ---- locating ---------------------------------------------------------------------------------

interface Descent {
  /** The node at path[0..depth), or undefined when path is empty and the document has no content. */
  node: Node | undefined;
  /** How many path segments exist. */
  depth: number;
  /** The collection holding the node at path[depth] (missing when depth < path.length). */
  parent: Node | undefined;
}

function descend(document: Document, path: JsonPath, file: string): Descent {
  let node = document.contents as Node | null;
  if (!node) throw new EditRefused(`${file} is empty`);
  let holder: Node | undefined;
  for (let depth = 0; depth < path.length; depth++) {
    if (isAlias(node) || node.anchor)
      throw new EditRefused(
        `${file}: ${label(path.slice(0, depth))} is a YAML ${isAlias(node) ? 'alias' : 'anchor'}: an edit there would change other places too. Edit it by hand`,
      );
    const key = path[depth];
    let child: unknown;
    if (isMap(node)) {
      if (node.items.some((item) => isScalar(item.key) && item.key.value === '<<'))
        throw new EditRefused(`${file}: ${label(path.slice(0, depth))} uses a YAML merge key (<<): edit it by hand`);
      child = node.get(key, true);
    } else if (isSeq(node) && typeof key === 'number') {
      child = node.get(key, true);
    } else {
      throw new EditRefused(`${file}: ${label(path.slice(0, depth))} is not a mapping or list: edit it by hand`);
    }
    if (child === undefined || child === null) return { node: undefined, depth, parent: node };
    holder = node;
    node = child as Node;
  }
  if (isAlias(node) || node.anchor)
    throw new EditRefused(
      `${file}: ${label(path)} is a YAML ${isAlias(node) ? 'alias' : 'anchor'}: an edit there would change other places too. Edit it by hand`,
    );
  return { node, depth: path.length, parent: holder };
}

function rangeOf(node: Node, file: string, path: JsonPath): [number, number] {
  if (!node.range) throw new EditRefused(`${file}: ${label(path)} has no position in the file: edit it by hand`);
  return [node.range[0], node.range[1]];
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

// ---- text -------------------------------------------------------------------------------------

function splice(text: string, [start, end]: [number, number], replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end);
}

/** A scalar as YAML text, in the original's quoting when that reads back the same; quoted when plain would not. */
function scalarText(value: Value, style?: string): string {
  if (typeof value === 'string') {
    if (style === 'QUOTE_DOUBLE') return JSON.stringify(value);
    if (style === 'QUOTE_SINGLE' && !value.includes('\n')) return `'${value.replace(/'/g, "''")}'`;
  }
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}

/** Flow YAML for a value inserted into a flow collection. */
function flowText(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).replace(/\n$/, '');
}

/**
 * `key: value` as block YAML lines, a mapping of plain values written inline the way people write
 * them in gitops.yaml (`replicas: { min: 2, max: 4 }`), deeper mappings as blocks.
 */
function blockLines(key: string, value: unknown): string[] {
  const keyText = scalarText(key);
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    if (Object.values(value).every((item) => !isPlainObject(item) && !Array.isArray(item)))
      return [`${keyText}: ${flowText(value)}`];
    return [
      `${keyText}:`,
      ...Object.entries(value).flatMap(([child, item]) => blockLines(child, item).map((line) => `  ${line}`)),
    ];
  }
  return stringify({ [key]: value }, { lineWidth: 0 })
    .replace(/\n$/, '')
    .split('\n');
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Where the line holding the last non-blank character before `offset` ends. */
function endOfContentLine(text: string, offset: number): number {
  let position = offset;
  while (position > 0 && /\s/.test(text[position - 1])) position--;
  const newline = text.indexOf('\n', position);
  if (newline === -1) return text.length;
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}

function newlineOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function insertPair(text: string, map: YAMLMap, key: string, value: unknown, file: string, mapPath: JsonPath): string {
  const range = rangeOf(map as unknown as Node, file, mapPath);
  if (map.flow) {
    const close = text.lastIndexOf('}', range[1]);
    if (close < range[0])
      throw new EditRefused(`${file}: ${label(mapPath)} is an unusual flow mapping: edit it by hand`);
    const inner = text.slice(range[0] + 1, close);
    const entry = `${key}: ${flowText(value)}`;
    if (inner.trim() === '') return splice(text, [range[0] + 1, close], ` ${entry} `);
    const end = range[0] + 1 + inner.trimEnd().length;
    const trailingComma = text[end - 1] === ',';
    return splice(text, [end, end], `${trailingComma ? ' ' : ', '}${entry}`);
  }
  const pairs = map.items.filter(isPair);
  const first = pairs[0];
  const last = pairs[pairs.length - 1];
  if (!first || !isScalar(first.key) || !first.key.range)
    throw new EditRefused(`${file}: ${label(mapPath)} is an empty block mapping: edit it by hand`);
  const indent = ' '.repeat(column(text, first.key.range[0]));
  const lastEnd = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range?.[1] ?? range[1];
  const at = endOfContentLine(text, lastEnd);
  const block = blockLines(key, value)
    .map((line) => `${indent}${line}`)
    .join('\n');
  const newline = newlineOf(text);
  return splice(text, [at, at], `${newline}${block.split('\n').join(newline)}`);
}

function appendItem(
  text: string,
  seq: Node & { items: unknown[]; flow?: boolean },
  value: unknown,
  file: string,
  path: JsonPath,
): string {
  const range = rangeOf(seq, file, path);
  if (seq.flow) {
    const close = text.lastIndexOf(']', range[1]);
    const inner = text.slice(range[0] + 1, close);
    const entry = flowText(value);
    if (inner.trim() === '') return splice(text, [range[0] + 1, close], entry);
    const end = range[0] + 1 + inner.trimEnd().length;
    return splice(text, [end, end], `, ${entry}`);
  }
  const items = seq.items as Node[];
  const first = items[0];
  const last = items[items.length - 1];
  if (!first?.range || !last?.range)
    throw new EditRefused(`${file}: ${label(path)} is an empty block list: edit it by hand`);
  // The dash sits two columns before a block mapping item's first key; a scalar item starts after "- ".
  const dash = text.lastIndexOf('-', first.range[0]);
  const indent = ' '.repeat(column(text, dash));
  const at = endOfContentLine(text, last.range[1]);
  const lines = stringify([value], { lineWidth: 0 }).replace(/\n$/, '').split('\n');
  const newline = newlineOf(text);
  return splice(text, [at, at], `${newline}${lines.map((line) => `${indent}${line}`).join(newline)}`);
}

function removePair(text: string, map: YAMLMap, pair: Pair, file: string, path: JsonPath): string {
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  if (!key.range) throw new EditRefused(`${file}: ${label(path)} has no position: edit it by hand`);
  if (map.items.length < 2)
    throw new EditRefused(`${file}: ${label(path)} is the only key of its mapping: edit it by hand`);
  const end = value?.range?.[1] ?? key.range[1];
  if (map.flow) {
    const index = map.items.indexOf(pair);
    if (index < map.items.length - 1) {
      const next = (map.items[index + 1].key as Node).range?.[0] ?? end;
      return splice(text, [key.range[0], next], '');
    }
    const previousEnd =
      (map.items[index - 1].value as Node | null)?.range?.[1] ?? (map.items[index - 1].key as Node).range?.[1] ?? 0;
    return splice(text, [previousEnd, end], '');
  }
  const start = lineStart(text, key.range[0]);
  if (text.slice(start, key.range[0]).trim() !== '')
    throw new EditRefused(`${file}: ${label(path)} shares its line with other content: edit it by hand`);
  const stop = endOfContentLine(text, end);
  return splice(text, [start, Math.min(text.length, stop + newlineOf(text).length)], '');
}

// ---- data -------------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(data: unknown, path: JsonPath): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function withValue(data: unknown, path: JsonPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  if (Array.isArray(data) && typeof key === 'number') {
    const copy = [...data];
    copy[key] = withValue(copy[key], rest, value);
    return copy;
  }
  const object = isPlainObject(data) ? data : {};
  return { ...object, [key]: withValue(object[key], rest, value) };
}

function withoutKey(data: unknown, path: JsonPath): unknown {
  const parentPath = path.slice(0, -1);
  const parent = valueAt(data, parentPath);
  if (!isPlainObject(parent)) return data;
  const { [String(path[path.length - 1])]: _removed, ...rest } = parent;
  return withValue(data, parentPath, rest);
}

export function label(path: JsonPath): string {
  return (
    path.reduce<string>(
      (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : String(key)),
      '',
    ) || 'the top level'
  );
}

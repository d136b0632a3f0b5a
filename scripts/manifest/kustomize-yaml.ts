// A fast path for the YAML kustomize writes, and most people write. kustomize's encoder emits one
// narrow dialect: block mappings and sequences, plain or simply quoted scalars, `|` blocks, `[]` and
// `{}`; hand-written manifests add whole-line comments and blank lines, `>` blocks, flow
// collections on one line (`drop: [ALL]`, `labels: {app: web}`; a line of their own too: a root
// `{}`, `annotations:` over `  {}`), comments after a value,
// trailing spaces (cut outside `|` blocks, whose content they are) and plain scalars over several
// lines (`description: a long` / `  text`), also read here. Parsing just that dialect line by line
// is several times faster than a general parser, and parsing is the hot path (npm run bench).
// Anything outside the dialect (flow collections over several lines, anchors, tags, escapes, a
// plain scalar's line that might be more than text, ambiguous numbers) makes
// `parseKustomizeDocument` return undefined, and the caller parses that document with a general
// parser (js-yaml for rendered output, the `yaml` package for source files). Values resolve as
// js-yaml's CORE_SCHEMA would; test/kustomize-yaml.test.ts compares the two on every rendered
// corpus stream, test/manifest-source.test.ts and test/manifest-dialect.test.ts compare values and
// `locateInDocument` with the `yaml` package on every corpus file, and test/integration/fuzz.test.ts
// does both on generated texts.

import { StringTable } from '../strings.ts';

type Value = unknown;
interface Line {
  indent: number;
  text: string; // without indentation
  /** A whole-line comment: nothing outside a block scalar, content inside one. */
  comment: boolean;
  /**
   * The line as written (without indentation) when `text` had a comment after the content or
   * trailing spaces cut from it, which are no part of a value outside a `|` block and content inside
   * one; for a blank line, the spaces it held. Otherwise undefined.
   */
  raw: string | undefined;
}

const FALLBACK = Symbol('fallback');
/** The indent of a blank line: lower than any real one, so collections end there. */
const BLANK = -1;

class Fallback extends Error {}

function fail(): never {
  throw new Fallback();
}

/** What YAML forbids in a stream (js-yaml's set): control characters and lone surrogates. kustomize escapes them. */
const NON_PRINTABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/** Parses one document (no `---` lines) or returns undefined when it is outside the dialect. */
export function parseKustomizeDocument(text: string): Value | undefined {
  return parseDialectDocument(text)?.value;
}

/**
 * The same, with the 0-based line (in `text`) where the content starts; `firstLine` is undefined for
 * a document of blank lines and comments only (its value is null).
 */
export function parseDialectDocument(text: string): { value: Value; firstLine?: number } | undefined {
  if (NON_PRINTABLE.test(text)) return undefined; // js-yaml refuses the stream, with its line
  const lines = splitLines(text);
  if (lines === undefined) return undefined;
  try {
    const parser = new Parser(lines);
    parser.skip();
    if (parser.pos === lines.length) return { value: null };
    const firstLine = parser.pos;
    const value = parser.node(lines[firstLine].indent);
    parser.skip();
    if (parser.pos !== lines.length || value === FALLBACK) return undefined;
    return { value, firstLine };
  } catch (error) {
    if (error instanceof Fallback) return undefined;
    throw error;
  }
}

/** A place in a document: 0-based line and column. */
export interface DocumentPosition {
  line: number;
  column: number;
}

/**
 * Where the node at `path` starts in a document `parseDialectDocument` read (the key of a mapping
 * entry, the start of a sequence item); for a path that leaves the document, where its deepest
 * existing ancestor starts: the same places the `yaml` package's node ranges give. Scanning the
 * text again on demand (only for findings) keeps no position table for the many resources that
 * have none.
 */
export function locateInDocument(text: string, path: readonly (string | number)[]): DocumentPosition {
  const lines = lineTableOf(text);
  const first = nextStructural(lines, 0);
  if (first === lines.count) return { line: 0, column: 0 };
  // The findings of one resource come one after another and share the start of their paths (the
  // container, its securityContext): the walk resumes after the keys the previous locate resolved.
  const { keys, steps } = lines.walked;
  let known = 0;
  while (known < steps.length && known < path.length && keys[known] === path[known]) known++;
  let at: DocumentPosition = known > 0 ? steps[known - 1].at : { line: first, column: lines.indent[first] };
  let node: DocumentPosition | undefined = known > 0 ? steps[known - 1].node : at; // undefined for a scalar
  keys.length = known;
  steps.length = known;
  for (let i = known; i < path.length; i++) {
    if (!node) return at;
    const key = path[i];
    const from = lines.start[node.line] + node.column;
    const found: Located | undefined =
      lines.text.charCodeAt(from) === 91 /* [ */ || lines.text.charCodeAt(from) === 123 /* { */
        ? flowEntry(lines, node, key)
        : isItemAt(lines, node.line, from)
          ? typeof key === 'number'
            ? sequenceItem(lines, node, key)
            : undefined
          : mappingEntry(lines, node, String(key));
    if (!found) return at;
    ({ at, node } = found);
    keys.push(key);
    steps.push(found);
  }
  return at;
}

/**
 * A document's lines as offsets into its text, for the locator: where each line starts and ends and
 * its indent (SKIP for blank and comment lines, which the locator steps over). No string or object
 * per line: the locator runs for every resource with a finding, and splitting its document into line
 * objects again was a third of locating (and garbage the size of the document per resource).
 */
interface LineTable {
  text: string;
  count: number;
  // Plain arrays of small integers: a typed array per document costs more to make than the scan.
  start: number[];
  /** Exclusive, without the newline. */
  end: number[];
  indent: number[];
  /** The keys the last locate in this document resolved, and where each led. */
  walked: { keys: (string | number)[]; steps: Located[] };
}

/** The indent of a line the locator steps over: a blank line or a whole-line comment. */
const SKIP = -1;

function lineTable(text: string): LineTable {
  const start: number[] = [];
  const end: number[] = [];
  const indent: number[] = [];
  const contentEndOf = contentEnds(text);
  for (let from = 0; from < text.length;) {
    let to = text.indexOf('\n', from);
    if (to === -1) to = text.length;
    let spaces = from;
    while (spaces < to && text.charCodeAt(spaces) === 32) spaces++;
    const skip = spaces === to || text.charCodeAt(spaces) === 35; /* # */
    start.push(from);
    // A comment after the content and the spaces before it are no part of what the locator reads.
    end.push(skip ? to : contentEndOf(spaces, to));
    indent.push(skip ? SKIP : spaces - from);
    from = to + 1;
  }
  return { text, count: start.length, start, end, indent, walked: { keys: [], steps: [] } };
}

// The engine runs every rule on one resource before the next, so a resource's findings ask about the
// same document one after another: its table is kept until another document is asked about.
let lastTable: LineTable | undefined;

function lineTableOf(text: string): LineTable {
  if (lastTable?.text !== text) lastTable = lineTable(text);
  return lastTable;
}

interface Located {
  at: DocumentPosition;
  node: DocumentPosition | undefined;
}

function nextStructural(lines: LineTable, from: number): number {
  let i = from;
  while (i < lines.count && lines.indent[i] === SKIP) i++;
  return i;
}

/** Whether the line's text from offset `from` is a sequence item: `- ...` or a bare `-`. */
function isItemAt(lines: LineTable, i: number, from: number): boolean {
  const { text } = lines;
  if (text.charCodeAt(from) !== 45 /* - */) return false;
  return from + 1 === lines.end[i] || text.charCodeAt(from + 1) === 32;
}

/** The entry `key` of the mapping whose keys start at `map.column` (its first key at `map`). */
function mappingEntry(lines: LineTable, map: DocumentPosition, key: string): Located | undefined {
  const { text } = lines;
  const column = map.column;
  for (let i = map.line; i < lines.count; i = nextStructural(lines, i + 1)) {
    const indent = lines.indent[i];
    const from = lines.start[i] + column;
    if (i !== map.line) {
      if (indent < column) return undefined;
      if (indent > column || isItemAt(lines, i, from)) continue; // deeper content, or a same-indent sequence's item
    }
    const lineEnd = lines.end[i];
    let colon = text.indexOf(': ', from);
    if (colon + 1 >= lineEnd) colon = -1; // not on this line, or `key:` with spaces after it
    // `key: value`, or `key:` (the name is the line without its last character)
    const nameEnd = colon === -1 ? lineEnd - 1 : colon;
    if (nameEnd - from !== key.length || !text.startsWith(key, from)) continue;
    const node =
      colon === -1
        ? nestedNode(lines, i, column, true)
        : text.charCodeAt(colon + 2) === 91 /* [ */ || text.charCodeAt(colon + 2) === 123 /* { */
          ? { line: i, column: colon + 2 - lines.start[i] }
          : undefined;
    return { at: { line: i, column }, node };
  }
  return undefined;
}

/** Item `index` of the sequence whose dashes sit at `sequence.column`. */
function sequenceItem(lines: LineTable, sequence: DocumentPosition, index: number): Located | undefined {
  const column = sequence.column;
  let count = 0;
  for (let i = sequence.line; i < lines.count; i = nextStructural(lines, i + 1)) {
    const indent = lines.indent[i];
    if (indent < column) return undefined;
    if (indent > column) continue;
    const from = lines.start[i] + indent;
    if (!isItemAt(lines, i, from)) return undefined;
    if (count++ < index) continue;
    if (from + 1 === lines.end[i]) {
      // a bare `-`: the item is on the next lines
      const node = nestedNode(lines, i, column, false);
      return node ? { at: node, node } : undefined;
    }
    const at = { line: i, column: column + 2 };
    const opens = lines.text.charCodeAt(from + 2);
    const collection = opens === 91 /* [ */ || opens === 123 /* { */ || isMappingStartAt(lines, i, from + 2);
    return { at, node: collection ? at : undefined };
  }
  return undefined;
}

/** The entry at `key` (an index or a key) of the one-line flow collection whose bracket is at `collection`. */
function flowEntry(lines: LineTable, collection: DocumentPosition, key: string | number): Located | undefined {
  const lineStart = lines.start[collection.line];
  const read = readFlow(lines.text, lineStart + collection.column, lines.end[collection.line], 0);
  if (!read) return undefined;
  const { map, entries } = read.collection;
  const entry = map
    ? entries.find((item) => lines.text.slice(item.keyStart, item.keyEnd) === String(key))
    : typeof key === 'number'
      ? entries[key]
      : undefined;
  if (!entry) return undefined;
  const line = collection.line;
  const node = entry.nested ? { line, column: entry.start - lineStart } : undefined;
  return { at: { line, column: (map ? entry.keyStart : entry.start) - lineStart }, node };
}

/** `isMappingStart` of the line's text from offset `from`. */
function isMappingStartAt(lines: LineTable, i: number, from: number): boolean {
  const { text } = lines;
  const lineEnd = lines.end[i];
  const first = text.charCodeAt(from);
  if (from < lineEnd && (first === 34 /* " */ || first === 39) /* ' */) return false;
  const colon = text.indexOf(': ', from);
  if (colon > from && colon < lineEnd) return true;
  if (lineEnd <= from || text.charCodeAt(lineEnd - 1) !== 58 /* : */) return false;
  const space = text.indexOf(' ', from);
  return space === -1 || space >= lineEnd;
}

/** The collection under `key:` (or a bare `-`) at line `i`: deeper lines, or a same-indent sequence after a key. */
function nestedNode(
  lines: LineTable,
  i: number,
  column: number,
  sameIndentSequence: boolean,
): DocumentPosition | undefined {
  const next = nextStructural(lines, i + 1);
  if (next === lines.count) return undefined;
  const indent = lines.indent[next];
  if (indent < column) return undefined;
  if (indent === column)
    return sameIndentSequence && isItemAt(lines, next, lines.start[next] + indent) ? { line: next, column } : undefined;
  return { line: next, column: indent };
}

/** The document's lines, or undefined for a character the dialect leaves out (tabs, CR). */
function splitLines(text: string): Line[] | undefined {
  // Tabs and CRs, which no line may hold, are found by a search of the whole text, not line by line;
  // one string per line (its body): no array of raw lines and no second copy of each.
  if (text.includes('\t') || text.includes('\r')) return undefined;
  let last = text.length;
  while (last > 0 && text.charCodeAt(last - 1) === 10 /* \n */) last--; // trailing empty lines
  const lines: Line[] = [];
  const contentEndOf = contentEnds(text);
  for (let from = 0; from < last;) {
    let to = text.indexOf('\n', from);
    if (to === -1) to = last; // the last line (a newline at `last` ends every other one)
    let body = from;
    while (body < to && text.charCodeAt(body) === 32) body++;
    if (body === to)
      lines.push({ indent: BLANK, text: '', comment: false, raw: to === from ? undefined : text.slice(from, to) });
    else {
      const comment = text.charCodeAt(body) === 35; /* # */
      const end = comment ? endWithoutSpaces(text, body, to) : contentEndOf(body, to);
      const raw = end === to ? undefined : text.slice(body, to);
      lines.push({ indent: body - from, text: text.slice(body, end), comment, raw });
    }
    from = to + 1;
  }
  return lines;
}

/**
 * For the lines of `text`, asked in order: where the content of the line from `body` (its first
 * character after the indent) to `to` ends, without trailing spaces or a comment after it. The
 * parser and the locator both read lines through it, so they agree on every line.
 */
function contentEnds(text: string): (body: number, to: number) => number {
  let hash = nextSpaceHash(text, 0);
  return (body, to) => {
    const end = endWithoutSpaces(text, body, to);
    while (hash !== -1 && hash < body) hash = nextSpaceHash(text, hash + 1);
    return hash !== -1 && hash < end ? contentEnd(text, body, end) : end;
  };
}

/**
 * Where the next ` #` (the mark of a comment after content) at or after `from` starts, or -1. Found
 * through each `#` (a one-character search): most documents hold none. Callers search from one
 * occurrence to the next, never once per line.
 */
function nextSpaceHash(text: string, from: number): number {
  for (let hash = text.indexOf('#', from + 1); hash !== -1; hash = text.indexOf('#', hash + 1))
    if (text.charCodeAt(hash - 1) === 32) return hash - 1;
  return -1;
}

/**
 * Where the content of `[from, to)` ends before a comment after it (`key: value  # why`): the first
 * ` #` outside a quoted scalar, less the spaces before it; `to` when there is none. A quote opens only
 * where a scalar can start (the line's start, after a space, `[`, `{` or `,`): the `'` of `it's` does not.
 * Whatever it misreads (a quote in the middle of a plain scalar) leaves ` #` in the value, which the
 * parser then hands to the general one.
 */
function contentEnd(text: string, from: number, to: number): number {
  let quote = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c !== quote) continue;
      if (quote === 39 && text.charCodeAt(i + 1) === 39)
        i++; // '' inside single quotes
      else quote = 0;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      const before = text.charCodeAt(i - 1);
      if (i === from || before === 32 || before === 91 /* [ */ || before === 123 /* { */ || before === 44 /* , */)
        quote = c;
    } else if (c === 35 /* # */ && text.charCodeAt(i - 1) === 32) return endWithoutSpaces(text, from, i);
  }
  return to;
}

/** Where the text of `[from, to)` ends without its trailing spaces (at `floor` at the least). */
function endWithoutSpaces(text: string, floor: number, to: number): number {
  let end = to;
  while (end > floor && text.charCodeAt(end - 1) === 32) end--;
  return end;
}

/**
 * Levels of maps and lists one document may nest: far past any Kubernetes object (a CRD schema is
 * ~40). The fast path leaves a deeper document to the general parser before its own recursion could
 * exhaust the stack, and source.ts refuses it there, with its line.
 */
export const MAX_NESTING = 512;

class Parser {
  pos = 0;
  private depth = 0;
  constructor(private readonly lines: Line[]) {}

  /** Steps over blank lines and comments between structure (never inside a block scalar). */
  skip(): void {
    while (this.pos < this.lines.length && (this.lines[this.pos].comment || this.lines[this.pos].indent === BLANK))
      this.pos++;
  }

  /**
   * The collection starting at the current line, whose lines sit at `indent`: a block one, or a flow
   * one on that line alone (a document's root `{}`, or `annotations:` with `{}` on the next line, as
   * Helm's values files write it).
   */
  node(indent: number): Value {
    const line = this.lines[this.pos];
    if (line.indent !== indent) fail();
    if (line.text[0] === '[' || line.text[0] === '{') {
      this.pos++;
      // The whole line or a fallback: `[a]: b` (a flow collection as a key) is left to the general parser.
      return scalar(line.text, this.depth);
    }
    return isItem(line.text) ? this.sequence(indent) : this.mapping(indent);
  }

  mapping(indent: number): Record<string, Value> {
    const map: Record<string, Value> = {};
    for (this.skip(); this.pos < this.lines.length; this.skip()) {
      const line = this.lines[this.pos];
      if (line.indent < indent) break;
      if (line.indent > indent || isItem(line.text)) fail();
      this.pair(line.text, indent, map);
    }
    return map;
  }

  /** `key: value` or `key:` with its value on the next lines; the current line is consumed. */
  pair(text: string, indent: number, map: Record<string, Value>): void {
    const colon = text.indexOf(': ');
    const key = colon === -1 ? (text.endsWith(':') ? text.slice(0, -1) : fail()) : text.slice(0, colon);
    if (!isPlainKey(key) || Object.prototype.hasOwnProperty.call(map, key)) fail(); // duplicates: js-yaml reports them
    if (key.length > 1000) fail(); // YAML caps an implicit key at 1024 characters: the general parser reports it
    this.pos++;
    if (colon === -1) {
      map[key] = this.nested(indent, true);
    } else {
      map[key] = this.inlineValue(text.slice(colon + 2), indent);
    }
  }

  /** What follows `key:` or `-` on later lines: a deeper collection, a same-indent sequence (for keys), or null. */
  nested(indent: number, allowSameIndentSequence: boolean): Value {
    // Every level of nesting passes here (a key or a bare dash with its value on the next lines).
    if (++this.depth >= MAX_NESTING) fail(); // the root is a level too: at most MAX_NESTING in all
    const value = this.nestedValue(indent, allowSameIndentSequence);
    this.depth--;
    return value;
  }

  private nestedValue(indent: number, allowSameIndentSequence: boolean): Value {
    this.skip();
    const next = this.lines[this.pos];
    if (!next || next.indent < indent) return null;
    if (next.indent === indent) {
      if (allowSameIndentSequence && isItem(next.text)) return this.sequence(indent);
      return null;
    }
    return this.node(next.indent);
  }

  /** The value after `key: ` or `- ` (the line holding it consumed); `indent` is the key's or the dash's. */
  inlineValue(text: string, indent: number): Value {
    if (text === '|' || text === '|-' || text === '>' || text === '>-')
      return this.blockScalar(indent, text[0] === '>', text.endsWith('-'));
    const start = this.pos;
    this.skip();
    const next = this.lines[this.pos];
    if (next && next.indent > indent) {
      // Deeper content after a value: the value goes on over the next lines (a plain scalar).
      this.pos = start;
      return this.plainLines(text, indent);
    }
    return scalar(text, this.depth);
  }

  /**
   * A plain scalar over several lines, `first` on the consumed line and the rest on the next lines
   * deeper than `indent`, folded as YAML folds it: each line trimmed, lines joined by a space, n
   * blank lines between them kept as n line breaks. The text always holds a space or a break, so no
   * schema reads it as a number, a bool or null: it is a string. Only lines that are plainly text go
   * on one (see `isPlainLine`); a comment ends it, and whatever deeper comes after that is an error
   * for the general parser to report.
   */
  private plainLines(first: string, indent: number): string {
    // `key:  x` (spaces before the value) and a comment after the first line: left to the general parser.
    if (first.startsWith(' ') || !isPlainLine(first) || hasCommentAfter(this.lines[this.pos - 1])) fail();
    let text = first;
    let breaks = 0;
    for (; this.pos < this.lines.length; this.pos++) {
      const line = this.lines[this.pos];
      if (line.indent === BLANK) {
        breaks++;
        continue;
      }
      if (line.comment || line.indent <= indent) break;
      if (!isPlainLine(line.text)) fail();
      text += breaks > 0 ? '\n'.repeat(breaks) + line.text : ` ${line.text}`;
      breaks = 0;
      if (hasCommentAfter(line)) {
        this.pos++;
        break;
      }
    }
    this.skip();
    const next = this.lines[this.pos];
    if (next && next.indent > indent) fail(); // deeper lines after a comment: the general parser reports them
    return text;
  }

  /**
   * A `|`, `|-`, `>` or `>-` block scalar: its lines are deeper than `indent`; blank lines inside are
   * content. A folded one (`>`) joins lines with a space and keeps a line break for each blank line
   * between them; one holding a more-indented line, which folding leaves apart, is left to the
   * general parser.
   */
  blockScalar(indent: number, folded: boolean, strip: boolean): string {
    const first = this.lines[this.pos];
    if (!first || first.indent <= indent) fail(); // empty blocks and leading blank lines: leave to js-yaml
    const blockIndent = first.indent;
    const parts: string[] = [];
    while (
      this.pos < this.lines.length &&
      (this.lines[this.pos].indent > indent || this.lines[this.pos].indent === BLANK)
    ) {
      const line = this.lines[this.pos];
      if (line.indent === BLANK) {
        // Spaces on a blank line may be content (past the block's indent): the general parser decides.
        if (line.raw !== undefined) fail();
        parts.push('');
      } else if (line.indent < blockIndent) fail();
      else parts.push(' '.repeat(line.indent - blockIndent) + (line.raw ?? line.text));
      this.pos++;
    }
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop(); // trailing blank lines: chomped
    const body = folded ? fold(parts) : parts.join('\n');
    return strip ? body : `${body}\n`;
  }

  sequence(indent: number): Value[] {
    const items: Value[] = [];
    for (this.skip(); this.pos < this.lines.length; this.skip()) {
      const line = this.lines[this.pos];
      if (line.indent < indent) break;
      if (line.indent > indent || !isItem(line.text)) break;
      if (line.text === '-') {
        this.pos++;
        const item = this.nested(indent, false);
        if (item === null) fail(); // an empty item: leave its null (and its position) to the general parser
        items.push(item);
        continue;
      }
      const rest = line.text.slice(2);
      if (rest.startsWith('- ')) fail(); // nested compact sequences: rare, leave to js-yaml
      if (isMappingStart(rest) && rest[0] !== '{' && rest[0] !== '[') {
        // "- key: value" opens a mapping whose keys sit at indent + 2.
        const map: Record<string, Value> = {};
        this.pair(rest, indent + 2, map);
        for (this.skip(); this.pos < this.lines.length; this.skip()) {
          const more = this.lines[this.pos];
          if (more.indent !== indent + 2 || isItem(more.text)) {
            if (more.indent > indent + 2) fail();
            break;
          }
          this.pair(more.text, indent + 2, map);
        }
        items.push(map);
      } else {
        this.pos++;
        items.push(this.inlineValue(rest, indent));
      }
    }
    // An exact copy: a list grown by push keeps room for 17 items (150 bytes for one port), and a
    // run holds every object it parsed.
    return items.slice();
  }
}

/** A folded block's lines (none empty at either end) as YAML folds them: see `blockScalar`. */
function fold(parts: string[]): string {
  let text = '';
  let breaks = 0;
  for (const part of parts) {
    if (part === '') {
      breaks++;
      continue;
    }
    if (part.startsWith(' ')) fail();
    text += text === '' ? part : breaks > 0 ? '\n'.repeat(breaks) + part : ` ${part}`;
    breaks = 0;
  }
  return text;
}

/**
 * Whether a line of a multi-line plain scalar is text and only text: no indicator first (a `-` only
 * before a non-space, as in `--flag`), no `: ` (a key there is an error), no ` #` (a quote the
 * comment finder opened hid a comment) and no `:` last. Stricter than YAML (which reads `[`, `*` or
 * `- ` there as text too), so that nothing that might mean something else is read as text.
 */
function isPlainLine(text: string): boolean {
  const first = text[0];
  if (INDICATORS.includes(first) && !(first === '-' && text.length > 1 && text[1] !== ' ')) return false;
  return !text.includes(': ') && !text.includes(' #') && !text.endsWith(':');
}

/** Whether a comment after the content was cut from the line (not just trailing spaces). */
function hasCommentAfter(line: Line): boolean {
  return line.raw !== undefined && line.raw.indexOf('#', line.text.length) !== -1;
}

function isItem(text: string): boolean {
  return text.startsWith('- ') || text === '-';
}

function isMappingStart(text: string): boolean {
  if (text.startsWith('"') || text.startsWith("'")) return false;
  const colon = text.indexOf(': ');
  return colon > 0 || (text.endsWith(':') && !text.includes(' '));
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_./\-$]*$/;
const RESERVED_KEYS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '__proto__']);

/** Keys that start with a letter and are not null or a bool: the key is the string itself, as in js-yaml. */
function isPlainKey(key: string): boolean {
  return PLAIN_KEY.test(key) && !RESERVED_KEYS.has(key);
}

const DECIMAL = /^-?(0|[1-9][0-9]*)$/;
/** Everything CORE_SCHEMA might read as an int or a float (0x1F, 0o7, 1_000, 1.5, 1e3, .5, +1): js-yaml decides. */
const NUMBER_LIKE = /^[-+]?\.?[0-9]/;
const NUMBER_SHAPED = /^[-+]?(0b|0x|0o)?[0-9a-fA-F_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?$/;
const OTHER_CORE_WORDS = /^(True|TRUE|False|FALSE|Null|NULL|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
const INDICATORS = '&*!|>%@`{[,?#\'"-:]}';

/** A one-line scalar as CORE_SCHEMA resolves it, or a fallback for anything not obviously the same. */
function scalar(text: string, depth = 0): Value {
  if (text.startsWith(' ')) fail(); // `key:  value`: leave the extra spaces to the general parser
  if (text === '[]') return [];
  if (text === '{}') return {};
  const first = text[0];
  if (first === '[' || first === '{') return flowScalar(text, depth);
  // Spaces before a value (`name:  x`) are not part of it in YAML; kustomize never writes them.
  if (first === ' ' || first === '\t') fail();
  if (first === '"') {
    const inner = text.slice(1, -1);
    if (text.length < 2 || !text.endsWith('"') || inner.includes('\\') || inner.includes('"')) fail();
    return shared(inner);
  }
  if (first === "'") {
    const inner = text.slice(1, -1);
    if (text.length < 2 || !text.endsWith("'") || inner.replaceAll("''", '').includes("'")) fail();
    return shared(inner.replaceAll("''", "'"));
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null' || text === '~') return null;
  if (DECIMAL.test(text)) {
    const number = Number(text);
    if (!Number.isSafeInteger(number)) fail();
    return number === 0 ? 0 : number; // js-yaml reads -0 as 0
  }
  if (NUMBER_LIKE.test(text) && NUMBER_SHAPED.test(text)) fail();
  if (OTHER_CORE_WORDS.test(text)) fail();
  // A plain scalar: no indicator first (a leading '-' only before a non-space), no ': ', no ' #', no trailing ':'.
  if (INDICATORS.includes(first) && !(first === '-' && text.length > 1 && text[1] !== ' ')) fail();
  if (text.includes(': ') || text.includes(' #') || text.endsWith(':')) fail();
  return shared(text);
}

/**
 * Longest value kept once: names, labels, quantities, ports and API versions repeat; most text does
 * not. Below 13 characters V8 copies what it slices; a longer value is a slice that keeps its whole
 * file's text alive, and the table outlives the run (a second run in the process, gitops diff's).
 */
const SHARED_MAX_LENGTH = 12;
/**
 * One string for each short value that repeats across documents (`shop`, `http`, `100m`, `apps/v1`
 * in every Deployment): a run holds every object it loaded, and each copy costs 24-40 bytes. Measured
 * at 50,000 loose manifests: see docs/architecture.md, "Eleventh round".
 */
const sharedValues = new StringTable(50_000);

function shared(value: string): string {
  return value.length > SHARED_MAX_LENGTH ? value : sharedValues.own(value);
}

/**
 * A flow collection written on one line (`[ALL]`, `{app: web}`, `{matchLabels: {app: web}}`), as the
 * parser and the locator both read it: where each entry and each map entry's key lies in the text,
 * so a finding lands on the entry its value came from, where the `yaml` package places it.
 */
interface FlowCollection {
  map: boolean;
  entries: FlowEntry[];
}

interface FlowEntry {
  /** The value: quotes included, spaces around not; a nested collection from its bracket. */
  start: number;
  end: number;
  /** A map entry's key (a plain key, as in block maps); -1 in a sequence. */
  keyStart: number;
  keyEnd: number;
  nested: FlowCollection | undefined;
}

/** Levels of flow collections, within block ones, the fast path reads: far below MAX_NESTING. */
const FLOW_DEPTH = MAX_NESTING / 2;

/**
 * Flow indicators, comment marks and a `:` that could start a value: a plain scalar holding one is
 * left to the general parser. A `:` followed by a character that is neither a space nor a flow
 * indicator is text in YAML's flow context (`{ server: https://vault.example.com }`, `[a:b]`), as in
 * both general parsers; `scalar` still refuses one first, last or before a space.
 */
const FLOW_UNSAFE = /[[\]{},#]|:(?![^\s,[\]{}])/;

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && text.charCodeAt(i) === 32) i++;
  return i;
}

/**
 * The flow collection whose `[` or `{` is at `from`, read up to its closing bracket (before `end`),
 * and where it ends; undefined for one the dialect leaves out: an empty entry or a trailing comma, a
 * map entry without a plain key and `: `, a plain scalar holding a flow indicator, `:` or `#`, a
 * quote that does not close, nesting past `FLOW_DEPTH`.
 */
function readFlow(
  text: string,
  from: number,
  end: number,
  depth: number,
): { collection: FlowCollection; after: number } | undefined {
  if (depth > FLOW_DEPTH) return undefined;
  const map = text.charCodeAt(from) === 123; /* { */
  const close = map ? 125 /* } */ : 93; /* ] */
  const collection: FlowCollection = { map, entries: [] };
  let i = skipSpaces(text, from + 1, end);
  if (text.charCodeAt(i) === close) return { collection, after: i + 1 }; // `[ ]`, `{ }`
  for (;;) {
    let keyStart = -1;
    let keyEnd = -1;
    if (map) {
      const colon = text.indexOf(': ', i);
      if (colon === -1 || colon >= end || !isPlainKey(text.slice(i, colon))) return undefined;
      keyStart = i;
      keyEnd = colon;
      i = skipSpaces(text, colon + 2, end);
    }
    const start = i;
    const first = text.charCodeAt(i);
    let nested: FlowCollection | undefined;
    if (first === 91 /* [ */ || first === 123 /* { */) {
      const read = readFlow(text, i, end, depth + 1);
      if (!read) return undefined;
      nested = read.collection;
      i = read.after;
    } else if (first === 34 /* " */ || first === 39 /* ' */) {
      // To the closing quote ('' is a quote inside single quotes); the parser refuses escapes.
      for (i++; ; i += 2) {
        i = text.indexOf(first === 34 ? '"' : "'", i);
        if (i === -1 || i >= end) return undefined;
        if (first === 34 || text.charCodeAt(i + 1) !== 39) break;
      }
      i++;
    } else {
      while (i < end && text.charCodeAt(i) !== 44 /* , */ && text.charCodeAt(i) !== close) i++;
    }
    let valueEnd = i;
    while (valueEnd > start && text.charCodeAt(valueEnd - 1) === 32) valueEnd--;
    if (valueEnd === start) return undefined; // an empty entry: `[, a]`, `{a: }`
    const quoted = first === 34 || first === 39;
    if (!nested && !quoted && FLOW_UNSAFE.test(text.slice(start, valueEnd))) return undefined;
    collection.entries.push({ start, end: valueEnd, keyStart, keyEnd, nested });
    i = skipSpaces(text, i, end);
    const next = text.charCodeAt(i);
    if (next === close) return { collection, after: i + 1 };
    if (next !== 44 /* , */) return undefined;
    i = skipSpaces(text, i + 1, end);
    if (text.charCodeAt(i) === close) return undefined; // a trailing comma
  }
}

/** The value of a collection `readFlow` read, or a fallback (a duplicate key, a scalar outside the dialect). */
function flowValue(text: string, collection: FlowCollection): Value {
  const valueOf = (entry: FlowEntry) =>
    entry.nested ? flowValue(text, entry.nested) : scalar(text.slice(entry.start, entry.end));
  if (!collection.map) return collection.entries.map(valueOf);
  const map: Record<string, Value> = {};
  for (const entry of collection.entries) {
    const key = text.slice(entry.keyStart, entry.keyEnd);
    if (Object.prototype.hasOwnProperty.call(map, key)) fail(); // duplicates: the general parser reports them
    map[key] = valueOf(entry);
  }
  return map;
}

/** A flow collection that is the whole of `text` (a value after `key: ` or `- `), or a fallback. */
function flowScalar(text: string, depth: number): Value {
  const read = readFlow(text, 0, text.length, depth);
  if (!read || read.after !== text.length) fail();
  return flowValue(text, read.collection);
}

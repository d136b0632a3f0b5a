// A fast path for the YAML kustomize writes. kustomize's encoder emits one narrow dialect: block
// mappings and sequences, two-space indents, plain or simply quoted scalars, `|` blocks, `[]` and
// `{}`. Parsing just that dialect line by line is several times faster than a general parser, and
// parsing rendered output is the hot path (npm run bench). Anything outside the dialect (flow
// collections, anchors, tags, comments, escapes, multi-line plain scalars, ambiguous numbers) makes
// `parseKustomizeDocument` return undefined, and the caller parses that document with js-yaml.
// Values resolve as js-yaml's CORE_SCHEMA would; test/kustomize-yaml.test.ts compares the two on
// every rendered corpus stream.

type Value = unknown;
interface Line {
  indent: number;
  text: string; // without indentation
}

const FALLBACK = Symbol('fallback');
/** The indent of a blank line: lower than any real one, so collections end there. */
const BLANK = -1;

class Fallback extends Error {}

function fail(): never {
  throw new Fallback();
}

/** Parses one document (no `---` lines) or returns undefined when it is outside the dialect. */
export function parseKustomizeDocument(text: string): Value | undefined {
  const raws = text.split('\n');
  while (raws.length > 0 && raws[raws.length - 1] === '') raws.pop();
  while (raws.length > 0 && raws[0] === '') raws.shift(); // the newline after a `---` separator
  const lines: Line[] = [];
  for (const raw of raws) {
    // A blank line can only be content of a block scalar; elsewhere the structure rejects it.
    if (raw === '') {
      lines.push({ indent: BLANK, text: '' });
      continue;
    }
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    const body = raw.slice(indent);
    // Comments need no check here: a `#` line is no key or item, so the structure steps aside.
    if (body === '' || body.endsWith(' ') || body.includes('\t') || body.includes('\r')) return undefined;
    lines.push({ indent, text: body });
  }
  if (lines.length === 0) return null;
  try {
    const parser = new Parser(lines);
    const value = parser.node(lines[0].indent);
    if (parser.pos !== lines.length) return undefined;
    return value === FALLBACK ? undefined : value;
  } catch (error) {
    if (error instanceof Fallback) return undefined;
    throw error;
  }
}

class Parser {
  pos = 0;
  constructor(private readonly lines: Line[]) {}

  /** The collection starting at the current line, whose lines sit at `indent`. */
  node(indent: number): Value {
    const line = this.lines[this.pos];
    if (line.indent !== indent) fail();
    return isItem(line.text) ? this.sequence(indent) : this.mapping(indent);
  }

  mapping(indent: number): Record<string, Value> {
    const map: Record<string, Value> = {};
    while (this.pos < this.lines.length) {
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
    this.pos++;
    if (colon === -1) {
      map[key] = this.nested(indent, true);
    } else {
      map[key] = this.inlineValue(text.slice(colon + 2), indent);
    }
  }

  /** What follows `key:` or `-` on later lines: a deeper collection, a same-indent sequence (for keys), or null. */
  nested(indent: number, allowSameIndentSequence: boolean): Value {
    const next = this.lines[this.pos];
    if (!next || next.indent < indent) return null;
    if (next.indent === indent) {
      if (allowSameIndentSequence && isItem(next.text)) return this.sequence(indent);
      return null;
    }
    return this.node(next.indent);
  }

  inlineValue(text: string, indent: number): Value {
    if (text === '|' || text === '|-') return this.literalBlock(indent, text === '|-');
    const value = scalar(text);
    const next = this.lines[this.pos];
    if (next && next.indent > indent) fail(); // a multi-line plain scalar or something unexpected
    return value;
  }

  /** A `|` or `|-` block scalar: its lines are deeper than `indent`; blank lines inside are content. */
  literalBlock(indent: number, strip: boolean): string {
    const first = this.lines[this.pos];
    if (!first || first.indent <= indent) fail(); // empty blocks and leading blank lines: leave to js-yaml
    const blockIndent = first.indent;
    const parts: string[] = [];
    while (
      this.pos < this.lines.length &&
      (this.lines[this.pos].indent > indent || this.lines[this.pos].indent === BLANK)
    ) {
      const line = this.lines[this.pos];
      if (line.indent === BLANK) parts.push('');
      else if (line.indent < blockIndent) fail();
      else parts.push(' '.repeat(line.indent - blockIndent) + line.text);
      this.pos++;
    }
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop(); // trailing blank lines: chomped
    return strip ? parts.join('\n') : `${parts.join('\n')}\n`;
  }

  sequence(indent: number): Value[] {
    const items: Value[] = [];
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos];
      if (line.indent < indent) break;
      if (line.indent > indent || !isItem(line.text)) break;
      if (line.text === '-') {
        this.pos++;
        items.push(this.nested(indent, false));
        continue;
      }
      const rest = line.text.slice(2);
      if (rest.startsWith('- ')) fail(); // nested compact sequences: rare, leave to js-yaml
      if (isMappingStart(rest)) {
        // "- key: value" opens a mapping whose keys sit at indent + 2.
        const map: Record<string, Value> = {};
        this.pair(rest, indent + 2, map);
        while (this.pos < this.lines.length) {
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
    return items;
  }
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
function scalar(text: string): Value {
  if (text === '[]') return [];
  if (text === '{}') return {};
  const first = text[0];
  if (first === '"') {
    const inner = text.slice(1, -1);
    if (text.length < 2 || !text.endsWith('"') || inner.includes('\\') || inner.includes('"')) fail();
    return inner;
  }
  if (first === "'") {
    const inner = text.slice(1, -1);
    if (text.length < 2 || !text.endsWith("'") || inner.replaceAll("''", '').includes("'")) fail();
    return inner.replaceAll("''", "'");
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
  return text;
}

// Line-precise parsing of the YAML files people edit, where every finding needs a file and line. A
// file written in the common block style (kustomize-yaml.ts's dialect, comments and blank lines
// included) is read by the fast line parser, and a finding's line is found by scanning that one
// document again when the finding asks; any other file goes through the `yaml` package, which keeps
// every node's position. Both give the same values and positions (test/manifest-source.test.ts).
import type { Document, LineCounter, Node, ScalarTag } from 'yaml';
import { yamlPackage } from './yaml-package.ts';
import { YAML11_NUMBER_CANDIDATE, yaml11Number } from './yaml11-numbers.ts';
import { locateInDocument, MAX_NESTING, parseDialectDocument } from './kustomize-yaml.ts';
import {
  originAt,
  type JsonPath,
  type KubeObject,
  type Resource,
  type ResourceOrigin,
  type SourceLocation,
} from '../types.ts';

export interface YamlProblem {
  message: string;
  line: number;
  column: number;
  /** duplicate-key problems are their own rule (yaml-duplicate-key); everything else is yaml-syntax. */
  kind: 'syntax' | 'duplicate-key';
}

export interface SourceDocument {
  /** The parsed value, or null for an empty document. */
  value: unknown;
  /** 1-based line where the document's content starts. */
  line: number;
  /** Location of the node at `path` (or of its deepest existing ancestor) in this document. */
  locate(path: JsonPath): { line: number; column: number };
}

export interface SourceFile {
  file: string;
  documents: SourceDocument[];
  problems: YamlProblem[];
}

/** The YAML 1.1 numbers with underscores that Kubernetes reads (`replicas: 1_000`), see yaml11-numbers.ts. */
const yaml11NumberTag: ScalarTag = {
  tag: 'tag:gitops.dev,2026:yaml11-number',
  default: true,
  test: YAML11_NUMBER_CANDIDATE,
  resolve: (text: string) => yaml11Number(text) ?? text,
};

/** Parses every document of a YAML file, keeping positions. Never throws on bad YAML: problems are returned. */
export function parseSourceFile(text: string, file: string): SourceFile {
  const breaks = lineBreaksAsLf(text);
  return parseDialectFile(breaks, file) ?? parseWithYamlPackage(breaks, file);
}

/** A carriage return not followed by a line feed. */
const LONE_CR = /\r(?!\n)/g;

/**
 * YAML (1.2, b-break), kustomize's and Argo CD's Go parsers and js-yaml read a carriage return alone
 * as a line break, as editors show it: an old Mac file, or a last line ending in `\r`. The `yaml`
 * package keeps it as text (`a: b\r` is "b\r", `{}\r` an error), so a file Argo CD deploys was a
 * false yaml-syntax error, or a value no cluster sees. One character for one: offsets, columns and
 * the text kept for locating stay as they were; CRLF stays for the `yaml` package, which reads it.
 */
function lineBreaksAsLf(text: string): string {
  return text.includes('\r') ? text.replace(LONE_CR, '\n') : text;
}

/**
 * A document marker line: `---` (a document starts) or `...` (one ends), alone on its line or with
 * trailing spaces or a comment. A marker with content on its line (`--- |`, `--- {}`) is no match:
 * it stays in the piece before, which the dialect refuses, so the file goes to the `yaml` package.
 */
const MARKER = /^(?:---|\.\.\.)(?: +(?:#.*)?)?$/gm;

/**
 * The file through the fast parser, or undefined when any document is outside its dialect (then the
 * whole file goes to the `yaml` package, so its problems and positions are that parser's). The file
 * is cut at its marker lines into pieces, each read by `parseDialectDocument`.
 */
export function parseDialectFile(text: string, file: string): SourceFile | undefined {
  const documents: SourceDocument[] = [];
  let opening: 'start' | '---' | '...' = 'start'; // what the piece follows
  let emptyAt = { line: 0, column: 0 }; // where the `yaml` package places an empty document after the last `---`
  let pieceStart = 0;
  let pieceLine = 0; // 0-based line of the piece's first line in the file
  for (;;) {
    MARKER.lastIndex = pieceStart;
    const marker = MARKER.exec(text);
    const end = marker ? marker.index : text.length;
    const piece = text.slice(pieceStart, end);
    const parsed = parseDialectDocument(piece);
    if (parsed === undefined) return undefined;
    let document: SourceDocument | undefined;
    if (parsed.firstLine !== undefined) {
      if (opening === '...') return undefined; // a bare document after `...`: rare, left to the `yaml` package
      document = contentDocument(piece, parsed.value, pieceLine, parsed.firstLine);
    } else if (opening === '---') document = emptyDocument(emptyAt);
    // Blank lines and comments before the first marker or after `...` are no document.
    if (document) documents.push(document);
    if (!marker) break;
    pieceLine += lineBreaks(piece);
    if (marker[0].startsWith('.')) {
      // `...` ends a document. One with nothing to end (at the start, after another `...`) the `yaml`
      // package reads as an empty document of its own: not imitated.
      if (!document) return undefined;
      opening = '...';
    } else {
      opening = '---';
      emptyAt = { line: pieceLine + 1, column: spacesAfterDashes(marker[0]) + 4 };
    }
    // The next piece starts after `---` or `...`: its line 0 is the rest of the marker's line, spaces
    // or a comment, which the dialect reads as it reads them on any line (a CR or a control character
    // there sends the file to the `yaml` package).
    pieceStart = end + 3;
  }
  return { file, documents, problems: [] };
}

/** A document with content from `firstLine` (0-based in `piece`); the piece starts on line `pieceLine` of the file. */
function contentDocument(piece: string, value: unknown, pieceLine: number, firstLine: number): SourceDocument {
  return new DialectDocument(piece, value, pieceLine, pieceLine + firstLine + 1);
}

/**
 * A document read by the fast parser. A class, not an object with a closure: a run holds one per
 * loose object, and a closure with its contexts weighed more than the fields (docs/architecture.md,
 * "Eleventh round").
 */
class DialectDocument implements SourceDocument {
  readonly #piece: string;
  readonly #pieceLine: number;

  constructor(
    piece: string,
    readonly value: unknown,
    pieceLine: number,
    readonly line: number,
  ) {
    this.#piece = piece;
    this.#pieceLine = pieceLine;
  }

  locate(path: JsonPath): { line: number; column: number } {
    const at = locateInDocument(this.#piece, path);
    return { line: this.#pieceLine + at.line + 1, column: at.column + 1 };
  }
}

/**
 * A `---` with nothing after it but blank lines and comments: a null document, which the `yaml`
 * package places on the marker's line, after `---` and the spaces that follow it (every path too).
 */
function emptyDocument(at: { line: number; column: number }): SourceDocument {
  return { value: null, line: at.line, locate: () => ({ line: at.line, column: at.column }) };
}

/** How many spaces follow the `---` of a marker line (before a comment or the end). */
function spacesAfterDashes(marker: string): number {
  let end = 3;
  while (marker.charCodeAt(end) === 32) end++;
  return end - 3;
}

function lineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

export function parseWithYamlPackage(text: string, file: string): SourceFile {
  const tooDeep = flowNestingPast(text, MAX_NESTING);
  if (tooDeep !== undefined)
    return {
      file,
      documents: [],
      problems: [
        {
          message: `flow collections nest deeper than ${MAX_NESTING} levels; the file is not checked: flatten it`,
          ...tooDeep,
          kind: 'syntax',
        },
      ],
    };
  // Only files outside the dialect get here: the one place the yaml package loads for source files.
  const yaml = yamlPackage();
  const lineCounter = new yaml.LineCounter();
  const docs = yaml.parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    customTags: [yaml11NumberTag],
    // Problems are returned with their lines; nothing of a repository's YAML goes to the console.
    logLevel: 'error',
  });
  const problems: YamlProblem[] = [];
  const documents: SourceDocument[] = [];
  if (!Array.isArray(docs)) return { file, documents, problems }; // an empty stream
  for (const doc of docs) {
    for (const error of [...doc.errors, ...doc.warnings]) {
      const pos = lineCounter.linePos(error.pos[0]);
      problems.push({
        message: error.message.split('\n')[0],
        line: pos.line,
        column: pos.col,
        kind: error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'syntax',
      });
    }
    documents.push(toSourceDocument(doc, lineCounter, problems));
  }
  return { file, documents, problems };
}

/**
 * A file Argo CD might read as manifests: YAML (every document) or JSON (one object, as Argo CD's
 * directory source reads it). JSON that is not a Kubernetes object (package.json, a dashboard,
 * tsconfig.json with comments) is not a manifest and says nothing; the quick JSON.parse spares the
 * line-precise parser big files of that kind. JSON that looks like a manifest but does not parse is
 * a problem with its line, like bad YAML.
 */
export function parseManifestFile(text: string, file: string): SourceFile {
  if (/\.json$/i.test(file)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (!(/"apiVersion"\s*:/.test(text) && /"kind"\s*:/.test(text))) return { file, documents: [], problems: [] };
      return parseSourceFile(text, file);
    }
    const object = value as { apiVersion?: unknown; kind?: unknown } | null;
    if (typeof object !== 'object' || object === null || Array.isArray(object))
      return { file, documents: [], problems: [] };
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string')
      return { file, documents: [], problems: [] };
  }
  return parseSourceFile(text, file);
}

/** Alias expansions one document may make: a YAML bomb's (billion laughs) cost is bounded by it. */
export const MAX_ALIAS_COUNT = 1000;

class NestingTooDeep extends Error {}

/**
 * Where `[` and `{` first nest past `limit`, if they do. The parser recurses per level, and a stack
 * that runs out inside V8's regexp compiler aborts the process instead of throwing, so such a file is
 * refused before it is parsed. Brackets are counted wherever they are (in quotes and comments too), so
 * no quote or comment can hide the nesting; only hundreds of unbalanced brackets in text could trip it.
 */
function flowNestingPast(text: string, limit: number): { line: number; column: number } | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 91 || c === 123) {
      if (++depth > limit) return { line, column: i - lineStart + 1 };
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** How deep maps and lists nest under `root`, walked without recursion (aliases are not followed). */
function nestingDepth(root: Node | null): number {
  const { isMap, isPair, isSeq } = yamlPackage();
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      deepest = Math.max(deepest, depth);
      if (deepest > MAX_NESTING) return deepest;
      for (const item of node.items as unknown[]) {
        if (isPair(item)) stack.push([item.key, depth + 1], [item.value, depth + 1]);
        else stack.push([item, depth + 1]);
      }
    }
  }
  return deepest;
}

function toSourceDocument(doc: Document, lineCounter: LineCounter, problems: YamlProblem[]): SourceDocument {
  let value: unknown = null;
  const start = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
  const startPos = lineCounter.linePos(start);
  const depth = nestingDepth(doc.contents as Node | null);
  try {
    // Deeper than any Kubernetes object: toJS and every check would recurse that deep, and a stack that
    // runs out inside V8's regexp compiler aborts the process instead of throwing.
    if (depth > MAX_NESTING) throw new NestingTooDeep();
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // A parse error is already in doc.errors. Otherwise this is the alias guard: the document is not
    // read, so it must not pass silently (kustomize and Argo CD would expand and deploy it).
    if (error instanceof NestingTooDeep)
      problems.push({
        message: `this document nests deeper than ${MAX_NESTING} levels; it is not checked: flatten it`,
        line: startPos.line,
        column: startPos.col,
        kind: 'syntax',
      });
    else if (doc.errors.length === 0)
      problems.push({
        message: `this document expands aliases more than ${MAX_ALIAS_COUNT} times (${(error as Error).message}); it is not checked: write the values out instead of repeating an alias`,
        line: startPos.line,
        column: startPos.col,
        kind: 'syntax',
      });
  }
  return {
    value: value ?? null,
    line: startPos.line,
    locate(path) {
      const offset = offsetOf(doc.contents as Node | null, path) ?? start;
      const pos = lineCounter.linePos(offset);
      return { line: pos.line, column: pos.col };
    },
  };
}

/** Offset of the node at `path`; for a missing key, the deepest existing ancestor's key. */
function offsetOf(root: Node | null, path: JsonPath): number | undefined {
  const { isMap, isPair, isScalar, isSeq } = yamlPackage();
  let node: unknown = root;
  let best = root?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key),
      );
      if (!pair) return best;
      best = (pair.key as Node).range?.[0] ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) return best;
      best = item.range?.[0] ?? best;
      node = item;
    } else {
      return best;
    }
  }
  return best;
}

export function isKubeObject(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'kind' in value;
}

/** The path of an object that is its document: one frozen list, as every loose resource holds its path. */
const NO_PATH: JsonPath = Object.freeze([]) as unknown as JsonPath;

/** Lists inside lists are unwrapped to this depth; deeper nesting is read as it stands. */
const MAX_LIST_DEPTH = 8;

/**
 * The objects a document deploys, with their paths in it: Argo CD treats any object whose `items`
 * is an array as a list (`kind: List`, `DeploymentList`...) and applies each item, and kustomize
 * unwraps lists in resources too, so a list is never checked as one opaque object.
 */
export function listItems(
  value: KubeObject,
  path: JsonPath = NO_PATH,
  depth = 0,
): { object: KubeObject; path: JsonPath }[] {
  if (!Array.isArray(value.items) || depth >= MAX_LIST_DEPTH) return [{ object: value, path }];
  return value.items.flatMap((item, i) =>
    isKubeObject(item) ? listItems(item, [...path, 'items', i], depth + 1) : [],
  );
}

/**
 * The Kubernetes objects of one source file as Resources that locate fields in that file.
 * Used for loose manifests and Argo CD objects, and by tests to build resources from fixtures.
 */
export function resourcesFromSource(source: SourceFile, origin: Omit<ResourceOrigin, 'file' | 'line'>): Resource[] {
  const resources: Resource[] = [];
  for (const document of source.documents) {
    if (!isKubeObject(document.value)) continue;
    for (const { object, path: itemPath } of listItems(document.value)) {
      const line = itemPath.length ? document.locate(itemPath).line : document.line;
      resources.push(new SourceResource(object, originAt(origin, source.file, line), document, itemPath));
    }
  }
  return resources;
}

/**
 * A Resource located in the file it was read from. A class for the same reason as DialectDocument:
 * its `locate` is a method on the prototype, so callers call it on the resource (`resource.locate(p)`),
 * never detached from it.
 */
class SourceResource implements Resource {
  // Private fields: no key of their own in a spread, JSON or an assertion's comparison.
  readonly #document: SourceDocument;
  /** Where the object sits in its document: `[]`, or `['items', i]` for a list's item. */
  readonly #itemPath: JsonPath;

  constructor(
    public object: KubeObject,
    public origin: ResourceOrigin,
    document: SourceDocument,
    itemPath: JsonPath,
  ) {
    this.#document = document;
    this.#itemPath = itemPath;
  }

  locate(path: JsonPath): SourceLocation {
    // Once per finding: no copy of the path for an object that is not a list item.
    const itemPath = this.#itemPath;
    const { line, column } = this.#document.locate(itemPath.length === 0 ? path : [...itemPath, ...path]);
    return { file: this.origin.file, line, column };
  }
}

/** Convenience for tests and small callers: YAML text to Resources located in `file`. */
export function resourcesFromYaml(
  text: string,
  file: string,
  origin: Omit<ResourceOrigin, 'file' | 'line'> = { app: file },
): Resource[] {
  return resourcesFromSource(parseSourceFile(text, file), origin);
}

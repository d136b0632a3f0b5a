// Line-precise parsing of the YAML files people edit. Slower than the fast parser for rendered
// output, so it is kept for source files, where every finding needs a file and line.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { JsonPath, KubeObject, Resource, ResourceOrigin, SourceLocation } from '../types.ts';

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

/** Parses every document of a YAML file, keeping positions. Never throws on bad YAML: problems are returned. */
export function parseSourceFile(text: string, file: string): SourceFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
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
    documents.push(toSourceDocument(doc, lineCounter));
  }
  return { file, documents, problems };
}

function toSourceDocument(doc: Document, lineCounter: LineCounter): SourceDocument {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch {
    value = null; // the problem is already in doc.errors
  }
  const start = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
  const startPos = lineCounter.linePos(start);
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

/**
 * The Kubernetes objects of one source file as Resources that locate fields in that file.
 * Used for loose manifests and Argo CD objects, and by tests to build resources from fixtures.
 */
export function resourcesFromSource(source: SourceFile, origin: Omit<ResourceOrigin, 'file' | 'line'>): Resource[] {
  const resources: Resource[] = [];
  for (const document of source.documents) {
    if (!isKubeObject(document.value)) continue;
    const at = (path: JsonPath): SourceLocation => ({ file: source.file, ...document.locate(path) });
    resources.push({
      object: document.value,
      origin: { ...origin, file: source.file, line: document.line },
      locate: at,
    });
  }
  return resources;
}

/** Convenience for tests and small callers: YAML text to Resources located in `file`. */
export function resourcesFromYaml(
  text: string,
  file: string,
  origin: Omit<ResourceOrigin, 'file' | 'line'> = { app: file },
): Resource[] {
  return resourcesFromSource(parseSourceFile(text, file), origin);
}

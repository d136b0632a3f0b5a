// What `helm template` printed, as objects that say where a person edits them. Helm writes each
// template's documents after a `# Source: <chart name>/templates/x.yaml` comment; the template is
// a Go template, so its lines are not the rendered lines. A finding on a rendered field lands:
//   1. on the line that sets the value the template line writing the field reads (`replicas:
//      {{ .Values.replicaCount }}` → the highest-precedence values file, or the Application's
//      parameter, that sets replicaCount), since that is what a person edits per environment;
//   2. else on a values file leaf holding exactly the rendered value (same key, or a distinctive
//      string; for an image, the `tag:` holding its tag): templates that compute the field elsewhere;
//   3. else on the template line that writes the field's key; else on the template's `kind:` line.
// Files under crds/ are plain YAML and are located like any manifest.
import { parseSourceFile, isKubeObject, type SourceFile } from '../manifest/source.ts';
import {
  originAt,
  type JsonPath,
  type KubeObject,
  type Resource,
  type ResourceOrigin,
  type SourceLocation,
} from '../types.ts';

export interface HelmDocument {
  /** The path helm printed: "<chart name>/templates/deployment.yaml". */
  source: string;
  text: string;
}

/** Splits helm's stream into documents with their `# Source:` path (documents before any have ""). */
export function splitHelmOutput(output: string): HelmDocument[] {
  const out: HelmDocument[] = [];
  let source = '';
  let lines: string[] = [];
  const flush = () => {
    const text = lines.join('\n');
    if (text.trim() !== '') out.push({ source, text });
    lines = [];
  };
  for (const line of output.split('\n')) {
    if (line === '---' || line.startsWith('--- ')) {
      flush();
      continue;
    }
    const comment = /^# Source: (.+)$/.exec(line);
    if (comment && lines.every((previous) => previous.trim() === '')) {
      source = comment[1].trim();
      continue;
    }
    lines.push(line);
  }
  flush();
  return out;
}

/**
 * "<chart name>/templates/x.yaml" → the repository file, given the chart folder ("." for the root).
 * CRDs come as "crds/x.yaml", without the chart's name: the path is kept when it names a file.
 */
export function templateFile(chartPath: string, source: string, exists: (rel: string) => boolean): string {
  const inChart = (rest: string) => (chartPath === '.' ? rest : `${chartPath}/${rest}`);
  if (exists(inChart(source))) return inChart(source);
  const rest = source.split('/').slice(1).join('/');
  if (!rest) return inChart('Chart.yaml');
  return inChart(rest);
}

/** One scalar of a values file with where it is written. */
interface ValuesLeaf {
  key: string;
  value: string;
  file: string;
  line: number;
  column: number;
}

/** What the values files (and the Application's parameters) set, highest precedence first. */
export interface ValuesIndex {
  leaves: ValuesLeaf[];
  /** "image.tag" → where the value that wins is written (maps too: "resources"). */
  byPath: Map<string, SourceLocation>;
}

/**
 * `files` in helm's order (the chart's values.yaml first, the Application's values last); `set` are
 * the Application's parameters (they win over every file).
 */
export function valuesIndex(
  files: { file: string; text: string }[],
  set: { name: string; at: SourceLocation }[] = [],
): ValuesIndex {
  const leaves: ValuesLeaf[] = [];
  const byPath = new Map<string, SourceLocation>();
  for (const parameter of set) if (!byPath.has(parameter.name)) byPath.set(parameter.name, parameter.at);
  for (const { file, text } of [...files].reverse()) {
    const parsed = parseSourceFile(text, file);
    const doc = parsed.documents[0];
    if (!doc) continue;
    const walk = (value: unknown, path: JsonPath, depth: number) => {
      if (depth > 32 || leaves.length > 100_000) return;
      if (path.length > 0 && path.every((part) => typeof part === 'string')) {
        const dotted = path.join('.');
        if (!byPath.has(dotted)) {
          const at = doc.locate(path);
          byPath.set(dotted, { file, line: at.line, column: at.column });
        }
      }
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], depth + 1));
      else if (value && typeof value === 'object')
        for (const [key, item] of Object.entries(value)) walk(item, [...path, key], depth + 1);
      else if (value !== null && value !== undefined && path.length > 0) {
        const last = [...path].reverse().find((part) => typeof part === 'string');
        const at = doc.locate(path);
        leaves.push({ key: String(last ?? ''), value: String(value), file, line: at.line, column: at.column });
      }
    };
    walk(doc.value, [], 0);
  }
  return { leaves, byPath };
}

function valueAt(object: unknown, path: JsonPath): unknown {
  let current = object;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** A string long or odd enough that finding it in a values file is no coincidence. */
const distinctive = (value: string) => value.length >= 6 && !/^(true|false|null|\d+)$/i.test(value);

/** Where a rendered value is set in the values files, by its value, or undefined. */
export function locateByValue(index: ValuesIndex, object: KubeObject, path: JsonPath): SourceLocation | undefined {
  const { leaves } = index;
  const value = valueAt(object, path);
  if (value === undefined || value === null || typeof value === 'object') return undefined;
  const text = String(value);
  const key = String([...path].reverse().find((part) => typeof part === 'string') ?? '');
  const sameKey = leaves.find((leaf) => leaf.value === text && leaf.key === key);
  const any = sameKey ?? (distinctive(text) ? leaves.find((leaf) => leaf.value === text) : undefined);
  const found =
    any ??
    (key === 'image' && text.includes(':')
      ? leaves.find((leaf) => leaf.key === 'tag' && leaf.value === text.slice(text.lastIndexOf(':') + 1))
      : undefined);
  return found ? { file: found.file, line: found.line, column: found.column } : undefined;
}

/**
 * The values the template line reads (`.Values.image.tag`, `$.Values.x`), where the winning one is
 * written: the last reference on the line that a values file or parameter sets.
 */
export function locateByReference(index: ValuesIndex, templateLine: string): SourceLocation | undefined {
  const references = [...templateLine.matchAll(/\.Values\.([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)/g)].map(
    (match) => match[1],
  );
  for (const reference of references.reverse()) {
    // `.Values.image.tag | default .Chart.AppVersion`: the longest prefix a values file sets.
    const parts = reference.split('.');
    for (let length = parts.length; length > 0; length--) {
      const found = index.byPath.get(parts.slice(0, length).join('.'));
      if (found) return found;
    }
  }
  return undefined;
}

const indentOf = (line: string) => line.length - line.trimStart().length;
/** Lines that are only template actions (`{{- if .Values.x }}`) or comments: not YAML structure. */
const isStructural = (line: string) => {
  const trimmed = line.trim();
  return trimmed !== '' && !trimmed.startsWith('#') && !/^\{\{.*\}\}$/.test(trimmed);
};

/**
 * The template line that writes the field: the path's keys looked up one inside the other (each
 * within the block of the one before, by indentation), the last one found. Undefined when not even
 * the first key is written as such.
 */
export function locateInTemplate(template: string, path: JsonPath): number | undefined {
  const lines = template.split('\n');
  let found: number | undefined;
  let from = 0;
  let parentIndent = -1;
  for (const part of path) {
    if (typeof part !== 'string') continue;
    const escaped = part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`^\\s*(- )?["']?${escaped}["']?\\s*:`);
    let hit: number | undefined;
    for (let i = from; i < lines.length; i++) {
      const line = lines[i];
      if (!isStructural(line)) continue;
      const indent = indentOf(line);
      // The parent's block ends at a line no deeper than the parent (a list item may sit at its depth).
      if (
        i > from &&
        parentIndent >= 0 &&
        indent <= parentIndent &&
        !(indent === parentIndent && line.trimStart().startsWith('- '))
      )
        break;
      if (pattern.test(line)) {
        hit = i;
        break;
      }
    }
    if (hit === undefined) break;
    found = hit + 1;
    parentIndent = indentOf(lines[hit]) + (lines[hit].trimStart().startsWith('- ') ? 2 : 0);
    from = hit + 1;
  }
  return found;
}

export interface HelmResourceInput {
  object: KubeObject;
  /** Repository-relative template (or crds/) file. */
  file: string;
  /** The template's text ("" when unreadable). */
  template: string;
  /** For crds/ files: the parsed file (plain YAML). */
  plain?: SourceFile;
  values: ValuesIndex;
}

/** A Resource for one rendered Helm object. */
export function helmResource(input: HelmResourceInput, origin: Omit<ResourceOrigin, 'file' | 'line'>): Resource {
  const { object, file, template, plain, values } = input;
  const lines = template.split('\n');
  const plainDoc = plain?.documents.find(
    (doc) =>
      isKubeObject(doc.value) && doc.value.kind === object.kind && doc.value.metadata?.name === object.metadata?.name,
  );
  const startLine = plainDoc?.line ?? locateInTemplate(template, ['kind']) ?? 1;
  const locate = (path: JsonPath): SourceLocation => {
    if (plainDoc) return { file, ...plainDoc.locate(path) };
    const line = locateInTemplate(template, path);
    // `resources:` then `{{- toYaml .Values.resources | nindent 10 }}`: the actions right below a key are its value.
    let text = line ? lines[line - 1] : '';
    for (let next = line ?? lines.length; next < lines.length && /^\s*\{\{.*\}\}\s*$/.test(lines[next]); next++)
      text += `\n${lines[next]}`;
    const referenced = line ? locateByReference(values, text) : undefined;
    if (referenced) return referenced;
    const byValue = locateByValue(values, object, path);
    if (byValue) return byValue;
    return { file, line: line ?? startLine };
  };
  return { object, origin: originAt(origin, file, startLine), locate };
}

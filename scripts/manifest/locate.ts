// Where a person edits a rendered value: the overlay patch (or kustomization field) that set it,
// else the line in the source file the object came from. Source files are parsed line-precisely
// only when a finding asks, once each (SourceFiles caches them).
import { readRepoFile } from '../safe/files.ts';
import { repositoryRegex } from '../safe/regex.ts';
import type { JsonPath, KubeObject, Resource, ResourceOrigin, SourceLocation } from '../types.ts';
import { parseSourceFile, type SourceDocument, type SourceFile } from './source.ts';

/** Line-precise parses of repository files, on demand. Paths are relative to the root. */
export class SourceFiles {
  private readonly files = new Map<string, SourceFile | null>();
  private readonly texts = new Map<string, string | null>();
  constructor(readonly root: string) {}

  get(file: string): SourceFile | undefined {
    if (!this.files.has(file)) {
      // The one safe reader: the path may come from an annotation the repository wrote (render/apps.ts).
      const read = readRepoFile(this.root, file);
      let parsed: SourceFile | null = null;
      try {
        if (read.ok) parsed = parseSourceFile(read.text, file);
      } catch {
        parsed = null;
      }
      this.files.set(file, parsed);
    }
    return this.files.get(file) ?? undefined;
  }

  /** A file that is not YAML (a generator's env file), through the one safe reader of repository files. */
  text(file: string): string | undefined {
    if (!this.texts.has(file)) {
      const read = readRepoFile(this.root, file);
      this.texts.set(file, read.ok ? read.text : null);
    }
    return this.texts.get(file) ?? undefined;
  }
}

/** What locate needs to know about a kustomization: its patches and the lines of its fields. */
export interface KustomizationView {
  /** Repo-relative kustomization file. */
  file: string;
  doc: Record<string, unknown>;
  patches: {
    /** Repo-relative patch file, or undefined for an inline patch. */
    file?: string;
    inline?: string;
    target?: { kind?: string; name?: string; namespace?: string };
    /** Line of the entry in the kustomization file. */
    line: number;
  }[];
  /** Location of a field of the kustomization document. */
  locate(path: JsonPath): { line: number; column: number };
}

export interface RenderedOrigin {
  /** Repo-relative source file of the object. */
  file?: string;
  /** Repo-relative kustomization whose generator made it. */
  generatedBy?: string;
  transformedBy: { kustomization: string; kind: string }[];
}

export interface LocateContext {
  sources: SourceFiles;
  /** The kustomization view for a repo-relative kustomization file, if known. */
  kustomization(file: string): KustomizationView | undefined;
}

type Json = unknown;

function childOf(value: Json, key: string | number): Json {
  if (Array.isArray(value) && typeof key === 'number') return value[key];
  if (value && typeof value === 'object' && !Array.isArray(value))
    return (value as Record<string, unknown>)[String(key)];
  return undefined;
}

/** Keys kustomize's strategic merge uses to match list items (containers by name, ports by containerPort...). */
const MERGE_KEYS = ['name', 'mountPath', 'containerPort', 'port', 'ip', 'topologyKey', 'type', 'key'];

function mergeKeyOf(item: Json): [string, unknown] | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  for (const key of MERGE_KEYS) if (key in (item as object)) return [key, (item as Record<string, unknown>)[key]];
  return undefined;
}

/**
 * Translates a path in the rendered object into the same field in a source document whose lists may
 * be ordered differently (a patch lists one container; the base lists three): list items are matched
 * by their merge key. Returns the translated path and whether the whole path exists in the source.
 */
export function translatePath(rendered: Json, source: Json, path: JsonPath): { path: JsonPath; complete: boolean } {
  const out: JsonPath = [];
  let r = rendered;
  let s = source;
  for (const key of path) {
    if (typeof key === 'number' && Array.isArray(s)) {
      const renderedItem = childOf(r, key);
      const mergeKey = mergeKeyOf(renderedItem);
      let index = mergeKey
        ? s.findIndex((item) => mergeKeyOf(item)?.[1] === mergeKey[1] && mergeKeyOf(item)?.[0] === mergeKey[0])
        : -1;
      if (index < 0 && !mergeKey && key < s.length) index = key;
      if (index < 0) return { path: out, complete: false };
      out.push(index);
      r = renderedItem;
      s = s[index];
      continue;
    }
    const next = childOf(s, key);
    if (next === undefined) return { path: out, complete: false };
    out.push(key);
    r = childOf(r, key);
    s = next;
  }
  return { path: out, complete: true };
}

function nameMatches(renderedName: string | undefined, sourceName: unknown): boolean {
  if (typeof sourceName !== 'string' || !renderedName) return false;
  // namePrefix/nameSuffix and generator hashes change the name after the source was written.
  return renderedName === sourceName || renderedName.includes(sourceName);
}

/** The document of a source file that holds `object` (same kind, name equal or prefixed/suffixed). */
export function findDocument(source: SourceFile, object: KubeObject): SourceDocument | undefined {
  const candidates = source.documents.filter((doc) => {
    const value = doc.value as KubeObject | null;
    return value && typeof value === 'object' && value.kind === object.kind;
  });
  const exact = candidates.find((doc) => (doc.value as KubeObject).metadata?.name === object.metadata?.name);
  if (exact) return exact;
  const loose = candidates.filter((doc) =>
    nameMatches(object.metadata?.name, (doc.value as KubeObject).metadata?.name),
  );
  if (loose.length > 0)
    return loose.sort(
      (a, b) =>
        String((b.value as KubeObject).metadata?.name).length - String((a.value as KubeObject).metadata?.name).length,
    )[0];
  return candidates.length === 1 ? candidates[0] : undefined;
}

function targetMatches(
  target: { kind?: string; name?: string; namespace?: string } | undefined,
  object: KubeObject,
): boolean {
  if (!target) return true;
  if (target.kind && target.kind !== object.kind) return false;
  if (target.name) {
    const name = object.metadata?.name ?? '';
    let matched = name.includes(target.name);
    try {
      // kustomize anchors the target name as a Go regex; RE2 here too: the pattern is the repository's.
      matched ||= repositoryRegex(target.name).matches(name);
    } catch {
      // not a regex: the substring test decides
    }
    if (!matched) return false;
  }
  return true;
}

/** JSON pointer "/spec/template/spec/containers/0/image" as a path. */
function pointerToPath(pointer: string): JsonPath {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function startsWith(path: JsonPath, prefix: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => String(key) === String(path[i]));
}

/**
 * How a patch touches a field: it `sets` a value there (a scalar, a list it replaces, a JSON 6902
 * add/replace), `removes` it (a JSON 6902 remove, a strategic-merge null or `$patch: delete` on the
 * field or one of its parents), or only `names` it: a strategic-merge patch repeats the object's name,
 * a container's name and the maps on the way to what it changes so that kustomize can match them;
 * those were written by the base, and a finding about them belongs there.
 */
type PatchTouch = { how: 'sets' | 'removes' | 'names'; at: SourceLocation };

/** Keys a strategic-merge patch repeats to say which object it patches. */
const IDENTITY_PATHS: JsonPath[] = [['apiVersion'], ['kind'], ['metadata', 'name'], ['metadata', 'namespace']];

function isPlainMap(value: Json): value is Record<string, unknown> {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Walks `path` (already translated to the patch's list order) through a strategic-merge patch:
 * a null or `$patch: delete` on the way is a removal at that depth.
 */
function removalIn(partial: Json, path: JsonPath): JsonPath | undefined {
  let node = partial;
  for (let depth = 0; depth < path.length; depth++) {
    node = childOf(node, path[depth]);
    if (node === null) return path.slice(0, depth + 1);
    if (isPlainMap(node) && node.$patch === 'delete') return path.slice(0, depth + 1);
    if (node === undefined) return undefined;
  }
  return undefined;
}

/** How the strategic-merge `partial` touches the field at `translated` (complete in it). */
function mergeTouch(partial: Json, translated: JsonPath): PatchTouch['how'] {
  if (IDENTITY_PATHS.some((identity) => identity.length === translated.length && startsWith(translated, identity)))
    return 'names';
  const value = childAt(partial, translated);
  // A map, and a list of maps (merged by key), are containers of what the patch changes.
  if (isPlainMap(value) || (Array.isArray(value) && value.some(isPlainMap))) return 'names';
  // The merge key of a list item (a container's name, a port's containerPort) matches the item.
  const last = translated[translated.length - 1];
  const parent = childAt(partial, translated.slice(0, -1));
  if (typeof last === 'string' && typeof translated[translated.length - 2] === 'number' && isPlainMap(parent))
    if (mergeKeyOf(parent)?.[0] === last) return 'names';
  return 'sets';
}

/** How a patch touches `path` of `object`, or undefined when it does not. */
function locateInPatch(
  patch: KustomizationView['patches'][number],
  view: KustomizationView,
  object: KubeObject,
  path: JsonPath,
  sources: SourceFiles,
): PatchTouch | undefined {
  let source: SourceFile | undefined;
  let lineOffset = 0;
  let file: string;
  if (patch.file) {
    source = sources.get(patch.file);
    file = patch.file;
  } else if (patch.inline !== undefined) {
    source = parseSourceFile(patch.inline, view.file);
    file = view.file;
    lineOffset = patch.line; // a block scalar starts on the line after `patch: |`
  } else {
    return undefined;
  }
  if (!source) return undefined;
  const place = (at: { line: number; column: number }): SourceLocation => ({
    file,
    line: at.line + lineOffset,
    column: at.column,
  });
  for (const doc of source.documents) {
    const value = doc.value;
    if (Array.isArray(value)) {
      // JSON 6902: a list of operations, each with a JSON pointer; the last one to touch the field wins.
      if (!targetMatches(patch.target, object) || !patch.target) continue;
      for (let i = value.length - 1; i >= 0; i--) {
        const op = value[i] as { op?: string; path?: string };
        if (typeof op?.path !== 'string' || op.op === 'test') continue;
        const opPath = pointerToPath(op.path);
        if (!startsWith(path, opPath)) continue;
        if (op.op === 'remove') return { how: 'removes', at: place(doc.locate([i])) };
        if (op.op !== 'add' && op.op !== 'replace' && op.op !== 'copy' && op.op !== 'move') continue;
        const rest = path.slice(opPath.length);
        return { how: 'sets', at: place(doc.locate(rest.length > 0 ? [i, 'value', ...rest] : [i, 'value'])) };
      }
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    const partial = value as KubeObject;
    const applies = patch.target
      ? targetMatches(patch.target, object)
      : partial.kind === object.kind && nameMatches(object.metadata?.name, partial.metadata?.name);
    if (!applies) continue;
    const translated = translatePath(object, partial, path);
    // A field the rendered object lacks may be one this patch deleted.
    const removed = removalIn(
      partial,
      translated.complete ? translated.path : [...translated.path, ...path.slice(translated.path.length)],
    );
    if (removed) return { how: 'removes', at: place(doc.locate(removed)) };
    if (!translated.complete) continue;
    return { how: mergeTouch(partial, translated.path), at: place(doc.locate(translated.path)) };
  }
  return undefined;
}

/** Kustomization fields that set a value directly: images, replicas, namespace, name prefix. */
function locateInKustomizationField(
  view: KustomizationView,
  transformer: string,
  object: KubeObject,
  path: JsonPath,
): SourceLocation | undefined {
  const last = path[path.length - 1];
  const at = (fieldPath: JsonPath): SourceLocation => ({ file: view.file, ...view.locate(fieldPath) });
  if (transformer === 'ImageTagTransformer' && last === 'image' && Array.isArray(view.doc.images)) {
    const image = String(childAt(object, path) ?? '');
    const index = (view.doc.images as { name?: string; newName?: string }[]).findIndex(
      (entry) => (entry.newName && image.startsWith(entry.newName)) || (entry.name && image.startsWith(entry.name)),
    );
    if (index >= 0) {
      // The field that wrote the reference's version (the usual subject of an image finding), else the entry.
      const entry = (view.doc.images as Record<string, unknown>[])[index];
      const field = ['digest', 'newTag', 'newName'].find((key) => key in entry);
      return at(field ? ['images', index, field] : ['images', index]);
    }
  }
  if (transformer === 'ReplicaCountTransformer' && last === 'replicas' && Array.isArray(view.doc.replicas)) {
    const index = (view.doc.replicas as { name?: string }[]).findIndex((entry) =>
      nameMatches(object.metadata?.name, entry.name),
    );
    if (index >= 0) return at(['replicas', index, 'count']);
  }
  if (
    transformer === 'NamespaceTransformer' &&
    path[0] === 'metadata' &&
    path[1] === 'namespace' &&
    'namespace' in view.doc
  )
    return at(['namespace']);
  if (transformer === 'PrefixSuffixTransformer' && path[0] === 'metadata' && path[1] === 'name') {
    if ('namePrefix' in view.doc) return at(['namePrefix']);
    if ('nameSuffix' in view.doc) return at(['nameSuffix']);
  }
  return undefined;
}

function childAt(value: Json, path: JsonPath): Json {
  let current = value;
  for (const key of path) current = childOf(current, key);
  return current;
}

const PATCH_TRANSFORMERS = new Set(['PatchTransformer', 'PatchStrategicMergeTransformer', 'PatchJson6902Transformer']);

/**
 * The file and line to edit for `path` of a rendered object: the last patch or kustomization field
 * that set or removed it; else the line of the object's source file that wrote it; else a patch that
 * only named it (it added the item the base lacks); else the nearest line of the source or generator.
 */
export function locateRendered(
  object: KubeObject,
  origin: RenderedOrigin,
  path: JsonPath,
  ctx: LocateContext,
  fallbackFile: string,
): SourceLocation {
  let named: SourceLocation | undefined;
  // Transformers are listed in the order kustomize applied them; the last one to touch a value set it.
  for (const { kustomization, kind } of [...origin.transformedBy].reverse()) {
    const view = ctx.kustomization(kustomization);
    if (!view) continue;
    if (PATCH_TRANSFORMERS.has(kind)) {
      for (const patch of [...view.patches].reverse()) {
        const touch = locateInPatch(patch, view, object, path, ctx.sources);
        if (!touch) continue;
        if (touch.how !== 'names') return touch.at;
        // The earliest patch that names it is the one that may have added it.
        named = touch.at;
      }
    } else {
      const found = locateInKustomizationField(view, kind, object, path);
      if (found) return found;
    }
  }
  if (origin.file) {
    const source = ctx.sources.get(origin.file);
    const doc = source && findDocument(source, object);
    if (doc) {
      const translated = translatePath(object, doc.value, path);
      if (!translated.complete && named) return named;
      return { file: origin.file, ...doc.locate(translated.path) };
    }
    if (named) return named;
    return { file: origin.file, ...(source?.documents[0] ? { line: source.documents[0].line } : {}) };
  }
  if (named) return named;
  if (origin.generatedBy) {
    const view = ctx.kustomization(origin.generatedBy);
    if (view) {
      const found = locateInGenerator(view, object, path, ctx.sources);
      if (found) return found;
    }
    return { file: origin.generatedBy, line: 1 };
  }
  return { file: fallbackFile, line: 1 };
}

/** `KEY=value` (literals, env files) or `KEY=path` / `path` (files): the key it makes. */
function generatorKey(entry: string, kind: 'literal' | 'file'): string {
  const equals = entry.indexOf('=');
  if (equals > 0) return entry.slice(0, equals).trim();
  // A file source without a key is named by its file name.
  return kind === 'file' ? entry.slice(entry.lastIndexOf('/') + 1).trim() : entry.trim();
}

/**
 * Where a configMapGenerator / secretGenerator entry writes `path` of the object it made: the
 * `literals:` or `files:` item that makes the key, or the key's line in an `envs:` file; else the
 * generator entry.
 */
function locateInGenerator(
  view: KustomizationView,
  object: KubeObject,
  path: JsonPath,
  sources: SourceFiles,
): SourceLocation | undefined {
  const key = kindGeneratorKey(object);
  if (!key) return undefined;
  const entries = view.doc[key];
  if (!Array.isArray(entries)) return undefined;
  const index = entries.findIndex((entry: { name?: string }) => nameMatches(object.metadata?.name, entry?.name));
  if (index < 0) return undefined;
  const at = (fieldPath: JsonPath): SourceLocation => ({ file: view.file, ...view.locate(fieldPath) });
  const dataKey = (path[0] === 'data' || path[0] === 'stringData' || path[0] === 'binaryData') && path[1];
  if (typeof dataKey !== 'string') return at([key, index]);
  const entry = entries[index] as Record<string, unknown>;
  for (const [field, kind] of [
    ['literals', 'literal'],
    ['files', 'file'],
  ] as const) {
    const list = entry[field];
    if (!Array.isArray(list)) continue;
    const item = list.findIndex((value) => typeof value === 'string' && generatorKey(value, kind) === dataKey);
    if (item >= 0) return at([key, index, field, item]);
  }
  const envs = [
    ...(Array.isArray(entry.envs) ? entry.envs : []),
    ...(typeof entry.env === 'string' ? [entry.env] : []),
  ];
  const folder = view.file.includes('/') ? view.file.slice(0, view.file.lastIndexOf('/') + 1) : '';
  // Later env files win in kustomize, so the last one that has the key wrote it.
  for (const envFile of [...envs].reverse()) {
    if (typeof envFile !== 'string') continue;
    const file = normalizeRelative(folder + envFile);
    const lines = file === undefined ? undefined : sources.text(file)?.split('\n');
    const line = lines?.findIndex((text) => generatorKey(text, 'literal') === dataKey) ?? -1;
    if (file !== undefined && line >= 0) return { file, line: line + 1, column: 1 };
  }
  return at([key, index]);
}

function kindGeneratorKey(object: KubeObject): 'configMapGenerator' | 'secretGenerator' | undefined {
  if (object.kind === 'ConfigMap') return 'configMapGenerator';
  if (object.kind === 'Secret') return 'secretGenerator';
  return undefined;
}

/** `a/b/../c.env` as `a/c.env`; undefined when it leaves the root. */
function normalizeRelative(file: string): string | undefined {
  const out: string[] = [];
  for (const part of file.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** A Resource for a rendered object whose locate() walks patches and source files lazily. */
export function renderedResource(
  object: KubeObject,
  origin: RenderedOrigin,
  resourceOrigin: Omit<ResourceOrigin, 'file' | 'line'>,
  ctx: LocateContext,
  fallbackFile: string,
): Resource {
  const file = origin.file ?? origin.generatedBy ?? fallbackFile;
  let start: SourceLocation | undefined;
  const objectStart = (): SourceLocation =>
    (start ??= locateRendered(object, { ...origin, transformedBy: [] }, [], ctx, fallbackFile));
  const full: ResourceOrigin = {
    ...resourceOrigin,
    file,
    // The object's line in its source file is only parsed for when someone reads it.
    get line() {
      return objectStart().line;
    },
  } as ResourceOrigin;
  return {
    object,
    origin: full,
    locate: (path) => locateRendered(object, origin, path, ctx, fallbackFile),
  };
}

// Objects added, removed, changed and renamed per environment and app, with a unified diff of the
// rendered YAML in the stable key order. A ConfigMap or Secret whose kustomize hash suffix changed
// (app-config-7g2b5h9c4d → app-config-k8f6dm2t9b) is one object renamed, not one removed and one added.
import { structuredPatch } from 'diff';
import { compareText } from '../finding-order.ts';
import type { JsonPath, ResourceRef, SourceLocation } from '../types.ts';
import { canonicalYaml, changedPaths, formatPath, sameValue } from './canonical.ts';
import type { MaskedValue } from './mask.ts';
import { refKey, type SideSnapshot, type SnapshotApp, type SnapshotObject } from './snapshot.ts';

export type Change = 'added' | 'removed' | 'changed';
export type ObjectChange = Change | 'renamed';

export interface SecretChange {
  path: string;
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  before?: string;
  after?: string;
}

export interface ObjectDiff {
  change: ObjectChange;
  /** The object on the head side (on the base side when removed). */
  ref: ResourceRef;
  /** The base side's name of a renamed object. */
  previousName?: string;
  /** Source file on the head side (base side when removed). */
  file: string;
  line?: number;
  /** Leaf paths that differ (changed and renamed objects), at most 20. */
  paths: string[];
  /** The line that sets the first changed value on the head side (the overlay's patch or images entry), when known. */
  edit?: SourceLocation;
  /** Unified diff of the canonical YAML; lines past the limit are cut with a last line saying so. */
  diff: string;
  /** Masked values of this object and whether each changed: never the values themselves. */
  secrets: SecretChange[];
}

export interface AppDiff {
  app: string;
  env?: string;
  /** renamed: the same objects now come from another folder (`previousApp`). */
  change: Change | 'renamed';
  previousApp?: string;
  /** Set when one side did not render: its objects are not compared (render findings say why). */
  notRendered?: { base?: string; head?: string };
  objects: ObjectDiff[];
}

export interface DiffTextOptions {
  /** Lines of context around each change (default 3). */
  context?: number;
  /** Lines per object diff before it is cut (default 400). */
  maxLines?: number;
}

/** kustomize's name hash: a dash and 10 characters of its alphabet (hex with 0 1 3 a e replaced). */
const HASH_SUFFIX = /-[2456789bcdfghkmt]{10}$/;
const HASHED_KINDS = new Set(['ConfigMap', 'Secret']);
/** Past this many edits, jsdiff gives up (bounded time and memory on a huge embedded file). */
const MAX_EDIT_LENGTH = 5000;

export function diffApps(base: SideSnapshot, head: SideSnapshot, options: DiffTextOptions = {}): AppDiff[] {
  const baseApps = new Map(base.apps.map((app) => [app.id, app]));
  const headApps = new Map(head.apps.map((app) => [app.id, app]));
  const renames = pairAppRenames(
    base.apps.filter((app) => !headApps.has(app.id)),
    head.apps.filter((app) => !baseApps.has(app.id)),
  );
  const renamedTo = new Set(renames.values());
  const out: AppDiff[] = [];
  for (const id of [...new Set([...baseApps.keys(), ...headApps.keys()])].sort(compareText)) {
    const before = baseApps.get(id);
    const after = headApps.get(id);
    if (after && renamedTo.has(after)) continue;
    const diff =
      before && renames.has(before)
        ? renamedApp(before, renames.get(before)!, options)
        : diffApp(before, after, options);
    if (diff) out.push(diff);
  }
  return out;
}

/**
 * A folder renamed or moved (overlays/prod/api → overlays/prod/orders): an app gone and an app new in
 * the same environment that render the same objects (by identity, hash suffixes aside), paired only
 * when no other app of that environment could be the partner.
 */
function pairAppRenames(removed: SnapshotApp[], added: SnapshotApp[]): Map<SnapshotApp, SnapshotApp> {
  const identity = (app: SnapshotApp) =>
    JSON.stringify([
      app.env ?? '',
      app.objects.map((object) => stemKey(object) ?? refKey(object.ref)).sort(compareText),
    ]);
  const out = new Map<SnapshotApp, SnapshotApp>();
  const addedByIdentity = groupBy(
    added.filter((app) => app.objects.length > 0),
    identity,
  );
  const removedByIdentity = groupBy(
    removed.filter((app) => app.objects.length > 0),
    identity,
  );
  for (const [key, olds] of removedByIdentity) {
    const news = addedByIdentity.get(key);
    if (olds.length === 1 && news?.length === 1) out.set(olds[0], news[0]);
  }
  return out;
}

function renamedApp(before: SnapshotApp, after: SnapshotApp, options: DiffTextOptions): AppDiff {
  return {
    app: after.id,
    ...(after.env ? { env: after.env } : {}),
    change: 'renamed',
    previousApp: before.id,
    objects: diffObjects(before.objects, after.objects, options),
  };
}

function diffApp(
  before: SnapshotApp | undefined,
  after: SnapshotApp | undefined,
  options: DiffTextOptions,
): AppDiff | undefined {
  const app = (after ?? before)!;
  const change: Change = !before ? 'added' : !after ? 'removed' : 'changed';
  const env = after?.env ?? before?.env;
  const entry = (objects: ObjectDiff[], notRendered?: AppDiff['notRendered']): AppDiff => ({
    app: app.id,
    ...(env ? { env } : {}),
    change,
    ...(notRendered ? { notRendered } : {}),
    objects,
  });
  if (before?.renderError || after?.renderError) {
    if (before && after && before.renderError === after.renderError) return undefined;
    return entry([], {
      ...(before?.renderError ? { base: before.renderError } : {}),
      ...(after?.renderError ? { head: after.renderError } : {}),
    });
  }
  const objects = diffObjects(before?.objects ?? [], after?.objects ?? [], options);
  if (objects.length === 0 && change === 'changed') return undefined;
  return entry(objects);
}

/** The objects of one app on both sides, paired by identity, then by hash-suffixed name. */
export function diffObjects(
  before: SnapshotObject[],
  after: SnapshotObject[],
  options: DiffTextOptions = {},
): ObjectDiff[] {
  const baseByKey = keyed(before);
  const headByKey = keyed(after);
  const out: ObjectDiff[] = [];
  const removed: SnapshotObject[] = [];
  const added: SnapshotObject[] = [];
  for (const [key, object] of baseByKey) {
    const counterpart = headByKey.get(key);
    if (!counterpart) removed.push(object);
    else if (!sameValue(object.object, counterpart.object)) out.push(pairDiff('changed', object, counterpart, options));
  }
  for (const [key, object] of headByKey) if (!baseByKey.has(key)) added.push(object);

  // kustomize's content hash renamed it: same kind, namespace and name without the suffix, on both sides once.
  const addedByStem = groupBy(added, stemKey);
  const removedByStem = groupBy(removed, stemKey);
  const renamed = new Set<SnapshotObject>();
  for (const [key, olds] of removedByStem) {
    const news = addedByStem.get(key);
    if (olds.length !== 1 || news?.length !== 1) continue;
    out.push(pairDiff('renamed', olds[0], news[0], options));
    renamed.add(olds[0]).add(news[0]);
  }
  for (const object of removed) if (!renamed.has(object)) out.push(soloDiff('removed', object, options));
  for (const object of added) if (!renamed.has(object)) out.push(soloDiff('added', object, options));
  return out.sort((a, b) => compareText(refKey(a.ref), refKey(b.ref)) || compareText(a.change, b.change));
}

/** The identity of a generated ConfigMap or Secret without its hash suffix; undefined for other objects. */
function stemKey(object: SnapshotObject): string | undefined {
  return HASHED_KINDS.has(object.ref.kind) && HASH_SUFFIX.test(object.ref.name)
    ? refKey({ ...object.ref, name: object.ref.name.replace(HASH_SUFFIX, '') })
    : undefined;
}

function keyed(objects: SnapshotObject[]): Map<string, SnapshotObject> {
  const out = new Map<string, SnapshotObject>();
  for (const object of objects) {
    // The same object twice in one app (two loose files) stays two entries, in order.
    let key = refKey(object.ref);
    for (let n = 2; out.has(key); n++) key = `${refKey(object.ref)}#${n}`;
    out.set(key, object);
  }
  return out;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    out.set(key, [...(out.get(key) ?? []), item]);
  }
  return out;
}

function pairDiff(
  change: 'changed' | 'renamed',
  before: SnapshotObject,
  after: SnapshotObject,
  options: DiffTextOptions,
): ObjectDiff {
  const paths = changedPaths(before.object, after.object);
  // A hash-suffix rename changes the name because the content changed: the content is what was edited.
  const edited = paths.find((path) => !(path.length === 2 && path[0] === 'metadata' && path[1] === 'name')) ?? paths[0];
  const edit = edited && after.locate ? editLocation(after.locate, edited) : undefined;
  return {
    change,
    ref: after.ref,
    ...(change === 'renamed' ? { previousName: before.ref.name } : {}),
    file: after.file,
    ...lineOf(after),
    paths: paths.map(formatPath),
    ...(edit ? { edit } : {}),
    diff: unifiedDiff(canonicalYaml(before.object), canonicalYaml(after.object), options),
    secrets: secretChanges(before.secrets, after.secrets),
  };
}

function soloDiff(change: 'added' | 'removed', object: SnapshotObject, options: DiffTextOptions): ObjectDiff {
  const text = canonicalYaml(object.object);
  return {
    change,
    ref: object.ref,
    file: object.file,
    ...lineOf(object),
    paths: [],
    diff: change === 'added' ? unifiedDiff('', text, options) : unifiedDiff(text, '', options),
    secrets: change === 'added' ? secretChanges([], object.secrets) : secretChanges(object.secrets, []),
  };
}

/**
 * The line the object starts at in its source file: asked of the live side only for objects in the
 * diff (finding it parses the source file), absent for a cached side's objects.
 */
function lineOf(object: SnapshotObject): { line?: number } {
  const line = object.locate ? editLocation(object.locate, [])?.line : undefined;
  return line ? { line } : {};
}

/** Where the value at `path` is written; nothing when locating fails (a report never breaks on it). */
export function editLocation(locate: (path: JsonPath) => SourceLocation, path: JsonPath): SourceLocation | undefined {
  try {
    const at = locate(path);
    return { file: at.file, ...(at.line ? { line: at.line } : {}) };
  } catch {
    return undefined;
  }
}

/** Each masked path on either side: added, removed, changed (different hash) or unchanged. */
export function secretChanges(before: MaskedValue[], after: MaskedValue[]): SecretChange[] {
  const old = new Map(before.map((value) => [value.path, value.hash]));
  const now = new Map(after.map((value) => [value.path, value.hash]));
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort(compareText);
  return paths.map((path) => {
    const a = old.get(path);
    const b = now.get(path);
    const change = a === undefined ? 'added' : b === undefined ? 'removed' : a === b ? 'unchanged' : 'changed';
    return { path, change, ...(a !== undefined ? { before: a } : {}), ...(b !== undefined ? { after: b } : {}) };
  });
}

/**
 * The hunks of a unified diff (no file header: the formats name the object). A diff past `maxLines`
 * is cut; one past jsdiff's edit budget says only how many lines each side has.
 */
export function unifiedDiff(before: string, after: string, options: DiffTextOptions = {}): string {
  const context = options.context ?? 3;
  const maxLines = options.maxLines ?? 400;
  const patch = structuredPatch('base', 'head', before, after, undefined, undefined, {
    context,
    maxEditLength: MAX_EDIT_LENGTH,
  });
  if (!patch) {
    const count = (text: string) => (text ? text.split('\n').length - 1 : 0);
    return `@@ too many changes to show: ${count(before)} lines before, ${count(after)} after @@\n`;
  }
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) if (!line.startsWith('\\')) lines.push(line);
  }
  if (lines.length > maxLines) {
    const cut = lines.length - maxLines;
    return `${lines.slice(0, maxLines).join('\n')}\n@@ ${cut} more diff lines not shown @@\n`;
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

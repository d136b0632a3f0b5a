// An Application's `spec.source.kustomize` as a kustomization. Argo CD applies these fields with
// `kustomize edit` on a copy of the app's folder, then builds it; validation never writes into the
// checkout, so it builds a small overlay instead: a kustomization (outside the repository) whose only
// resource is the app's folder and whose fields are the Application's. Images, name prefix and
// suffix, namespace, labels, annotations, replicas and patches act on the app's output the same way
// at either level; components are applied after the app's own transformers rather than before them
// (a component that patches by name sees prefixed names), a difference docs/architecture.md notes.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { JsonPath } from '../types.ts';

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** `kustomize edit set image` syntax: `[name=]newName[:tag][@digest]`, or `name:tag`, `name@digest`. */
export function parseImageOverride(spec: string): { name: string; newName?: string; newTag?: string; digest?: string } {
  const split = (reference: string) => {
    let rest = reference;
    let digest: string | undefined;
    const at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.slice(at + 1);
      rest = rest.slice(0, at);
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
    return { image: rest, tag, digest };
  };
  const eq = spec.indexOf('=');
  if (eq >= 0) {
    const target = split(spec.slice(eq + 1));
    return {
      name: spec.slice(0, eq),
      ...(target.image ? { newName: target.image } : {}),
      ...(target.tag ? { newTag: target.tag } : {}),
      ...(target.digest ? { digest: target.digest } : {}),
    };
  }
  const own = split(spec);
  return { name: own.image, ...(own.tag ? { newTag: own.tag } : {}), ...(own.digest ? { digest: own.digest } : {}) };
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(value)) for (const [key, item] of Object.entries(value)) if (item !== null) out[key] = String(item);
  return out;
}

/** The kustomization document the overlay writes, with, per field, where it came from in the Application. */
export interface OverlayDocument {
  doc: Record<string, unknown>;
  /** A path in `doc` → the path in the Application source's `kustomize` block that wrote it. */
  origin(path: JsonPath): JsonPath | undefined;
}

/**
 * The overlay kustomization for `overrides` (the Application's kustomize block) over the folder at
 * `resource` (a path relative to the overlay). `component(path)` turns a component path, relative
 * to the app's folder as Argo CD reads it, into one relative to the overlay; `patchFile(path)` gives
 * a patch file's text (the overlay inlines it: kustomize reads no file outside an overlay's folder).
 */
export function overlayDocument(
  overrides: Record<string, unknown>,
  resource: string,
  component: (path: string) => string | undefined,
  patchFile: (path: string) => string | undefined,
): OverlayDocument {
  const doc: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [resource],
  };
  const origins = new Map<string, JsonPath>();
  const note = (docPath: JsonPath, sourcePath: JsonPath) => origins.set(JSON.stringify(docPath), sourcePath);
  for (const field of ['namePrefix', 'nameSuffix', 'namespace'] as const) {
    if (typeof overrides[field] === 'string' && overrides[field] !== '') {
      doc[field] = overrides[field];
      note([field], [field]);
    }
  }
  if (Array.isArray(overrides.images)) {
    doc.images = overrides.images
      .filter((image) => typeof image === 'string')
      .map((image) => parseImageOverride(image));
    overrides.images.forEach((_, i) => note(['images', i], ['images', i]));
  }
  if (Array.isArray(overrides.replicas)) {
    doc.replicas = overrides.replicas
      .filter(isMap)
      .map((replica) => ({ name: String(replica.name ?? ''), count: Number(replica.count) }));
    overrides.replicas.forEach((_, i) => note(['replicas', i, 'count'], ['replicas', i, 'count']));
  }
  const labels = stringMap(overrides.commonLabels);
  if (Object.keys(labels).length > 0) {
    if (overrides.labelWithoutSelector === true) {
      doc.labels = [
        { pairs: labels, includeSelectors: false, includeTemplates: overrides.labelIncludeTemplates === true },
      ];
      note(['labels'], ['commonLabels']);
    } else {
      doc.commonLabels = labels;
      note(['commonLabels'], ['commonLabels']);
    }
  }
  const annotations = stringMap(overrides.commonAnnotations);
  if (Object.keys(annotations).length > 0) {
    doc.commonAnnotations = annotations;
    note(['commonAnnotations'], ['commonAnnotations']);
  }
  if (Array.isArray(overrides.components)) {
    const components: string[] = [];
    overrides.components.forEach((entry) => {
      if (typeof entry !== 'string') return;
      const path = component(entry);
      if (path !== undefined) components.push(path);
    });
    if (components.length > 0) doc.components = components;
  }
  if (Array.isArray(overrides.patches)) {
    const patches: Record<string, unknown>[] = [];
    overrides.patches.forEach((patch, i) => {
      if (!isMap(patch)) return;
      const text =
        typeof patch.patch === 'string'
          ? patch.patch
          : typeof patch.path === 'string'
            ? patchFile(patch.path)
            : undefined;
      if (text === undefined) return;
      note(['patches', patches.length], ['patches', i, typeof patch.patch === 'string' ? 'patch' : 'path']);
      patches.push({ patch: text, ...(isMap(patch.target) ? { target: patch.target } : {}) });
    });
    if (patches.length > 0) doc.patches = patches;
  }
  return {
    doc,
    origin(path) {
      for (let length = path.length; length > 0; length--) {
        const found = origins.get(JSON.stringify(path.slice(0, length)));
        if (found) return found;
      }
      return undefined;
    },
  };
}

/**
 * Writes the overlay under `baseDir` (a private cache folder, never the checkout) in a folder named by
 * the app's folder and the overrides, so the same Application gives the same path run after run and
 * the render cache key (which hashes every input's path and content) stays stable.
 */
export function writeOverlay(
  baseDir: string,
  appDir: string,
  overrides: Record<string, unknown>,
  build: (resource: string, overlayDir: string) => OverlayDocument,
): { dir: string; file: string; overlay: OverlayDocument } {
  const name = createHash('sha256').update(appDir).update('\0').update(JSON.stringify(overrides)).digest('hex');
  const dir = join(baseDir, name.slice(0, 32));
  const overlay = build(toPosix(relative(dir, appDir)) || '.', dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'kustomization.yaml');
  writeFileSync(file, `${JSON.stringify(overlay.doc, null, 2)}\n`, { mode: 0o600 });
  return { dir, file, overlay };
}

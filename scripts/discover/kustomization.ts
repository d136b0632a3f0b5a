// Reading one kustomization file: what it references (for the render cache key, --changed-since,
// the app/base decision and locating patches) and what cannot render offline (with the line).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { parseSourceFile, type SourceFile, type YamlProblem } from '../manifest/source.ts';
import { isRemoteTarget } from '../render/remote.ts';
import type { JsonPath } from '../types.ts';
import { readRepoFile } from '../safe/files.ts';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export type OfflineReason = 'remote-base' | 'helm-charts' | 'plugin';

export interface OfflineProblem {
  reason: OfflineReason;
  /** What the entry is, for the message: the URL, the chart name, the plugin kind. */
  what: string;
  line: number;
}

/** A patch a kustomization lists; `locate` matches these against rendered objects. */
export interface PatchRef {
  /** Absolute patch file, or undefined for an inline patch. */
  file?: string;
  /** Inline patch text (patches[].patch, or an inline patchesStrategicMerge entry). */
  inline?: string;
  /** JSON6902 patches are lists of operations; the others are partial objects (strategic merge). */
  type: 'strategic-merge' | 'json6902' | 'unknown';
  target?: {
    kind?: string;
    name?: string;
    namespace?: string;
    group?: string;
    labelSelector?: string;
    annotationSelector?: string;
  };
  /** Path of the entry in the kustomization document, e.g. ['patches', 0]; its line: info.locate(path). */
  path: JsonPath;
}

export interface KustomizationInfo {
  /** Absolute folder. */
  dir: string;
  /** Absolute kustomization file. */
  file: string;
  kind: 'Kustomization' | 'Component';
  /** The line-precise parse, made on first use (most runs never need a kustomization's lines). */
  readonly source: SourceFile;
  /** Line and column of a field of the kustomization document. */
  locate(path: JsonPath): { line: number; column: number };
  /** The parsed document (empty object when the file has no mapping). */
  doc: Record<string, unknown>;
  /** Absolute kustomization folders it builds on (resources, bases, components). */
  dependencies: string[];
  /** Absolute files it reads directly (resource files, patches, generator inputs, configurations...). */
  files: string[];
  /** Absolute local files listed in `resources` (manifests it deploys, as opposed to patches and generator inputs). */
  resourceFiles: string[];
  patches: PatchRef[];
  offline: OfflineProblem[];
  problems: YamlProblem[];
}

export function kustomizationFileIn(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const file = join(dir, name);
    if (existsSync(file) && pathKind(file) === 'file') return file;
  }
  return undefined;
}

/**
 * What a local path is: one stat call, never an exception. A path that cannot be resolved (a symlink
 * loop, a permission problem) counts as a file: it stays among the inputs and kustomize, which cannot
 * read it either, reports it as a render failure with its own words.
 */
function pathKind(abs: string): 'dir' | 'file' | 'missing' {
  try {
    const stats = statSync(abs, { throwIfNoEntry: false });
    return !stats ? 'missing' : stats.isDirectory() ? 'dir' : 'file';
  } catch {
    return 'file';
  }
}

/**
 * Remote resources kustomize would fetch: every form it accepts (render/remote.ts), unless a local
 * file of that name exists (kustomize reads a local file first; a local folder does not stop a clone).
 */
export function isRemoteReference(entry: string, baseDir: string): boolean {
  if (/^https?:\/\//i.test(entry)) return true;
  return isRemoteTarget(entry) && pathKind(resolve(baseDir, entry)) !== 'file';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter(
        (item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item),
      )
    : [];
}

/** "key=path" or "path" in generator `files`. */
function generatorFile(entry: string): string {
  const eq = entry.indexOf('=');
  return eq >= 0 ? entry.slice(eq + 1) : entry;
}

/**
 * Reads a kustomization file of the repository at `root`. Never throws: YAML problems are returned for
 * the pipeline to report. Through the one safe reader: a kustomization file may be a link to a device
 * (`/dev/zero`), a FIFO or a file outside; such a file reads as empty, and discovery reports the link.
 */
export function readKustomization(file: string, root: string): KustomizationInfo {
  const dir = dirname(file);
  const read = readRepoFile(root, file);
  const text = read.ok ? read.text : '';
  // The fast parser first (every run reads every kustomization); the line-precise one only for bad
  // YAML (its problems carry lines) or when a line is asked for.
  let source: SourceFile | undefined;
  const precise = () => (source ??= parseSourceFile(text, file));
  let first: unknown;
  let problems: YamlProblem[] = [];
  try {
    first = load(text);
  } catch {
    problems = precise().problems;
    first = precise().documents[0]?.value;
  }
  const doc =
    typeof first === 'object' && first !== null && !Array.isArray(first) ? (first as Record<string, unknown>) : {};
  const info: KustomizationInfo = {
    dir,
    file,
    kind: doc.kind === 'Component' ? 'Component' : 'Kustomization',
    get source() {
      return precise();
    },
    locate: (path) => precise().documents[0]?.locate(path) ?? { line: 1, column: 1 },
    doc,
    dependencies: [],
    files: [],
    resourceFiles: [],
    patches: [],
    offline: [],
    problems,
  };
  const lineOf = (path: JsonPath) => info.locate(path).line;
  const addPath = (entry: string, path: JsonPath, allowDir: boolean) => {
    if (isRemoteReference(entry, dir)) {
      info.offline.push({ reason: 'remote-base', what: entry, line: lineOf(path) });
      return;
    }
    const abs = resolve(dir, entry);
    const kind = pathKind(abs);
    // A missing file: kustomize reports it when it renders; still part of the inputs for the cache key.
    const isDir = kind === 'dir';
    if (isDir && allowDir) {
      info.dependencies.push(abs);
    } else if (!isDir) {
      info.files.push(abs);
    }
  };

  for (const key of ['resources', 'bases'] as const) {
    strings(doc[key]).forEach((entry, i) => {
      const before = info.files.length;
      addPath(entry, [key, i], true);
      if (info.files.length > before) info.resourceFiles.push(info.files[info.files.length - 1]);
    });
  }
  strings(doc.components).forEach((entry, i) => addPath(entry, ['components', i], true));
  for (const key of ['crds', 'configurations'] as const)
    strings(doc[key]).forEach((entry, i) => addPath(entry, [key, i], false));
  const openapi = doc.openapi as { path?: unknown } | undefined;
  if (typeof openapi?.path === 'string') addPath(openapi.path, ['openapi', 'path'], false);

  for (const key of ['configMapGenerator', 'secretGenerator'] as const) {
    objects(doc[key]).forEach((generator, i) => {
      strings(generator.files).forEach((entry, j) => addPath(generatorFile(entry), [key, i, 'files', j], false));
      strings(generator.envs).forEach((entry, j) => addPath(entry, [key, i, 'envs', j], false));
      if (typeof generator.env === 'string') addPath(generator.env, [key, i, 'env'], false);
    });
  }
  objects(doc.replacements).forEach((replacement, i) => {
    if (typeof replacement.path === 'string') addPath(replacement.path, ['replacements', i, 'path'], false);
  });

  // patches: [{path|patch, target}], patchesStrategicMerge: [path | inline], patchesJson6902: [{path|patch, target}]
  objects(doc.patches).forEach((patch, i) => addPatch(info, patch, ['patches', i], 'unknown', addPath));
  (Array.isArray(doc.patchesStrategicMerge) ? doc.patchesStrategicMerge : []).forEach((entry: unknown, i: number) => {
    if (typeof entry !== 'string') return;
    const path: JsonPath = ['patchesStrategicMerge', i];
    if (entry.includes('\n') || /^\s*\w+\s*:/.test(entry)) {
      info.patches.push({ inline: entry, type: 'strategic-merge', path });
    } else {
      addPath(entry, path, false);
      info.patches.push({ file: resolve(dir, entry), type: 'strategic-merge', path });
    }
  });
  objects(doc.patchesJson6902).forEach((patch, i) =>
    addPatch(info, patch, ['patchesJson6902', i], 'json6902', addPath),
  );

  for (const key of ['helmCharts', 'helmChartInflationGenerator'] as const) {
    objects(doc[key]).forEach((chart, i) => {
      info.offline.push({
        reason: 'helm-charts',
        what: String(chart.name ?? chart.chartName ?? 'chart'),
        line: lineOf([key, i]),
      });
    });
  }
  for (const key of ['generators', 'transformers', 'validators'] as const) {
    const entries = Array.isArray(doc[key]) ? (doc[key] as unknown[]) : [];
    entries.forEach((entry, i) => {
      const inline = inlineConfigs(entry);
      if (inline) {
        for (const config of inline) {
          const plugin = typeof entry === 'object' ? mapPlugin(entry as Record<string, unknown>) : pluginKind(config);
          if (plugin) info.offline.push({ reason: 'plugin', what: plugin, line: lineOf([key, i]) });
          else for (const file of configFiles(config, dir)) info.files.push(file);
        }
      } else if (typeof entry === 'string') {
        if (isRemoteReference(entry, dir)) {
          info.offline.push({ reason: 'remote-base', what: entry, line: lineOf([key, i]) });
          return;
        }
        const abs = resolve(dir, entry);
        if (pathKind(abs) === 'dir') {
          info.dependencies.push(abs);
          return;
        }
        info.files.push(abs);
        for (const config of configsIn(abs, root)) {
          const plugin = pluginKind(config);
          if (plugin) info.offline.push({ reason: 'plugin', what: plugin, line: lineOf([key, i]) });
          // kustomize reads its paths from the kustomization's folder; the file's own folder too (a superset).
          else
            for (const file of [...configFiles(config, dir), ...configFiles(config, dirname(abs))])
              info.files.push(file);
        }
      }
    });
  }
  info.dependencies = [...new Set(info.dependencies)];
  info.files = [...new Set(info.files)];
  return info;
}

function addPatch(
  info: KustomizationInfo,
  patch: Record<string, unknown>,
  path: JsonPath,
  type: PatchRef['type'],
  addPath: (entry: string, path: JsonPath, allowDir: boolean) => void,
): void {
  const target =
    typeof patch.target === 'object' && patch.target !== null ? (patch.target as PatchRef['target']) : undefined;
  if (typeof patch.path === 'string') {
    addPath(patch.path, [...path, 'path'], false);
    info.patches.push({ file: resolve(info.dir, patch.path), type, target, path });
  } else if (typeof patch.patch === 'string') {
    info.patches.push({ inline: patch.patch, type, target, path: [...path, 'patch'] });
  }
}

/** The configs of a generators/transformers file: its documents (only a regular file inside the repository is read). */
function configsIn(file: string, root: string): unknown[] {
  // `generators: [/dev/zero]` names any path.
  const read = readRepoFile(root, file);
  if (!read.ok) return []; // kustomize, which runs capped, reports it when it renders
  return parseSourceFile(read.text, file).documents.map((document) => document.value);
}

/** A non-builtin config's kind (it needs --enable-alpha-plugins: exec, KRM functions), or undefined. */
function pluginKind(config: unknown): string | undefined {
  const value = config as { apiVersion?: unknown; kind?: unknown } | null;
  return value && typeof value === 'object' && typeof value.kind === 'string' && value.apiVersion !== 'builtin'
    ? `${String(value.apiVersion)}/${value.kind}`
    : undefined;
}

/**
 * The files a builtin generator or transformer config may name (a ConfigMapGenerator's `files`, a
 * PatchTransformer's `path`...), relative to `dir`: every string of it that is the path of a file (after
 * `key=` for generator files). A superset, as inputs may be: kustomize reads what the config names with
 * the load restrictor the build has, so with argocd-cm's LoadRestrictionsNone a config could name any
 * file of this machine; as inputs, one outside the repository stops the render (render/cache.ts).
 */
function configFiles(config: unknown, dir: string): string[] {
  const found: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (depth > 32) return;
    if (typeof value === 'string') {
      if (value === '' || value.length > 4096 || value.includes('\n')) return;
      for (const candidate of new Set([value, generatorFile(value)])) {
        const abs = resolve(dir, candidate);
        if (pathKind(abs) === 'file') found.push(abs);
      }
    } else if (Array.isArray(value)) for (const item of value) visit(item, depth + 1);
    else if (value && typeof value === 'object') for (const item of Object.values(value)) visit(item, depth + 1);
  };
  visit(config, 0);
  return found;
}

/** A map entry of generators/transformers is a plugin unless it says builtin, with a kind or not. */
function mapPlugin(entry: Record<string, unknown>): string | undefined {
  return entry.apiVersion !== 'builtin' ? `${String(entry.apiVersion)}/${String(entry.kind)}` : undefined;
}

/** An entry of generators/transformers/validators written inline (a YAML text or a map), parsed; undefined for a path. */
function inlineConfigs(entry: unknown): unknown[] | undefined {
  if (typeof entry === 'object' && entry !== null) return [entry];
  if (typeof entry !== 'string' || !entry.includes('\n')) return undefined;
  try {
    return loadAll(entry);
  } catch {
    return []; // kustomize reports it
  }
}

/**
 * Reads kustomizations on demand, once each, and answers "which files does this kustomization read,
 * transitively". Every regular file in each kustomization folder counts too: a superset is safe for
 * the cache key and --changed-since (a spurious re-render, never a stale one).
 */
export class KustomizationGraph {
  private readonly infos = new Map<string, KustomizationInfo | null>();
  private readonly closures = new Map<string, Set<string>>();
  private readonly folderFiles = new Map<string, string[]>();

  /**
   * `root`: the repository's top, the only place kustomization files are read from; `folders`: what a
   * walk already listed (folder → its files), so no folder is read twice.
   */
  constructor(
    readonly root: string,
    folders?: Map<string, string[]>,
  ) {
    if (folders) for (const [dir, files] of folders) this.folderFiles.set(dir, files);
  }

  /** The kustomization in `dir`, or undefined when the folder has none. */
  get(dir: string): KustomizationInfo | undefined {
    if (!this.infos.has(dir)) {
      const known = this.folderFiles.get(dir);
      const file = known
        ? KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((candidate) => known.includes(candidate))
        : kustomizationFileIn(dir);
      this.infos.set(dir, file ? readKustomization(file, this.root) : null);
    }
    return this.infos.get(dir) ?? undefined;
  }

  /** Every kustomization read so far (including ones outside the discovered tree). */
  all(): KustomizationInfo[] {
    return [...this.infos.values()].filter((info): info is KustomizationInfo => info !== null);
  }

  /** Kustomization folders reachable from `dir` through resources and components, `dir` first. */
  reachable(dir: string): KustomizationInfo[] {
    const seen = new Set<string>();
    const out: KustomizationInfo[] = [];
    const visit = (current: string) => {
      if (seen.has(current)) return;
      seen.add(current);
      const info = this.get(current);
      if (!info) return;
      out.push(info);
      for (const dependency of info.dependencies) visit(dependency);
    };
    visit(dir);
    return out;
  }

  /** Absolute input files of the app rooted at `dir`, transitively. */
  inputs(dir: string): Set<string> {
    let closure = this.closures.get(dir);
    if (!closure) {
      closure = new Set<string>();
      for (const info of this.reachable(dir)) {
        closure.add(info.file);
        for (const file of info.files) closure.add(file);
        for (const file of this.filesIn(info.dir)) closure.add(file);
      }
      this.closures.set(dir, closure);
    }
    return closure;
  }

  /** Offline problems anywhere in the app (a remote base two levels down still stops the render). */
  offline(dir: string): { info: KustomizationInfo; problem: OfflineProblem }[] {
    return this.reachable(dir).flatMap((info) => info.offline.map((problem) => ({ info, problem })));
  }

  private filesIn(dir: string): string[] {
    let files = this.folderFiles.get(dir);
    if (!files) {
      try {
        files = readdirSync(dir, { withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => join(dir, entry.name));
      } catch {
        files = [];
      }
      this.folderFiles.set(dir, files);
    }
    return files;
  }
}

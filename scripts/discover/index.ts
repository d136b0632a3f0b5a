// The discover stage: which apps a folder tree holds.
//   kustomization roots → apps (except Components, and bases only other kustomizations use)
//   YAML files outside any kustomization that hold Kubernetes objects → apps of kind 'manifests'
//   folders with a Chart.yaml → Helm charts: rendered with helm (validate/load.ts), never parsed as YAML
import { join, relative, sep } from 'node:path';
import type { LintConfig } from '../types.ts';
import { stronglyConnected } from './cycles.ts';
import { environmentInference, type EnvironmentInference } from './environments.ts';
import { repositoryFiles, type RepositoryFiles } from './files.ts';
import { KUSTOMIZATION_FILES, KustomizationGraph, type KustomizationInfo } from './kustomization.ts';
import { flatString } from '../strings.ts';

export { environmentInference, environmentsOf, type EnvironmentInference } from './environments.ts';
export { repositoryFiles, repositoryRoot, type FileProblem, type RepositoryFiles } from './files.ts';
export {
  isRemoteReference,
  KustomizationGraph,
  readKustomization,
  type KustomizationInfo,
  type OfflineProblem,
  type PatchRef,
} from './kustomization.ts';

/**
 * Files Argo CD's directory source reads as manifests (jsonnet aside: it is a program, never run here),
 * as `kubectl apply -f <folder>` does too: `.yaml`, `.yml` and `.json` as written, not `.YAML`.
 */
export const MANIFEST_FILE = /\.(ya?ml|json)$/;

export interface DiscoveredKustomizationApp {
  kind: 'kustomization';
  /** Folder relative to the root ("." for the root itself). */
  id: string;
  absDir: string;
  /** The kustomization file, relative to the root. */
  file: string;
  env?: string;
}

export interface DiscoveredManifestApp {
  kind: 'manifests';
  /** The file relative to the root. */
  id: string;
  file: string;
  env?: string;
}

export type DiscoveredApp = DiscoveredKustomizationApp | DiscoveredManifestApp;

export interface Discovery {
  /** Absolute repository root (the git top level, or the folder outside git); every path is relative to it. */
  root: string;
  /** The folder that was asked about, relative to the root ("." for all): apps are the ones inside it. */
  scope: string;
  /** The repository's files as Argo CD sees them (tracked and new files, symlinks followed). */
  files: RepositoryFiles;
  apps: DiscoveredApp[];
  /** Every kustomization file found inside the scope, relative to the root, sorted. */
  kustomizations: string[];
  /** Kustomization folders only others build on (checked through them), relative to the root. */
  bases: string[];
  /** Component folders (render only through their parents), relative to the root. */
  components: string[];
  /** Folders with a Chart.yaml, relative to the root. */
  charts: string[];
  /** YAML and JSON files outside kustomizations that were read as possible manifests, relative to the root. */
  yamlFiles: string[];
  graph: KustomizationGraph;
  /** The environment of a path, judged against the whole repository's folders (environments.ts). */
  environments: EnvironmentInference;
  /** One line per decision, for --verbose. */
  decisions: string[];
}

export interface DiscoverOptions {
  config?: LintConfig;
  /** The repository's top folder when git cannot say (a commit written to a temporary folder by gitops diff). */
  root?: string;
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Repo-relative, forward slashes, "." for the root. */
export function relativePath(root: string, abs: string): string {
  return toPosix(relative(root, abs)) || '.';
}

function dirOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash === -1 ? '.' : rel.slice(0, slash);
}

function baseName(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}

/** Whether repo-relative `path` is `scope` or inside it. */
export function inScope(path: string, scope: string): boolean {
  return scope === '.' || path === scope || path.startsWith(`${scope}/`);
}

interface Listed {
  /** Folder (absolute) → its files (absolute), for every folder that holds a listed file. */
  folders: Map<string, string[]>;
  kustomizationDirs: string[];
  charts: string[];
  /** Candidate manifests: YAML/JSON files outside charts, absolute. */
  manifestFiles: string[];
}

/** Sorts the file list into folders, kustomization folders, charts and candidate manifests. */
function sortFiles(files: RepositoryFiles): Listed {
  const { root } = files;
  const folders = new Map<string, string[]>();
  const chartDirs = new Set<string>();
  const kustomizationDirs = new Set<string>();
  for (const rel of files.files) {
    const dir = dirOf(rel);
    const abs = flatString(join(root, rel)); // held for the whole run: one string, not join's pieces
    const absDir = dir === '.' ? root : join(root, dir);
    const list = folders.get(absDir) ?? [];
    list.push(abs);
    folders.set(absDir, list);
    if (baseName(rel) === 'Chart.yaml') chartDirs.add(dir);
    if (KUSTOMIZATION_FILES.includes(baseName(rel))) kustomizationDirs.add(dir);
  }
  // A chart's templates are Go templates, not YAML: nothing below a Chart.yaml is read. A
  // kustomization beside the Chart.yaml is still found (Argo CD plugins such as kustomized-helm build one there).
  const underChart = (dir: string) => {
    for (let current = dir; ; current = dirOf(current)) {
      if (chartDirs.has(current)) return current;
      if (current === '.') return undefined;
    }
  };
  const manifestFiles: string[] = [];
  for (const rel of files.files) {
    const name = baseName(rel);
    if (!MANIFEST_FILE.test(name) || KUSTOMIZATION_FILES.includes(name)) continue;
    if (underChart(dirOf(rel)) !== undefined) continue;
    manifestFiles.push(flatString(join(root, rel)));
  }
  const kept = [...kustomizationDirs].filter((dir) => {
    const chart = underChart(dir);
    return chart === undefined || chart === dir;
  });
  const abs = (dir: string) => (dir === '.' ? root : join(root, dir));
  return {
    folders,
    kustomizationDirs: kept.sort().map(abs),
    charts: [...chartDirs]
      .filter((dir) => underChart(dirOf(dir)) === undefined || dir === '.')
      .sort()
      .map(abs),
    manifestFiles,
  };
}

/**
 * Finds the apps of the repository that holds `dir`: those inside `dir`, with every path relative to
 * the repository root. Reads kustomization files; never renders.
 */
export async function discover(dir: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const files = await repositoryFiles(dir, {
    ignorePaths: options.config?.lint?.ignorePaths,
    ...(options.root ? { root: options.root } : {}),
  });
  const { root, scope } = files;
  const walked = sortFiles(files);
  const graph = new KustomizationGraph(root, walked.folders);
  const rel = (abs: string) => relativePath(root, abs);
  const decisions: string[] = [];
  const infos = walked.kustomizationDirs
    .map((dir) => graph.get(dir))
    .filter((info): info is KustomizationInfo => info !== undefined);

  // A kustomization another one builds on is a base (or a component): it renders through its users.
  // Users in its own cycle do not count (they never build): a cycle nobody else uses is an app, whose
  // render failure reports the cycle; a kustomization listing itself is its own user.
  const cycles = stronglyConnected(
    infos.map((info) => info.dir),
    (dir) => graph.get(dir)?.dependencies ?? [],
  );
  const cycleOf = new Map<string, string[]>();
  for (const component of cycles) for (const dir of component) cycleOf.set(dir, component);
  // Only users inside the folder asked about count: a base whose every user is outside it is checked here.
  const usedBy = new Map<string, string[]>();
  for (const info of infos) {
    if (!inScope(rel(info.dir), scope)) continue;
    for (const dependency of info.dependencies) {
      if (cycleOf.get(dependency)?.includes(info.dir)) continue;
      const users = usedBy.get(dependency) ?? [];
      users.push(rel(info.dir));
      usedBy.set(dependency, users);
    }
  }
  // Files kustomizations read are not loose manifests (patches, resources, generator inputs).
  const referenced = new Set<string>();
  for (const info of infos) {
    for (const file of info.files) referenced.add(file);
    for (const patch of info.patches) if (patch.file) referenced.add(patch.file);
  }
  const kustomizationDirSet = new Set(walked.kustomizationDirs);

  const environments = environmentInference(files.files, options.config);
  const apps: DiscoveredApp[] = [];
  const bases: string[] = [];
  const components: string[] = [];
  for (const info of infos) {
    const id = rel(info.dir);
    if (!inScope(id, scope)) continue;
    if (info.kind === 'Component') {
      components.push(id);
      decisions.push(`${id}: Kustomize Component, rendered only through the kustomizations that use it`);
      continue;
    }
    const cycle = cycleOf.get(info.dir) ?? [info.dir];
    const users = cycle.flatMap((dir) => usedBy.get(dir) ?? []);
    if (users.length > 0) {
      bases.push(id);
      decisions.push(`${id}: base used by ${[...new Set(users)].sort().join(', ')}; checked through them`);
      continue;
    }
    if (cycle.length > 1 && cycle[0] !== info.dir) {
      bases.push(id);
      decisions.push(`${id}: in a kustomization cycle; reported through ${rel(cycle[0])}`);
      continue;
    }
    if (cycle.length > 1 || info.dependencies.includes(info.dir))
      decisions.push(
        `${id}: lists ${cycle.length > 1 ? cycle.slice(1).map(rel).join(', ') : 'itself'} in a cycle; rendered as an app so the failure is reported`,
      );
    const env = environments.of(id);
    apps.push({ kind: 'kustomization', id, absDir: info.dir, file: rel(info.file), ...(env ? { env } : {}) });
    decisions.push(`${id}: app (kustomization)${env ? `, env ${env}` : ''}`);
  }
  const charts = walked.charts.filter((chart) => inScope(rel(chart), scope));
  for (const chart of charts) decisions.push(`${rel(chart)}: Helm chart`);
  for (const problem of files.problems) decisions.push(`${problem.file}: ${problem.message}`);
  if (files.note) decisions.push(files.note);

  const yamlFiles: string[] = [];
  for (const file of walked.manifestFiles) {
    if (referenced.has(file)) continue;
    const dir = file.slice(0, file.lastIndexOf(sep));
    if (kustomizationDirSet.has(dir)) continue; // unreferenced files beside a kustomization: kustomize ignores them, so do we
    const id = rel(file);
    if (!inScope(id, scope)) continue;
    yamlFiles.push(id);
    const env = environments.of(id);
    apps.push({ kind: 'manifests', id, file: id, ...(env ? { env } : {}) });
  }

  apps.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    root,
    scope,
    files,
    apps,
    kustomizations: infos
      .map((info) => rel(info.file))
      .filter((file) => inScope(file, scope))
      .sort(),
    bases: bases.sort(),
    components: components.sort(),
    charts: charts.map(rel).sort(),
    yamlFiles,
    graph,
    environments,
    decisions: [...decisions, ...environments.rejected].sort(),
  };
}

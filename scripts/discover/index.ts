// The discover stage: which apps a folder tree holds.
//   kustomization roots → apps (except Components, and bases only other kustomizations use)
//   YAML files outside any kustomization that hold Kubernetes objects → apps of kind 'manifests'
//   folders with a Chart.yaml → Helm charts: reported, never parsed
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { LintConfig } from '../types.ts';
import { stronglyConnected } from './cycles.ts';
import { inferEnvironment } from './environments.ts';
import { KUSTOMIZATION_FILES, KustomizationGraph, type KustomizationInfo } from './kustomization.ts';

export { inferEnvironment, environmentsOf } from './environments.ts';
export {
  isRemoteReference,
  KustomizationGraph,
  readKustomization,
  type KustomizationInfo,
  type OfflineProblem,
  type PatchRef,
} from './kustomization.ts';

/** Files Argo CD's directory source reads as manifests (jsonnet aside: it is a program, never run here). */
export const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Folders never walked: VCS data, dependencies, our own render cache. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.gitops-cache']);

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
  root: string;
  apps: DiscoveredApp[];
  /** Every kustomization file found, relative to the root, sorted. */
  kustomizations: string[];
  /** Kustomization folders only others build on (checked through them), relative to the root. */
  bases: string[];
  /** Component folders (render only through their parents), relative to the root. */
  components: string[];
  /** Folders with a Chart.yaml, relative to the root. */
  charts: string[];
  /** YAML files outside kustomizations that were read as possible manifests, relative to the root. */
  yamlFiles: string[];
  graph: KustomizationGraph;
  /** One line per decision, for --verbose. */
  decisions: string[];
}

export interface DiscoverOptions {
  config?: LintConfig;
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Repo-relative, forward slashes, "." for the root. */
export function relativePath(root: string, abs: string): string {
  return toPosix(relative(root, abs)) || '.';
}

interface Walked {
  /** Folder → its regular files (absolute), for every folder walked. */
  folders: Map<string, string[]>;
  kustomizationDirs: string[];
  charts: string[];
  yamlFiles: string[];
}

/** Walks the tree once, honouring .gitignore files (each relative to its folder) and lint.ignorePaths. */
function walk(root: string, config: LintConfig | undefined): Walked {
  const walked: Walked = { folders: new Map(), kustomizationDirs: [], charts: [], yamlFiles: [] };
  const configured = ignore().add(config?.lint?.ignorePaths ?? []);
  const matchers: { base: string; matcher: Ignore }[] = [];

  const ignored = (abs: string, isDir: boolean): boolean => {
    const rel = toPosix(relative(root, abs));
    const probe = isDir ? `${rel}/` : rel;
    if (rel && configured.ignores(probe)) return true;
    for (const { base, matcher } of matchers) {
      const inner = toPosix(relative(base, abs));
      if (inner && !inner.startsWith('..') && matcher.ignores(isDir ? `${inner}/` : inner)) return true;
    }
    return false;
  };

  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const names = new Set(entries.map((entry) => entry.name));
    walked.folders.set(
      dir,
      entries.filter((entry) => entry.isFile()).map((entry) => join(dir, entry.name)),
    );
    let pushed = false;
    if (names.has('.gitignore')) {
      try {
        matchers.push({ base: dir, matcher: ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8')) });
        pushed = true;
      } catch {
        // unreadable .gitignore: walk as if absent
      }
    }
    const isChart = names.has('Chart.yaml');
    if (isChart) walked.charts.push(dir);
    if (KUSTOMIZATION_FILES.some((name) => names.has(name))) walked.kustomizationDirs.push(dir);
    // A chart's templates are Go templates, not YAML: never read them. A kustomization beside the
    // Chart.yaml is still found above (Argo CD plugins such as kustomized-helm build one there).
    if (!isChart) {
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const abs = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (ALWAYS_SKIPPED.has(entry.name) || ignored(abs, true)) continue;
          visit(abs);
        } else if (entry.isFile() && MANIFEST_FILE.test(entry.name) && !KUSTOMIZATION_FILES.includes(entry.name)) {
          if (!ignored(abs, false)) walked.yamlFiles.push(abs);
        }
      }
    }
    if (pushed) matchers.pop();
  };
  visit(root);
  return walked;
}

/** Finds the apps of a repository. Reads kustomization files; never renders. */
export function discover(root: string, options: DiscoverOptions = {}): Discovery {
  const walked = walk(root, options.config);
  const graph = new KustomizationGraph(walked.folders);
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
  const usedBy = new Map<string, string[]>();
  for (const info of infos) {
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

  const apps: DiscoveredApp[] = [];
  const bases: string[] = [];
  const components: string[] = [];
  for (const info of infos) {
    const id = rel(info.dir);
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
    const env = inferEnvironment(id, options.config);
    apps.push({ kind: 'kustomization', id, absDir: info.dir, file: rel(info.file), ...(env ? { env } : {}) });
    decisions.push(`${id}: app (kustomization)${env ? `, env ${env}` : ''}`);
  }
  for (const chart of walked.charts) decisions.push(`${rel(chart)}: Helm chart, not rendered`);

  const yamlFiles: string[] = [];
  for (const file of walked.yamlFiles) {
    if (referenced.has(file)) continue;
    const dir = file.slice(0, file.lastIndexOf(sep));
    if (kustomizationDirSet.has(dir)) continue; // unreferenced files beside a kustomization: kustomize ignores them, so do we
    const id = rel(file);
    yamlFiles.push(id);
    const env = inferEnvironment(id, options.config);
    apps.push({ kind: 'manifests', id, file: id, ...(env ? { env } : {}) });
  }

  apps.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    root,
    apps,
    kustomizations: infos.map((info) => rel(info.file)).sort(),
    bases: bases.sort(),
    components: components.sort(),
    charts: walked.charts.map(rel).sort(),
    yamlFiles,
    graph,
    decisions: decisions.sort(),
  };
}

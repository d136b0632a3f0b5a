// The validate pipeline: discover → render → parse → check → filter → report.
//
//   loadRepoContext(root, options)     discover + render + parse: the RepoContext checks read, plus the
//                                      pipeline's own findings (render failures, YAML errors, charts)
//   validateRepository(root, options)  the whole run: a Report and an exit code
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runRules, type RuleFault, type RuleTiming } from '../check/engine.ts';
import type { Rule } from '../check/contract.ts';
import { builtinRules, ruleMetas } from '../check/registry.ts';
import { applyFilters, exitCode, writeBaseline } from '../filter/index.ts';
import { formatReport, type FormatOptions } from '../report/index.ts';
import { InputError } from '../errors.ts';
import { loadLintConfig } from '../config/index.ts';
import { discover, environmentsOf, relativePath, type Discovery, type KustomizationInfo } from '../discover/index.ts';
import { SourceFiles, renderedResource, type KustomizationView, type LocateContext } from '../manifest/locate.ts';
import { parseManifestFile, parseSourceFile, resourcesFromSource, type YamlProblem } from '../manifest/source.ts';
import {
  describeKustomize,
  renderApps,
  resolveKustomize,
  type Kustomize,
  type RenderJob,
  type RenderStats,
} from '../render/index.ts';
import type {
  App,
  Finding,
  LintConfig,
  LoadProblem,
  RepoContext,
  Report,
  ReportFormat,
  Resource,
  RuleSetting,
} from '../types.ts';
import { sortFindings } from '../finding-order.ts';
import { changedFiles } from './changed.ts';
import { redactorFor } from './redaction.ts';
import { userCacheDir } from '../safe/cache-dir.ts';
import { readRepoFile } from '../safe/files.ts';

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
  /** A config already loaded (the generator's tests pass one); default: gitops.yaml under root. */
  config?: LintConfig;
  /**
   * Load only the apps this accepts (discovery id, kind, absolute input files); the others are
   * skipped as --changed-since skips them. `gitops apps` loads the apps that hold Argo CD objects.
   */
  selectApps?: (app: { id: string; kind: 'kustomization' | 'manifests'; inputs: ReadonlySet<string> }) => boolean;
  /** --kubernetes-version: wins over gitops.yaml's kubernetesVersion. */
  kubernetesVersion?: string;
  /** Rule settings from the command line (--ignore-missing-schemas...): win over gitops.yaml's lint.rules. */
  ruleSettings?: Record<string, RuleSetting>;
}

/** Why an app was not rendered: the three offline cases, a Helm-plugin folder, bad YAML, any other kustomize error. */
export type NotRenderedReason =
  'remote-base' | 'helm-charts' | 'plugin' | 'chart-plugin' | 'yaml-error' | 'kustomize-error';

export interface LoadResult {
  ctx: RepoContext;
  /** What could not be rendered or parsed (also ctx.loadProblems; the pipeline rules report them). */
  problems: LoadProblem[];
  discovery: Discovery;
  /** The kustomize that ran; absent when nothing needed rendering. */
  kustomize?: Kustomize;
  stats: RenderStats;
  /** Apps that were not rendered, and why (the corpus summary counts these by reason). */
  notRendered: { app: string; reason: NotRenderedReason }[];
  /** Discovery decisions and render facts, one line each, for --verbose. */
  decisions: string[];
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

/** gitops.yaml with the command line's choices on top (schema locations appended, version and rule settings winning). */
function withCommandLine(config: LintConfig | undefined, options: LoadOptions): LintConfig | undefined {
  const { schemaLocations = [], kubernetesVersion, ruleSettings = {} } = options;
  if (schemaLocations.length === 0 && !kubernetesVersion && Object.keys(ruleSettings).length === 0) return config;
  const lint = config?.lint ?? {};
  return {
    ...(config ?? {}),
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    lint: {
      ...lint,
      schemaLocations: [...(lint.schemaLocations ?? []), ...schemaLocations],
      rules: { ...(lint.rules ?? {}), ...ruleSettings },
    },
  };
}

/**
 * Discovers, renders and parses the apps inside `dir` into the context every check reads. The
 * context's root is the repository's (the git top level): Argo CD paths resolve against it and every
 * finding's file is relative to it. Throws only InputError (exit 2).
 */
export async function loadRepoContext(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const config = structuredClone(options.config ?? loadLintConfig(dir));
  const effectiveConfig = withCommandLine(config, options);
  const discovery = await discover(dir, {
    config: effectiveConfig,
    ...(options.repositoryRoot ? { root: options.repositoryRoot } : {}),
  });
  const { graph, root } = discovery;
  const problems: LoadProblem[] = [];
  const decisions = [...discovery.decisions];
  const rel = (abs: string) => relativePath(root, abs);

  // YAML problems in every kustomization file, and charts.
  for (const info of graph.all()) {
    for (const problem of info.problems) problems.push(yamlProblem(problem, rel(info.file)));
  }
  for (const problem of discovery.files.problems) {
    problems.push({ ruleId: 'symlink-invalid', message: problem.message, file: problem.file });
  }
  for (const chart of discovery.charts) {
    problems.push({
      ruleId: 'helm-chart-not-rendered',
      message: `Helm chart ${chart} is not rendered: its templates are not checked`,
      file: `${chart === '.' ? '' : `${chart}/`}Chart.yaml`,
      line: 1,
    });
  }

  const changed = options.changedSince ? await changedFiles(root, options.changedSince) : undefined;
  const jobs: RenderJob[] = [];
  const apps: App[] = [];
  const kustomizationApps = new Map<string, { app: App; file: string }>();
  const offlineReported = new Set<string>();
  const notRendered: LoadResult['notRendered'] = [];
  for (const discovered of discovery.apps) {
    if (discovered.kind !== 'kustomization') continue;
    const inputs = graph.inputs(discovered.absDir);
    if (changed && ![...inputs].some((file) => changed.has(file))) continue;
    if (options.selectApps && !options.selectApps({ id: discovered.id, kind: 'kustomization', inputs })) continue;
    const app: App = {
      id: discovered.id,
      kind: 'kustomization',
      ...(discovered.env ? { env: discovered.env } : {}),
      resources: [],
    };
    apps.push(app);
    kustomizationApps.set(discovered.id, { app, file: discovered.file });
    const offline = graph.offline(discovered.absDir);
    if (offline.length > 0) {
      app.renderError = 'cannot render offline';
      notRendered.push({ app: discovered.id, reason: offline[0].problem.reason });
      for (const { info, problem } of offline) {
        const file = rel(info.file);
        const key = `${file}:${problem.line}`;
        if (offlineReported.has(key)) continue;
        offlineReported.add(key);
        problems.push({
          ruleId: 'render-offline-unsupported',
          message: OFFLINE_MESSAGES[problem.reason](problem.what),
          file,
          line: problem.line,
          app: discovered.id,
          ...(discovered.env ? { env: discovered.env } : {}),
        });
      }
      continue;
    }
    if (graph.reachable(discovered.absDir).some((info) => info.problems.length > 0)) {
      // Its kustomization files are not YAML: already reported with their lines; kustomize would only repeat it.
      app.renderError = 'a kustomization file is not valid YAML';
      notRendered.push({ app: discovered.id, reason: 'yaml-error' });
      continue;
    }
    jobs.push({
      id: discovered.id,
      absDir: discovered.absDir,
      ...(discovered.env ? { env: discovered.env } : {}),
      inputs,
    });
  }

  let kustomize = options.kustomize;
  let stats: RenderStats = { rendered: 0, cached: 0, failed: 0, invocations: 0 };
  const sources = new SourceFiles(root);
  const views = new Map<string, KustomizationView | null>();
  const infoByFile = new Map(graph.all().map((info) => [rel(info.file), info]));
  const locateContext: LocateContext = {
    sources,
    kustomization(file) {
      if (!views.has(file)) {
        const info = infoByFile.get(file) ?? graph.all().find((candidate) => rel(candidate.file) === file);
        views.set(file, info ? kustomizationView(info, root) : null);
      }
      return views.get(file) ?? undefined;
    },
  };

  if (jobs.length > 0) {
    if (!kustomize) {
      try {
        kustomize = await resolveKustomize();
      } catch (error) {
        throw new InputError((error as Error).message);
      }
    }
    decisions.unshift(`kustomize: ${describeKustomize(kustomize)}`);
    // Per user, outside the checkout: a cache a pull request can commit would decide what is checked.
    const cacheDir = options.cache === false ? false : (options.cacheDir ?? userCacheDir('render') ?? false);
    const rendered = await renderApps(jobs, {
      root,
      kustomize,
      cacheDir,
      concurrency: options.concurrency ?? availableParallelism(),
      ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    stats = rendered.stats;
    decisions.push(
      `render: ${stats.rendered} rendered in ${stats.invocations} kustomize runs, ${stats.cached} from cache, ${stats.failed} failed`,
    );
    const yamlReported = new Set<string>();
    for (const job of jobs) {
      const { app, file } = kustomizationApps.get(job.id)!;
      const outcome = rendered.outcomes.get(job.id);
      if (!outcome || !outcome.ok) {
        const error = outcome && !outcome.ok ? outcome.error : 'not rendered';
        app.renderError = error;
        const failure = renderFailureFindings(root, job, file, error, yamlReported);
        problems.push(...failure.problems);
        notRendered.push({ app: job.id, reason: failure.reason });
        continue;
      }
      const origin = { app: job.id, ...(job.env ? { env: job.env } : {}) };
      app.resources = outcome.objects.map((item) => renderedResource(item.object, item, origin, locateContext, file));
    }
  }

  // Loose manifests: parsed line-precisely (they are the files people edit).
  for (const discovered of discovery.apps) {
    if (discovered.kind !== 'manifests') continue;
    if (changed && !changed.has(join(root, discovered.file))) continue;
    if (
      options.selectApps &&
      !options.selectApps({ id: discovered.id, kind: 'manifests', inputs: new Set([join(root, discovered.file)]) })
    )
      continue;
    const read = readRepoFile(root, discovered.file);
    if (!read.ok) continue; // links that cannot be followed are reported above; a file deleted meanwhile says nothing
    const source = parseManifestFile(read.text, discovered.file);
    const extra = { app: discovered.id, ...(discovered.env ? { env: discovered.env } : {}) };
    for (const problem of source.problems) problems.push(yamlProblem(problem, discovered.file, extra));
    const resources: Resource[] = resourcesFromSource(source, {
      app: discovered.id,
      ...(discovered.env ? { env: discovered.env } : {}),
    }).filter((resource) => typeof resource.object.apiVersion === 'string' && typeof resource.object.kind === 'string');
    // Non-Kubernetes YAML (values files, workflows, config) is not an app and says nothing.
    if (resources.length === 0) continue;
    apps.push({ id: discovered.id, kind: 'manifests', ...(discovered.env ? { env: discovered.env } : {}), resources });
  }

  apps.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ctx: RepoContext = {
    root,
    ...(effectiveConfig ? { config: effectiveConfig } : {}),
    kubernetesVersion: effectiveConfig?.kubernetesVersion
      ? String(effectiveConfig.kubernetesVersion)
      : DEFAULT_KUBERNETES_VERSION,
    apps,
    environments: environmentsOf(
      discovery.apps.map((app) => app.env),
      effectiveConfig,
    ),
    kustomizations: discovery.kustomizations,
    files: discovery.files.files,
    loadProblems: problems,
  };
  return { ctx, problems, discovery, ...(kustomize ? { kustomize } : {}), stats, notRendered, decisions };
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
  yamlReported: Set<string>,
): { problems: LoadProblem[]; reason: NotRenderedReason } {
  const extra = { app: job.id, ...(job.env ? { env: job.env } : {}) };
  const yamlProblems: LoadProblem[] = [];
  let yamlProblemCount = 0;
  for (const file of [...job.inputs].sort()) {
    if (!/\.ya?ml$/i.test(file) && !/\/Kustomization$/.test(file)) continue;
    // Regular files inside the root only, capped: an input may be a FIFO or a device.
    const read = readRepoFile(root, file);
    if (!read.ok) continue;
    const text = read.text;
    const relFile = relativePath(root, file);
    for (const problem of parseSourceFile(text, relFile).problems) {
      yamlProblemCount++;
      const key = `${relFile}:${problem.line}:${problem.column}:${problem.kind}`;
      if (yamlReported.has(key)) continue;
      yamlReported.add(key);
      yamlProblems.push(yamlProblem(problem, relFile, extra));
    }
  }
  // Already reported through another app that shares the file: nothing new to say, same reason.
  if (yamlProblemCount > 0) return { problems: yamlProblems, reason: 'yaml-error' };
  const dir = kustomizationFile.includes('/') ? kustomizationFile.slice(0, kustomizationFile.lastIndexOf('/')) : '.';
  const chart = [...job.inputs].some(
    (file) => relativePath(root, file) === (dir === '.' ? 'Chart.yaml' : `${dir}/Chart.yaml`),
  );
  if (chart) {
    return {
      reason: 'chart-plugin',
      problems: [
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
    problems: [
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

export interface ValidateOptions extends LoadOptions {
  baselineFile?: string;
  updateBaseline?: boolean;
  quiet?: boolean;
  /** The rules to run; default: every built-in rule (scripts/check/registry.ts). */
  rules?: readonly Rule[];
  /** Measure each rule's time (--timing). */
  timing?: boolean;
}

export interface ValidateResult {
  report: Report;
  ctx: RepoContext;
  load: LoadResult;
  /** Rules that threw (each is also an internal-error finding): the run exits 2 after reporting. */
  faults: RuleFault[];
  /** Per-rule time when `timing` was asked, slowest first. */
  timings: RuleTiming[];
}

export const TOOL = { name: 'gitops', version: '0.1.0' };

/** Same rule, place and message once (a base's problem reached through three overlays is one finding per overlay at most). */
export function sortAndDedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const finding of sortFindings(findings)) {
    const key = JSON.stringify([
      finding.ruleId,
      finding.file,
      finding.line,
      finding.column,
      finding.app,
      finding.env,
      finding.message,
      finding.resource?.kind,
      finding.resource?.name,
    ]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(finding);
  }
  return out;
}

/** The whole run. Never throws for repository content; InputError (exit 2) for bad config or usage. */
export async function validateRepository(root: string, options: ValidateOptions = {}): Promise<ValidateResult> {
  const started = performance.now();
  const load = await loadRepoContext(root, options);
  const { ctx } = load;
  const rules = options.rules ?? builtinRules;
  const run = await runRules(ctx, { rules, ...(options.timing ? { timing: true } : {}) });
  // The one redaction step: before the filters, the baseline and every format.
  const redactor = redactorFor(ctx);
  const all = sortAndDedupe(run.findings.map(redactor.finding));
  load.decisions = load.decisions.map(redactor.text);
  const faults = run.faults.map((fault) => ({ ...fault, message: redactor.text(fault.message) }));
  if (options.updateBaseline && options.baselineFile) {
    // The baseline records every finding that survives severities and ignores; later runs fail only on new ones.
    writeBaseline(options.baselineFile, applyFilters(all, ctx).findings, root);
  }
  const filtered = applyFilters(all, ctx, { baselineFile: options.baselineFile, quiet: options.quiet });
  const kept = filtered.findings;
  const count = (severity: string) => kept.filter((finding) => finding.severity === severity).length;
  const report: Report = {
    findings: kept,
    summary: {
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      suppressed: filtered.suppressed,
      apps: ctx.apps.length,
      environments: ctx.environments,
      resources: ctx.apps.reduce((sum, app) => sum + app.resources.length, 0),
      durationMs: Math.round(performance.now() - started),
      ...(load.kustomize ? { kustomize: describeKustomize(load.kustomize) } : {}),
    },
    rules: ruleMetas(rules),
    tool: TOOL,
  };
  return { report, ctx, load, faults, timings: run.timings };
}

/** 0 no errors, 1 errors or too many warnings. (2 is the CLI's, for faults and bad input.) */
export function exitCodeOf(report: Report, maxWarnings?: number): number {
  return exitCode(report.findings, maxWarnings);
}

export function renderReport(format: ReportFormat, report: Report, options: FormatOptions = {}): string {
  return formatReport(format, report, options);
}

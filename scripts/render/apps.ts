// Rendering many apps: batched wrappers (one kustomize process for many apps), a pool sized to the
// cores, and an on-disk cache keyed by every input file's content and the kustomize version.
import { availableParallelism } from 'node:os';
import { isAbsolute, relative, sep } from 'node:path';
import type { KubeObject } from '../types.ts';
import { ContentHasher, inputProblem, RenderCache, renderKey } from './cache.ts';
import { runKustomize, type Kustomize } from './kustomize.ts';
import { holdsSecretValues, redactRenderError } from './secrets.ts';
import { buildWrapped, kustomizeFailure, splitRendered, type ObjectOrigin } from './wrapper.ts';

export { ContentHasher, renderKey } from './cache.ts';

export interface RenderJob {
  /** App id: the kustomization folder relative to the root. */
  id: string;
  absDir: string;
  env?: string;
  /** Absolute input files (transitive), from the discover stage's KustomizationGraph. */
  inputs: Set<string>;
  /**
   * Kustomization files outside the root the job builds through (an Argo CD Application's overrides
   * as an overlay), by the name a rendered object's `transformedBy` gives them instead of a path.
   */
  aliases?: Map<string, string>;
}

/** A rendered object with its origin, paths relative to the repository root. */
export interface RenderedObject {
  object: KubeObject;
  /** The source file the object came from. */
  file?: string;
  /** The kustomization whose generator made it (configMapGenerator, secretGenerator...). */
  generatedBy?: string;
  repo?: string;
  /** Kustomization files whose transformers changed it, in kustomize's order. */
  transformedBy: { kustomization: string; kind: string }[];
}

export type RenderOutcome =
  | { ok: true; objects: RenderedObject[]; cached: boolean }
  /** `limit`: a time, memory or output limit ended it (never cached: not a property of the inputs). */
  | { ok: false; error: string; limit?: boolean };

export interface RenderStats {
  /** Apps kustomize rendered in this run. */
  rendered: number;
  /** Apps served from the cache (failures included: the same inputs fail the same way). */
  cached: number;
  failed: number;
  /** kustomize processes started. */
  invocations: number;
}

export interface RenderAppsOptions {
  root: string;
  kustomize: Kustomize;
  /** Cache folder (a per-user folder outside the checkout: userCacheDir('render')); false turns the cache off. */
  cacheDir?: string | false;
  /** Parallel kustomize processes; defaults to the cores. */
  concurrency?: number;
  /** Apps per kustomize process; 1 renders each app alone. */
  maxBatch?: number;
  onProgress?: (done: number, total: number) => void;
  timeoutMs?: number;
  memoryLimitMb?: number;
  /** Every YAML stream kustomize writes, before it is split and parsed (the parser's differential test reads them). */
  onOutput?: (yaml: string) => void;
}

function toRel(root: string, abs: string): string {
  const rel = relative(root, abs);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** `abs` relative to the root when it lies inside it; undefined for a path outside. */
function repositoryPath(root: string, abs: string): string | undefined {
  const rel = toRel(root, abs);
  return rel === '' || rel === '..' || rel.startsWith('../') || isAbsolute(rel) ? undefined : rel;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function runPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  });
  await Promise.all(workers);
}

/**
 * Batches of apps one kustomize run can render together: same environment (names repeat across
 * environments, and kustomize rejects two objects with one id), and disjoint input files so every
 * object's origin file names exactly one app.
 */
export function planBatches(jobs: RenderJob[], maxBatch: number, concurrency: number): RenderJob[][] {
  const groups = new Map<string, RenderJob[]>();
  for (const job of jobs) {
    const group = groups.get(job.env ?? '') ?? [];
    group.push(job);
    groups.set(job.env ?? '', group);
  }
  const batches: RenderJob[][] = [];
  for (const group of groups.values()) {
    // Split each environment across the cores, so a small repository still uses all of them.
    const size = Math.max(1, Math.min(maxBatch, Math.ceil(group.length / concurrency)));
    let open: { jobs: RenderJob[]; files: Set<string> }[] = [];
    for (const job of group) {
      let home = open.find(
        (batch) => batch.jobs.length < size && ![...job.inputs].some((file) => batch.files.has(file)),
      );
      if (!home) {
        home = { jobs: [], files: new Set() };
        open.push(home);
      }
      home.jobs.push(job);
      for (const file of job.inputs) home.files.add(file);
      if (home.jobs.length >= size) {
        batches.push(home.jobs);
        open = open.filter((batch) => batch !== home);
      }
    }
    for (const batch of open) batches.push(batch.jobs);
  }
  return batches;
}

function toRendered(
  root: string,
  object: KubeObject,
  origin: ObjectOrigin,
  aliases?: Map<string, string>,
): RenderedObject {
  // kustomize writes the origin annotation, but a commonAnnotations entry (or a patch) of the repository
  // can overwrite it with any path: one outside the repository (`/dev/zero`) names no source file.
  const file = origin.file ? repositoryPath(root, origin.file) : undefined;
  const generatedBy = origin.generatedBy ? repositoryPath(root, origin.generatedBy) : undefined;
  return {
    object,
    ...(file ? { file } : {}),
    ...(generatedBy ? { generatedBy } : {}),
    ...(origin.repo ? { repo: origin.repo } : {}),
    transformedBy: origin.transformedBy.map((t) => ({
      kustomization: aliases?.get(t.kustomization) ?? toRel(root, t.kustomization),
      kind: t.kind,
    })),
  };
}

/**
 * Renders every job; never throws. Unchanged apps come from the cache. A batch that fails (one
 * broken app, or two apps with the same object) is split in halves until the broken app renders
 * alone, so one bad app costs a few extra runs and never hides the others.
 */
export async function renderApps(
  jobs: RenderJob[],
  options: RenderAppsOptions,
): Promise<{ outcomes: Map<string, RenderOutcome>; stats: RenderStats }> {
  const { root, kustomize } = options;
  const concurrency = options.concurrency ?? availableParallelism();
  const outcomes = new Map<string, RenderOutcome>();
  const stats: RenderStats = { rendered: 0, cached: 0, failed: 0, invocations: 0 };
  const hasher = new ContentHasher(root);
  const cache = options.cacheDir ? await RenderCache.open(options.cacheDir) : undefined;
  const limits = { timeoutMs: options.timeoutMs, memoryLimitMb: options.memoryLimitMb };
  const keys = new Map<string, string>();
  let done = 0;
  const progress = () => options.onProgress?.(done, jobs.length);

  const finish = (job: RenderJob, outcome: RenderOutcome) => {
    if (!outcome.ok)
      outcome = {
        ok: false,
        error: redactRenderError(outcome.error, root, job.inputs),
        ...(outcome.limit ? { limit: true } : {}),
      };
    outcomes.set(job.id, outcome);
    const key = keys.get(job.id);
    if (outcome.ok) stats.rendered++;
    else stats.failed++;
    // A run a limit ended says nothing about the inputs: only real outcomes are kept; Secret values never are.
    const cacheable = outcome.ok ? !outcome.objects.some((item) => holdsSecretValues(item.object)) : !outcome.limit;
    if (cache && key && cacheable) {
      cache.write(key, outcome.ok ? { objects: outcome.objects } : { error: outcome.error });
    }
    done++;
    progress();
  };

  const pending: RenderJob[] = [];
  for (const job of jobs) {
    const refused = inputProblem(job, root, hasher);
    if (refused) {
      finish(job, { ok: false, error: refused });
      continue;
    }
    const key = cache ? renderKey(job, root, kustomize, hasher) : undefined;
    const cached = key ? cache?.read(key) : undefined;
    if (key) keys.set(job.id, key);
    if (cached) {
      outcomes.set(
        job.id,
        'objects' in cached ? { ok: true, objects: cached.objects, cached: true } : { ok: false, error: cached.error },
      );
      stats.cached++;
      if (!('objects' in cached)) stats.failed++;
      done++;
      continue;
    }
    pending.push(job);
  }
  progress();

  const renderBatch = async (batch: RenderJob[]): Promise<void> => {
    stats.invocations++;
    const built = await buildWrapped(
      batch.map((job) => job.absDir),
      kustomize,
      limits,
    );
    if (built.ok) {
      options.onOutput?.(built.yaml);
      const split = splitByApp(batch, built.yaml, built.wrapperDir, root);
      if (split) {
        for (const job of batch) finish(job, { ok: true, objects: split.get(job.id) ?? [], cached: false });
        return;
      }
    }
    if (batch.length === 1) {
      const job = batch[0];
      // A limit ended it: a second run would end the same way.
      if (!built.ok && built.limit) {
        finish(job, built);
        return;
      }
      // kustomize's own message for this app alone, without the wrapper in the paths.
      stats.invocations++;
      const plain = await runKustomize(kustomize, job.absDir, limits);
      if (plain.code !== 0) finish(job, kustomizeFailure(plain, [root]));
      else
        finish(
          job,
          built.ok ? { ok: false, error: 'kustomize output could not be mapped back to source files' } : built,
        );
      return;
    }
    if (!built.ok && /already registered id|conflicts? with/i.test(built.error)) {
      // Apps that define the same object cannot share a run; halving would mostly repeat the clash.
      for (const job of batch) await renderBatch([job]);
      return;
    }
    const middle = Math.ceil(batch.length / 2);
    await renderBatch(batch.slice(0, middle));
    await renderBatch(batch.slice(middle));
  };

  const batches = planBatches(pending, options.maxBatch ?? 64, concurrency);
  await runPool(batches, concurrency, renderBatch);
  return { outcomes, stats };
}

/** Assigns each object of a batch's output to the app whose inputs hold its origin; undefined when one cannot be placed. */
function splitByApp(
  batch: RenderJob[],
  yaml: string,
  wrapperDir: string,
  root: string,
): Map<string, RenderedObject[]> | undefined {
  const owner = new Map<string, string>();
  for (const job of batch) for (const file of job.inputs) owner.set(file, job.id);
  const byApp = new Map<string, RenderedObject[]>(batch.map((job) => [job.id, []]));
  const jobs = new Map(batch.map((job) => [job.id, job]));
  let items;
  try {
    items = splitRendered(yaml, wrapperDir);
  } catch {
    return undefined;
  }
  for (const { object, origin } of items) {
    const source = origin.file ?? origin.generatedBy;
    const id = batch.length === 1 ? batch[0].id : source ? owner.get(source) : undefined;
    if (!id) return undefined;
    byApp.get(id)!.push(toRendered(root, object, origin, jobs.get(id)?.aliases));
  }
  return byApp;
}

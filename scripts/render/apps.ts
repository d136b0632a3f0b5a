// Rendering many apps: batched wrappers (one kustomize process for many apps), a pool sized to the
// cores, and an on-disk cache keyed by every input file's content and the kustomize version.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { KubeObject } from '../types.ts';
import { buildWrapped, cleanKustomizeError, splitRendered, type ObjectOrigin } from './wrapper.ts';
import { execCommand, type Kustomize } from './kustomize.ts';

export interface RenderJob {
  /** App id: the kustomization folder relative to the root. */
  id: string;
  absDir: string;
  env?: string;
  /** Absolute input files (transitive), from the discover stage's KustomizationGraph. */
  inputs: Set<string>;
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

export type RenderOutcome = { ok: true; objects: RenderedObject[]; cached: boolean } | { ok: false; error: string };

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
  /** Cache folder; false turns the cache off. */
  cacheDir?: string | false;
  /** Parallel kustomize processes; defaults to the cores. */
  concurrency?: number;
  /** Apps per kustomize process; 1 renders each app alone. */
  maxBatch?: number;
  onProgress?: (done: number, total: number) => void;
  timeoutMs?: number;
}

const CACHE_FORMAT = 'gitops-render-v1';

/** Hashes file contents once per run: bases are inputs of every overlay that uses them. */
export class ContentHasher {
  private readonly hashes = new Map<string, string>();
  hash(file: string): string {
    let digest = this.hashes.get(file);
    if (digest === undefined) {
      try {
        digest = createHash('sha256').update(readFileSync(file)).digest('hex');
      } catch {
        digest = 'missing';
      }
      this.hashes.set(file, digest);
    }
    return digest;
  }
}

/** The cache key of an app: its id, the kustomize version and the content of every input file. */
export function renderKey(job: RenderJob, root: string, kustomize: Kustomize, hasher: ContentHasher): string {
  const hash = createHash('sha256').update(`${CACHE_FORMAT}\0${kustomize.version}\0${job.id}\0`);
  const files = [...job.inputs]
    .map((file) => ({ file, rel: toRel(root, file) }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const { file, rel } of files) hash.update(`${rel}\0${hasher.hash(file)}\n`);
  return hash.digest('hex');
}

function toRel(root: string, abs: string): string {
  const rel = relative(root, abs);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** A cached outcome: the objects, or kustomize's error (the same inputs fail the same way). */
type CachedOutcome = { objects: RenderedObject[] } | { error: string };

function readCache(cacheDir: string, key: string): RenderOutcome | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(cacheDir, `${key}.json`), 'utf8')) as {
      format?: string;
      objects?: RenderedObject[];
      error?: string;
    };
    if (parsed.format !== CACHE_FORMAT) return undefined;
    if (Array.isArray(parsed.objects)) return { ok: true, objects: parsed.objects, cached: true };
    if (typeof parsed.error === 'string') return { ok: false, error: parsed.error };
    return undefined;
  } catch {
    return undefined;
  }
}

function writeCache(cacheDir: string, key: string, outcome: CachedOutcome): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    const file = join(cacheDir, `${key}.json`);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ format: CACHE_FORMAT, ...outcome }));
    renameSync(temp, file); // atomic: a parallel run never reads half a file
  } catch {
    // A read-only checkout still validates; it just renders again next time.
  }
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

function toRendered(root: string, object: KubeObject, origin: ObjectOrigin): RenderedObject {
  return {
    object,
    ...(origin.file ? { file: toRel(root, origin.file) } : {}),
    ...(origin.generatedBy ? { generatedBy: toRel(root, origin.generatedBy) } : {}),
    ...(origin.repo ? { repo: origin.repo } : {}),
    transformedBy: origin.transformedBy.map((t) => ({ kustomization: toRel(root, t.kustomization), kind: t.kind })),
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
  const hasher = new ContentHasher();
  const keys = new Map<string, string>();
  let done = 0;
  const progress = () => options.onProgress?.(done, jobs.length);

  const pending: RenderJob[] = [];
  for (const job of jobs) {
    if (options.cacheDir) {
      const key = renderKey(job, root, kustomize, hasher);
      keys.set(job.id, key);
      const cached = readCache(options.cacheDir, key);
      if (cached) {
        outcomes.set(job.id, cached);
        stats.cached++;
        if (!cached.ok) stats.failed++;
        done++;
        continue;
      }
    }
    pending.push(job);
  }
  progress();

  const finish = (job: RenderJob, outcome: RenderOutcome) => {
    outcomes.set(job.id, outcome);
    const key = keys.get(job.id);
    if (outcome.ok) stats.rendered++;
    else stats.failed++;
    // A timeout is not a property of the inputs: only real outcomes are kept.
    if (options.cacheDir && key && (outcome.ok || !/timed out|ETIMEDOUT|SIGTERM/.test(outcome.error))) {
      writeCache(options.cacheDir, key, outcome.ok ? { objects: outcome.objects } : { error: outcome.error });
    }
    done++;
    progress();
  };

  const renderBatch = async (batch: RenderJob[]): Promise<void> => {
    stats.invocations++;
    const built = await buildWrapped(
      batch.map((job) => job.absDir),
      kustomize,
      options.timeoutMs,
    );
    if (built.ok) {
      const split = splitByApp(batch, built.yaml, built.wrapperDir, root);
      if (split) {
        for (const job of batch) finish(job, { ok: true, objects: split.get(job.id) ?? [], cached: false });
        return;
      }
    }
    if (batch.length === 1) {
      const job = batch[0];
      // kustomize's own message for this app alone, without the wrapper in the paths.
      stats.invocations++;
      const plain = await execCommand([...kustomize.command, job.absDir], { timeoutMs: options.timeoutMs });
      const error =
        plain.code === 0
          ? built.ok
            ? 'kustomize output could not be mapped back to source files'
            : built.error
          : cleanKustomizeError(plain.stderr, [root]);
      finish(job, { ok: false, error });
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
    byApp.get(id)!.push(toRendered(root, object, origin));
  }
  return byApp;
}

// The two sides of a diff, each through the same validate pipeline and the same render cache: the
// working tree as it is, or a commit written to a temporary folder (checkout.ts). A commit's snapshot
// depends only on its tree and the tool, so it is kept in the per-user cache (secret values are
// already masked in it) and a second diff against the same base renders and checks one side only.
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeKustomize, type Kustomize } from '../render/index.ts';
import { validateRepository } from '../validate/index.ts';
import { InputError } from '../errors.ts';
import { userCacheDir } from '../safe/cache-dir.ts';
import { checkoutRef, relativeToTop, repositoryOf, resolveRef } from './checkout.ts';
import type { SideInfo } from './index.ts';
import { secretHasher } from './mask.ts';
import { SNAPSHOT_FORMAT, snapshotOf, type SideSnapshot } from './snapshot.ts';
import { codeExtension, toolRoot } from '../tool.ts';

export interface SideOptions {
  /** Render cache shared by both sides; false turns it off. */
  renderCacheDir: string | false;
  /** Where commit snapshots and the secret-hash key live; false: neither is kept (a random key per run). */
  snapshotCacheDir: string | false;
  /** The kustomize both sides use; each side resolves its own when absent (and fails only if it must render). */
  kustomize?: Kustomize;
  schemaLocations?: string[];
  /** Keys the secret markers; both sides of one diff use the same. */
  hashKey: Buffer;
  onDecision?: (line: string) => void;
}

export interface LoadedSide {
  snapshot: SideSnapshot;
  info: SideInfo;
  /** Served from the snapshot cache. */
  cached: boolean;
}

/** The working tree at `dir`: validated where it is. */
export async function loadWorkingTree(dir: string, options: SideOptions): Promise<LoadedSide> {
  return { snapshot: await validateSide(dir, options), info: { ref: null, commit: null }, cached: false };
}

/** The commit `ref` of the repository holding `dir`: from the snapshot cache, else checked out and validated. */
export async function loadCommit(dir: string, ref: string, options: SideOptions): Promise<LoadedSide> {
  const repo = repositoryOf(dir);
  const sub = relativeToTop(realpathSync(repo.workTree), realpathSync(dir));
  const { commit, tree } = await resolveRef(repo, ref);
  const info: SideInfo = { ref, commit };
  const key = snapshotKey(tree, sub, options);
  const cached = options.snapshotCacheDir ? readSnapshot(options.snapshotCacheDir, key) : undefined;
  if (cached) {
    options.onDecision?.(`${ref}: commit ${commit.slice(0, 12)}, its snapshot from the cache`);
    return { snapshot: cached, info, cached: true };
  }
  const checkout = await checkoutRef(repo, commit);
  options.onDecision?.(`${ref}: commit ${commit.slice(0, 12)} written to a temporary folder and validated`);
  try {
    for (const line of checkout.skipped) options.onDecision?.(`${ref}: skipped ${line}`);
    const snapshot = await validateSide(sub ? join(checkout.dir, sub) : checkout.dir, options, checkout.dir);
    if (options.snapshotCacheDir && snapshot.faults.length === 0)
      writeSnapshot(options.snapshotCacheDir, key, snapshot);
    return { snapshot, info, cached: false };
  } finally {
    checkout.remove();
  }
}

/** `top`: the repository's top folder, for a commit's temporary copy (it has no .git to say so). */
async function validateSide(root: string, options: SideOptions, top?: string): Promise<SideSnapshot> {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory())
    throw new InputError(`${root} is not a folder on this side of the diff`);
  const result = await validateRepository(root, {
    ...(options.kustomize ? { kustomize: options.kustomize } : {}),
    cache: options.renderCacheDir !== false,
    ...(options.renderCacheDir ? { cacheDir: options.renderCacheDir } : {}),
    ...(options.schemaLocations?.length ? { schemaLocations: options.schemaLocations } : {}),
    ...(top ? { repositoryRoot: top } : {}),
  });
  return snapshotOf(
    {
      ctx: result.ctx,
      findings: result.report.findings,
      faults: result.faults.map((fault) => fault.message),
      ...(result.load.kustomize ? { kustomize: describeKustomize(result.load.kustomize) } : {}),
    },
    secretHasher(options.hashKey),
  );
}

/** The tool's own source, hashed once: a snapshot made by other code is not reused. */
let toolHash: string | undefined;
function toolFingerprint(): string {
  if (toolHash) return toolHash;
  const scripts = dirname(dirname(fileURLToPath(import.meta.url)));
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(codeExtension)) hash.update(`${path.slice(scripts.length)}\0`).update(readFileSync(path));
    }
  };
  walk(scripts);
  // The lockfile in a checkout; the installed package has none, and its version names its dependencies.
  const lockfile = join(toolRoot, 'package-lock.json');
  hash.update(readFileSync(existsSync(lockfile) ? lockfile : join(toolRoot, 'package.json')));
  toolHash = hash.digest('hex');
  return toolHash;
}

function snapshotKey(tree: string, sub: string, options: SideOptions): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        SNAPSHOT_FORMAT,
        toolFingerprint(),
        options.kustomize?.version ?? 'none',
        options.kustomize?.label ?? 'none',
        tree,
        sub,
        options.schemaLocations ?? [],
        createHash('sha256').update(options.hashKey).digest('hex'),
      ]),
    )
    .digest('hex');
}

function readSnapshot(dir: string, key: string): SideSnapshot | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as SideSnapshot;
    return parsed.format === SNAPSHOT_FORMAT ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function writeSnapshot(dir: string, key: string, snapshot: SideSnapshot): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `${key}.json`);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(snapshot), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // No cache: the next diff validates this side again.
  }
}

/**
 * The key of the secret markers: kept in the per-user cache so cached snapshots stay comparable,
 * random when there is none (then hashes differ between runs, never within one).
 */
export function secretHashKey(dir: string | false): Buffer {
  if (!dir) return randomBytes(32);
  const file = join(dir, 'secret-hash.key');
  try {
    const key = readFileSync(file);
    if (key.length === 32) return key;
  } catch {
    // first run
  }
  const key = randomBytes(32);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch {
    // Another run wrote it first: use theirs.
    try {
      const theirs = readFileSync(file);
      if (theirs.length === 32) return theirs;
    } catch {
      // unreadable: this run's key, not kept
    }
    return key;
  }
}

/**
 * The per-user cache folders (scripts/safe/cache-dir.ts): `render` for both sides' render cache, `diff`
 * for snapshots and the key, so a diff writes nothing into the checkout; false when the folder cannot
 * be made safe (then nothing is kept).
 */
export function defaultCacheDir(kind: 'render' | 'diff', env: NodeJS.ProcessEnv = process.env): string | false {
  return userCacheDir(kind, env) ?? false;
}

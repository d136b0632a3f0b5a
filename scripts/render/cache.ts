// The render cache. Its key is public (every input's path and content hash, the kustomize version), so
// whoever can write an entry decides what the checks see: a pull request that commits an entry
// replacing a privileged Deployment by nothing would pass. Hence: the folder is per user and outside
// the checkout (userCacheDir('render')), an entry git tracks is never read, every entry is checked
// on read (a regular file, capped, that decrypts with the key only the inputs give, of the exact shape
// written, without Secret values; anything else is a miss), an app that renders Secret values is not
// cached, and only outcomes of the inputs are kept (a run a limit ended is not).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
// eslint-disable-next-line no-restricted-imports -- the user's render cache: its own guarded reader (readEntryFile)
import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { readRepoBytes, resolveRepoPath, describeFileProblem, DEFAULT_MAX_FILE_BYTES } from '../safe/files.ts';
import { trackedFiles } from '../safe/git.ts';
import type { KubeObject } from '../types.ts';
import type { Kustomize } from './kustomize.ts';
import { holdsSecretValues } from './secrets.ts';

/** Bumped when the entry's shape or meaning changes (v3: encrypted, checked on read, no Secret values). */
export const CACHE_FORMAT = 'gitops-render-v3';
/** An entry is one app's objects; past this it is not a cache entry this program wrote. */
const MAX_ENTRY_BYTES = 256 * 1024 * 1024;

/** A render input as the hasher found it. */
export type InputDigest =
  | { kind: 'content'; digest: string }
  | { kind: 'missing' }
  /**
   * Outside the root (a base `../../../elsewhere`, a folder link out): the app is not rendered. kustomize's
   * load restrictor checks files against their own kustomization's folder, never a base folder, so it
   * would build a kustomization anywhere on this machine and the findings would print what it holds.
   */
  | { kind: 'outside' }
  /** Not something to read (a device, a FIFO) or too large: the app is not rendered, with this reason. */
  | { kind: 'refused'; reason: string };

/** Hashes file contents once per run (bases are inputs of every overlay that uses them): regular files inside the root only, capped. */
export class ContentHasher {
  private readonly digests = new Map<string, InputDigest>();
  constructor(
    private readonly root: string,
    private readonly maxBytes = DEFAULT_MAX_FILE_BYTES,
  ) {}
  digest(file: string): InputDigest {
    let digest = this.digests.get(file);
    if (!digest) {
      digest = this.compute(file);
      this.digests.set(file, digest);
    }
    return digest;
  }
  private compute(file: string): InputDigest {
    const read = readRepoBytes(this.root, file, { maxBytes: this.maxBytes });
    if (read.ok) return { kind: 'content', digest: createHash('sha256').update(read.bytes).digest('hex') };
    switch (read.reason) {
      case 'missing':
      case 'symlink-loop': // kustomize says so itself ("too many links"), without reading anything
        return { kind: 'missing' };
      case 'outside-root':
        return { kind: 'outside' };
      case 'not-regular':
        // A folder among the inputs is kustomize's to read (a base); the others would hang or flood it.
        return read.what === 'directory' ? { kind: 'missing' } : { kind: 'refused', reason: describeFileProblem(read) };
      default:
        return { kind: 'refused', reason: describeFileProblem(read) };
    }
  }
}

function toRel(root: string, abs: string): string {
  const rel = relative(root, abs);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

interface KeyedJob {
  id: string;
  inputs: Set<string>;
}

/**
 * Why an app must not be rendered: an input that is a device, a FIFO, larger than the cap
 * (`"base/huge.yaml" is larger than 16 MiB`) or outside the repository, or undefined.
 */
export function inputProblem(job: KeyedJob, root: string, hasher: ContentHasher): string | undefined {
  for (const file of [...job.inputs].sort()) {
    const digest = hasher.digest(file);
    if (digest.kind === 'refused')
      return `input file "${toRel(root, file)}" ${digest.reason} (not read; kustomize not run)`;
    if (digest.kind === 'outside')
      return `input file "${toRel(root, file)}" is outside the repository (not read; kustomize not run): Argo CD renders only its repository's files; if that folder is part of the repository, validate from the repository's top`;
  }
  return undefined;
}

/**
 * The cache key of an app: its id, the kustomize version and the content of every input file;
 * undefined when an input lies outside the root or was refused (such an app is never cached).
 */
export function renderKey(
  job: KeyedJob,
  root: string,
  kustomize: Kustomize,
  hasher: ContentHasher,
): string | undefined {
  const hash = createHash('sha256').update(`${CACHE_FORMAT}\0${kustomize.version}\0${job.id}\0`);
  const files = [...job.inputs]
    .map((file) => ({ file, rel: toRel(root, file) }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const { file, rel } of files) {
    const digest = hasher.digest(file);
    if (digest.kind === 'outside' || digest.kind === 'refused') return undefined;
    hash.update(`${rel}\0${digest.kind === 'content' ? digest.digest : 'missing'}\n`);
  }
  return hash.digest('hex');
}

/** The cached form of a render outcome. */
export interface CachedObject {
  object: KubeObject;
  file?: string;
  generatedBy?: string;
  repo?: string;
  transformedBy: { kustomization: string; kind: string }[];
}
export type CachedOutcome = { objects: CachedObject[] } | { error: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A repository-relative path that stays inside the repository. */
const isRelativePath = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && !isAbsolute(value) && !value.split(/[\\/]/).includes('..');

function validObject(value: unknown): value is CachedObject {
  if (!isRecord(value)) return false;
  const object = value.object;
  if (!isRecord(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return false;
  if (object.metadata !== undefined && !isRecord(object.metadata)) return false;
  if (holdsSecretValues(object)) return false; // never written: someone else's entry
  for (const field of ['file', 'generatedBy'] as const)
    if (value[field] !== undefined && !isRelativePath(value[field])) return false;
  if (value.repo !== undefined && typeof value.repo !== 'string') return false;
  return (
    Array.isArray(value.transformedBy) &&
    value.transformedBy.every(
      (step) => isRecord(step) && isRelativePath(step.kustomization) && typeof step.kind === 'string',
    )
  );
}

/** An entry exactly as written, or undefined. */
export function parseEntry(text: string, key: string): CachedOutcome | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || parsed.format !== CACHE_FORMAT || parsed.key !== key) return undefined;
  if (Array.isArray(parsed.objects)) return parsed.objects.every(validObject) ? { objects: parsed.objects } : undefined;
  if (typeof parsed.error === 'string') return { error: parsed.error };
  return undefined;
}

/** Reads a regular file (never through a symlink, never a device), at most `maxBytes`. */
function readEntryFile(file: string, maxBytes: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > maxBytes) return undefined;
    const buffer = Buffer.alloc(stats.size);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

const MAGIC = Buffer.from('GITOPS-RENDER-3\n');
const derive = (purpose: string, key: string) => createHash('sha256').update(`${purpose}\0${key}`).digest();

/** An entry's file name: derived from the key, so the listing says nothing about the inputs. */
export function entryFileName(key: string): string {
  return `${derive('file', key).toString('hex')}.entry`;
}

/**
 * An entry as stored: the outcome as JSON, encrypted (AES-256-GCM) with a key derived from the
 * render key, which only someone holding every input file of the app can compute. So an entry tells
 * its reader nothing they do not already have (a ConfigMap generated from a git-ignored file stays
 * unreadable), and one altered or written by anyone else fails authentication: a miss.
 */
export function encodeEntry(key: string, payload: unknown): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derive('encrypt', key), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
}

function decodeEntry(key: string, bytes: Buffer): string | undefined {
  if (bytes.length < MAGIC.length + 28 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const iv = bytes.subarray(MAGIC.length, MAGIC.length + 12);
  const tag = bytes.subarray(MAGIC.length + 12, MAGIC.length + 28);
  try {
    const decipher = createDecipheriv('aes-256-gcm', derive('encrypt', key), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(bytes.subarray(MAGIC.length + 28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export class RenderCache {
  private constructor(
    private readonly dir: string,
    /** Entries git tracks (when the folder is inside a work tree): never read. */
    private readonly tracked: Set<string>,
  ) {}

  static async open(dir: string): Promise<RenderCache> {
    let tracked: Set<string> = new Set();
    try {
      tracked = (await trackedFiles(dir)) ?? new Set();
    } catch {
      // not a repository, or git is not installed: nothing is tracked
    }
    return new RenderCache(dir, tracked);
  }

  read(key: string): CachedOutcome | undefined {
    const file = join(this.dir, entryFileName(key));
    if (this.tracked.has(file)) return undefined;
    const where = resolveRepoPath(this.dir, entryFileName(key));
    if (where.ok && this.tracked.has(where.realPath)) return undefined;
    const bytes = readEntryFile(file, MAX_ENTRY_BYTES);
    const text = bytes === undefined ? undefined : decodeEntry(key, bytes);
    return text === undefined ? undefined : parseEntry(text, key);
  }

  write(key: string, outcome: CachedOutcome): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const file = join(this.dir, entryFileName(key));
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, encodeEntry(key, { format: CACHE_FORMAT, key, ...outcome }), { mode: 0o600 });
      renameSync(temp, file); // atomic: a parallel run never reads half a file
    } catch {
      // A read-only cache still validates; it just renders again next time.
    }
  }
}

// The one way to read a file the repository names. A path in a kustomization or an Application is
// the repository's to choose, so it may say `/dev/zero`, `../../etc/passwd`, a FIFO that blocks
// forever, a symlink out of the checkout or a 10 GB file: only regular files inside the root are
// read, symlinks are resolved and must stay inside the root, and sizes are capped.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Default cap: far above any manifest people write, far below what would hurt a CI machine. */
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

export type RepoFileProblem =
  | { reason: 'missing' }
  | { reason: 'outside-root'; target: string }
  | { reason: 'not-regular'; what: 'directory' | 'device' | 'fifo' | 'socket' | 'other' }
  | { reason: 'too-large'; size: number; maxBytes: number }
  | { reason: 'symlink-loop' }
  | { reason: 'unreadable'; message: string };

export type RepoFileResult = { ok: true; bytes: Buffer; realPath: string } | ({ ok: false } & RepoFileProblem);

export interface ReadOptions {
  /** Default DEFAULT_MAX_FILE_BYTES. */
  maxBytes?: number;
}

/**
 * Whether `path` is `root` or below it; both are absolute and normalized (resolve and realpath give
 * such paths), so on POSIX a prefix test says it without `path.relative` (which resolves both again,
 * per file read). Windows compares case-insensitively: `relative` knows how.
 */
function inside(root: string, path: string): boolean {
  if (sep === '/') return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/** A root as given: resolved, and with its links followed; cached, as every file read of a run names it. */
const roots = new Map<string, { resolved: string; real: string }>();

function rootOf(root: string): { resolved: string; real: string } {
  let known = roots.get(root);
  if (!known) {
    const resolved = resolve(root);
    known = { resolved, real: realpathSync(resolved) };
    roots.set(root, known);
  }
  return known;
}

/**
 * Where `rel` (relative to the root, or absolute) really is, when that is inside the root; a problem
 * otherwise. Does not open the file.
 */
export function resolveRepoPath(
  root: string,
  rel: string,
): { ok: true; realPath: string } | ({ ok: false } & RepoFileProblem) {
  let known: { resolved: string; real: string };
  try {
    known = rootOf(root);
  } catch (error) {
    return { ok: false, reason: 'unreadable', message: (error as Error).message };
  }
  // Lexically outside first: `/dev/zero`, `../../x` never reach a stat.
  const base = known.real;
  const asked = resolve(known.resolved, rel);
  if (!inside(known.resolved, asked)) {
    const wanted = resolve(base, rel);
    if (!inside(base, wanted)) return { ok: false, reason: 'outside-root', target: wanted };
  }
  let real: string;
  try {
    real = realpathSync.native(asked); // one libc call, not a JS lstat per path component
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing' };
    if (code === 'ELOOP') return { ok: false, reason: 'symlink-loop' };
    return { ok: false, reason: 'unreadable', message: (error as Error).message };
  }
  if (!inside(base, real)) return { ok: false, reason: 'outside-root', target: real };
  return { ok: true, realPath: real };
}

/**
 * Whether `rel` is a regular file inside the root reached through no link at all: its path as written
 * is its real path. What a command edits in place must be such a file (a link in a folder of the path,
 * `overlays/prod -> /etc`, would send the edit out of the repository). Never throws.
 */
export function isPlainRepoFile(root: string, rel: string): boolean {
  const where = resolveRepoPath(root, rel);
  if (!where.ok) return false;
  try {
    const { resolved, real } = rootOf(root);
    // The path as written, counted from the root's real place: the real path only when no part is a link.
    const asWritten = resolve(real, relative(resolved, resolve(resolved, rel)));
    return where.realPath === asWritten && lstatSync(where.realPath).isFile();
  } catch {
    return false;
  }
}

/** Reads a repository file as bytes under the rules above. Never throws. */
export function readRepoBytes(root: string, rel: string, options: ReadOptions = {}): RepoFileResult {
  const where = resolveRepoPath(root, rel);
  if (!where.ok) return where;
  return readResolved(where.realPath, options.maxBytes ?? DEFAULT_MAX_FILE_BYTES);
}

/** Opens and reads a path whose every folder is known to be real and inside the root. */
function readResolved(realPath: string, maxBytes: number): RepoFileResult {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: the path was just resolved.
    fd = openSync(realPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing' };
    if (code === 'ELOOP') return { ok: false, reason: 'symlink-loop' };
    return { ok: false, reason: 'unreadable', message: (error as Error).message };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const what = stats.isDirectory()
        ? 'directory'
        : stats.isCharacterDevice() || stats.isBlockDevice()
          ? 'device'
          : stats.isFIFO()
            ? 'fifo'
            : stats.isSocket()
              ? 'socket'
              : 'other';
      return { ok: false, reason: 'not-regular', what };
    }
    if (stats.size > maxBytes) return { ok: false, reason: 'too-large', size: stats.size, maxBytes };
    // Read at most maxBytes + 1: a file that grows while we read is still capped.
    const buffer = Buffer.allocUnsafe(Math.min(stats.size, maxBytes) + 1); // only the bytes read are returned
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) return { ok: false, reason: 'too-large', size: length, maxBytes };
      // The size fstat gave is read: no read more only to hear the end (as readFileSync), one syscall a
      // file less. A file that grows meanwhile is read as it was at fstat, like a file changed after it.
      if (length === buffer.length || length === stats.size) break;
    }
    return { ok: true, bytes: buffer.subarray(0, length), realPath };
  } catch (error) {
    return { ok: false, reason: 'unreadable', message: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

/**
 * readRepoBytes and readRepoFile for one run over many files of one root, the same results: each
 * folder's real path is looked up once, not a realpath (a lstat per path component) per file, which
 * was 4% of validating 50,000 loose manifests. A file is then opened in its folder's real place with
 * O_NOFOLLOW; a file that is itself a link (ELOOP), a folder outside the root or one that cannot be
 * resolved takes readRepoBytes's way. One per run: a folder replaced by a link between two runs of a
 * long-lived process is looked up again by the next run's reader.
 */
export class RepoReader {
  private readonly folders = new Map<string, string | undefined>();
  private readonly known: { resolved: string; real: string } | undefined;

  constructor(readonly root: string) {
    try {
      this.known = rootOf(root);
    } catch {
      this.known = undefined; // readRepoBytes reports it, file by file
    }
  }

  bytes(rel: string, options: ReadOptions = {}): RepoFileResult {
    const fast = this.inPlace(rel);
    if (fast === undefined) return readRepoBytes(this.root, rel, options);
    const result = readResolved(fast, options.maxBytes ?? DEFAULT_MAX_FILE_BYTES);
    // ELOOP here is O_NOFOLLOW meeting a link as the last component: a link to follow, not a loop.
    return !result.ok && result.reason === 'symlink-loop' ? readRepoBytes(this.root, rel, options) : result;
  }

  text(rel: string, options: ReadOptions = {}): RepoTextResult {
    return asText(this.bytes(rel, options));
  }

  /** Where `rel` is when its folder is real and inside the root (POSIX only); undefined for the slow way. */
  private inPlace(rel: string): string | undefined {
    if (sep !== '/' || !this.known) return undefined;
    const asked = resolve(this.known.resolved, rel);
    // Lexically outside (`../../x`, `/dev/zero`) or the root itself: readRepoBytes's way, no stat here.
    if (asked === this.known.resolved || !inside(this.known.resolved, asked)) return undefined;
    const slash = asked.lastIndexOf('/');
    const folder = asked.slice(0, slash);
    if (!this.folders.has(folder)) this.folders.set(folder, this.realFolder(folder));
    const real = this.folders.get(folder);
    return real === undefined ? undefined : `${real}/${asked.slice(slash + 1)}`;
  }

  /** The folder's real path when it is inside the root; undefined when not, or when it cannot be resolved. */
  private realFolder(folder: string): string | undefined {
    try {
      const real = realpathSync.native(folder);
      return inside(this.known!.real, real) ? real : undefined;
    } catch {
      return undefined;
    }
  }
}

export type RepoTextResult = { ok: true; text: string; realPath: string } | ({ ok: false } & RepoFileProblem);

/** Reads a repository file as UTF-8 text under the rules above. Never throws. */
export function readRepoFile(root: string, rel: string, options: ReadOptions = {}): RepoTextResult {
  return asText(readRepoBytes(root, rel, options));
}

function asText(result: RepoFileResult): RepoTextResult {
  return result.ok ? { ok: true, text: result.bytes.toString('utf8'), realPath: result.realPath } : result;
}

/** The problem in words, for findings: "is a device, not a regular file". */
export function describeFileProblem(problem: RepoFileProblem): string {
  switch (problem.reason) {
    case 'missing':
      return 'does not exist';
    case 'outside-root':
      return 'is outside the repository';
    case 'not-regular':
      return `is a ${problem.what}, not a regular file`;
    case 'too-large':
      return `is larger than ${Math.round(problem.maxBytes / 1024 / 1024)} MiB`;
    case 'symlink-loop':
      return 'is a symlink loop';
    case 'unreadable':
      return `cannot be read (${problem.message})`;
  }
}

// The output root as the generator sees it: every read, write and removal goes through here, so none
// follows a symbolic link or leaves `--out`. A link anywhere on a path the generator would write is a
// clear error before anything is written; walks never descend into links; writes are atomic (a temp
// file next to the target, then rename) and temp files a killed run left are cleaned under the lock.
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';

/** `<file>.tmp-<pid>`: the temp name of an atomic write. */
const TEMP_SUFFIX = /\.tmp-(\d+)$/;
/** Files the generator reads back (its own output, people's overlays) are small; more is not ours. */
const MAX_READ_BYTES = 4 * 1024 * 1024;

export class OutputRoot {
  /** The real path of --out (a link the person chose as --out is theirs to choose). */
  readonly path: string;

  /** `create`: make --out when it does not exist (a run that writes); --check creates nothing. */
  constructor(out: string, options: { create?: boolean } = { create: true }) {
    if (options.create) mkdirSync(out, { recursive: true });
    this.path = existsSync(out) ? realpathSync(out) : resolve(out);
  }

  private lstat(relative: string): Stats | undefined {
    try {
      return lstatSync(join(this.path, relative));
    } catch {
      return undefined;
    }
  }

  /**
   * Throws InputError when writing `relative` would go through a symbolic link or a file where a folder
   * is needed; returns whether the file exists as a regular file.
   */
  checkWritable(relative: string): boolean {
    const parts = relative.split('/');
    for (let index = 1; index <= parts.length; index++) {
      const prefix = parts.slice(0, index).join('/');
      const stat = this.lstat(prefix);
      if (!stat) return false;
      const last = index === parts.length;
      if (stat.isSymbolicLink()) {
        let target = '';
        try {
          target = ` (to ${readlinkSync(join(this.path, prefix))})`;
        } catch {
          // unreadable link: the name is enough
        }
        throw new InputError(
          `is a symbolic link${target}. The generator writes only real files and folders inside --out and never through a link: replace the link with a ${last ? 'file' : 'folder'}, or generate into another --out.`,
          prefix,
        );
      }
      if (!last && !stat.isDirectory())
        throw new InputError(`is not a folder, but ${relative} is to be written inside it. Move it away.`, prefix);
      if (last && !stat.isFile())
        throw new InputError('is not a regular file where the generator writes one. Move it away.', prefix);
    }
    return true;
  }

  /** The text of a regular file inside the root (never through a link), or undefined. */
  read(relative: string): string | undefined {
    const stat = this.lstat(relative);
    if (!stat?.isFile() || stat.size > MAX_READ_BYTES) return undefined;
    return readFileSync(join(this.path, relative), 'utf8');
  }

  isFile(relative: string): boolean {
    return this.lstat(relative)?.isFile() ?? false;
  }

  isLink(relative: string): boolean {
    return this.lstat(relative)?.isSymbolicLink() ?? false;
  }

  /** Call checkWritable first: this trusts the path. */
  write(relative: string, content: string): void {
    const target = join(this.path, relative);
    mkdirSync(dirname(target), { recursive: true });
    atomicWrite(target, content);
  }

  /** Removes a regular file or a link itself (never what it points to), then folders left empty up to `stop`. */
  remove(relative: string, stopAt: string[]): void {
    unlinkSync(join(this.path, relative));
    let current = dirname(relative);
    while (current && current !== '.' && !stopAt.includes(current)) {
      const absolute = join(this.path, current);
      if (readdirSync(absolute).length > 0) return;
      rmdirSync(absolute);
      current = dirname(current);
    }
  }

  /** Every regular file and link under `folder` (relative paths, sorted), not descending into links. */
  walk(folder: string): { path: string; link: boolean }[] {
    const found: { path: string; link: boolean }[] = [];
    const visit = (relative: string) => {
      let entries;
      try {
        entries = readdirSync(join(this.path, relative), { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = `${relative}/${entry.name}`;
        if (entry.isDirectory()) visit(path);
        else if (entry.isFile() || entry.isSymbolicLink()) found.push({ path, link: entry.isSymbolicLink() });
      }
    };
    const stat = this.lstat(folder);
    if (stat?.isDirectory()) visit(folder);
    return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Removes the temp files killed runs left next to files the generator writes (`<known>.tmp-<pid>`),
   * unless that process still runs. Returns what it removed.
   */
  removeStaleTempFiles(folders: string[], known: Set<string>): string[] {
    const removed: string[] = [];
    for (const folder of folders) {
      for (const { path, link } of this.walk(folder)) {
        const match = TEMP_SUFFIX.exec(path);
        if (!match || link || !known.has(path.slice(0, match.index))) continue;
        const pid = Number(match[1]);
        if (pid !== process.pid && isRunning(pid)) continue;
        unlinkSync(join(this.path, path));
        removed.push(path);
      }
    }
    return removed;
  }

  /** Writes a file at the root itself (the record), atomically. */
  writeRootFile(name: string, content: string): void {
    const stat = this.lstat(name);
    if (stat && !stat.isFile())
      throw new InputError('is not a regular file (a link?). The generator keeps its record here: move it away.', name);
    atomicWrite(join(this.path, name), content);
  }
}

/** Temp file next to the target, then rename: a reader sees the old file or the new one, never half. */
function atomicWrite(target: string, content: string): void {
  const temp = `${target}.tmp-${process.pid}`;
  // A leftover at our temp name (a reused pid) is removed, not followed; wx then refuses anything else.
  try {
    unlinkSync(temp);
  } catch {
    // none: the usual case
  }
  const fd = openSync(temp, 'wx');
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, target);
}

export function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

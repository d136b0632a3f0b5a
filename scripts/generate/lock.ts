// One generate at a time per output root: `.gitops-generate.lock` holds the writer's pid. A second run
// waits for it; a lock whose process is gone (kill -9) is taken over. --check takes no lock: it writes
// nothing, and every write is an atomic rename, so it never reads half a file.
import { openSync, closeSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { isRunning } from './output.ts';

export const LOCK_FILE = '.gitops-generate.lock';
const POLL_MS = 50;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function holder(file: string): { text: string; pid: number } | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    return { text, pid: Number.parseInt(text, 10) };
  } catch {
    return undefined;
  }
}

/** Takes the lock of `root` (waiting up to `waitMs` for another run), runs `work`, releases the lock. */
export function withGenerateLock<T>(root: string, work: () => T, waitMs = 60_000): T {
  const file = join(root, LOCK_FILE);
  const mine = `${process.pid}\n`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = holder(file);
    if (current && !isRunning(current.pid)) {
      // Take over a dead run's lock: move it aside, and put it back if another run took it over first.
      const aside = `${file}.stale-${process.pid}`;
      try {
        renameSync(file, aside);
        if (readFileSync(aside, 'utf8') === current.text) unlinkSync(aside);
        else renameSync(aside, file);
      } catch {
        // someone else moved it: try again
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new InputError(
        `another gitops generate (pid ${current?.pid ?? '?'}) is writing this output. Wait for it to finish, or delete the lock file if that process is gone.`,
        LOCK_FILE,
      );
    }
    sleep(POLL_MS);
  }
  try {
    return work();
  } finally {
    if (holder(file)?.text === mine) unlinkSync(file);
  }
}

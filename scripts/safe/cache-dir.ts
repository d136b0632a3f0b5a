// The per-user cache folder. Caches hold what the tool computed (rendered objects, compiled schemas):
// a cache another user can write is code or findings an attacker chooses, and a cache in the checkout
// is something a pull request can commit. So: $GITOPS_CACHE_DIR, else $XDG_CACHE_HOME/gitops, else
// ~/.cache/gitops; created 0700; used only when this user owns it (symlinks resolved) and nobody else
// can write to it.
import { chmodSync, lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Why a cache folder cannot be used, or undefined when it is fine. */
export function cacheDirProblem(dir: string): string | undefined {
  const stats = lstatSync(dir, { throwIfNoEntry: false });
  if (!stats) return 'does not exist';
  if (!stats.isDirectory()) return 'is not a folder';
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) return `belongs to user ${stats.uid}, not to you (${uid})`;
  if (stats.mode & 0o022) {
    try {
      chmodSync(dir, 0o700); // ours: tighten it
    } catch {
      return 'is writable by other users';
    }
  }
  return undefined;
}

/** The base folder: $GITOPS_CACHE_DIR, $XDG_CACHE_HOME/gitops or ~/.cache/gitops (absolute paths only). */
export function cacheBaseDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITOPS_CACHE_DIR && isAbsolute(env.GITOPS_CACHE_DIR)) return env.GITOPS_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(xdg, 'gitops');
}

/**
 * `<base>/<kind>` (kind: "render", "schema"...), created 0700 and checked; undefined when it cannot
 * be made safe (then work without a cache, in memory).
 */
export function userCacheDir(kind: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(kind)) throw new Error(`cache kind "${kind}" must be a plain folder name`);
  let base: string;
  try {
    mkdirSync(join(cacheBaseDir(env), kind), { recursive: true, mode: 0o700 });
    // The real folders are checked: a symlink someone planted leads to a folder they own.
    base = realpathSync(cacheBaseDir(env));
  } catch {
    return undefined;
  }
  const dir = join(base, kind);
  if (cacheDirProblem(base) || cacheDirProblem(dir)) return undefined;
  return dir;
}

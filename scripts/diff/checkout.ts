// A commit's files in a temporary folder, for the side of a diff that is not the working tree. The
// person's checkout is never touched (no worktree metadata, no index, no branch switch): git (through
// scripts/safe/git.ts) lists the commit's tree and hands over the blobs with `cat-file --batch`, which
// runs no filter, hook or attribute conversion, and this module writes them. Symlinks that would lead outside the folder,
// `.git` entries and submodules are left out, as a checkout that Argo CD trusts would refuse them; a
// file is written only into a folder made here, never through a link (the tree may be one git never wrote).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.ts';
import { findGitRepo, git, gitBytes, resolveCommit, type GitRepo } from '../safe/git.ts';

export interface Checkout {
  /** The temporary folder holding the commit's whole tree. */
  dir: string;
  commit: string;
  /** The commit's tree id: the identity of its content. */
  tree: string;
  /** What was left out and why, for --verbose. */
  skipped: string[];
  remove(): void;
}

/** A whole repository's files at one commit: past these, the diff stops with a clear error. */
const MAX_FILES = 200_000;
const MAX_BYTES = 1024 * 1024 * 1024;

interface TreeEntry {
  mode: string;
  type: string;
  id: string;
  path: string;
}

/** The git repository holding `dir` (found by the safe wrapper, never by git's own discovery). */
export function repositoryOf(dir: string): GitRepo {
  const repo = findGitRepo(dir);
  if (!repo) throw new InputError(`gitops diff needs a git repository: ${dir} is not in one`);
  return repo;
}

/** The commit a ref names and its tree; an InputError saying so when it names none. */
export async function resolveRef(repo: GitRepo, ref: string): Promise<{ commit: string; tree: string }> {
  let commit: string;
  let tree: string;
  try {
    commit = await resolveCommit(repo, ref);
    tree = (await git(repo, { args: ['rev-parse', '--verify', '--quiet'], userArgs: [`${commit}^{tree}`] })).trim();
  } catch {
    throw new InputError(`"${ref}" is not a commit in this repository (fetch it first, e.g. git fetch origin ${ref})`);
  }
  return { commit, tree };
}

/** Writes the tree of `ref` into a new temporary folder. The caller removes it (`remove()`). */
export async function checkoutRef(repo: GitRepo, ref: string): Promise<Checkout> {
  const { commit, tree } = await resolveRef(repo, ref);
  const entries = parseTree(await git(repo, { args: ['ls-tree', '-r', '-z', '--full-tree'], userArgs: [commit] }));
  const skipped: string[] = [];
  const blobs = entries.filter((entry) => {
    if (entry.type === 'commit') skipped.push(`${entry.path}: a submodule (not checked out)`);
    else if (!safeRelativePath(entry.path)) skipped.push(`${entry.path}: not a plain path inside the repository`);
    else return entry.type === 'blob';
    return false;
  });
  if (blobs.length > MAX_FILES)
    throw new InputError(`${ref} has ${blobs.length} files; gitops diff reads at most ${MAX_FILES}`);
  const contents = await readBlobs(repo, [...new Set(blobs.map((entry) => entry.id))]);
  const dir = mkdtempSync(join(tmpdir(), 'gitops-diff-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const folders = new Set([dir]);
  try {
    for (const entry of blobs) {
      const target = join(dir, entry.path);
      // A tree git never wrote (git mktree takes one) may list `c` as a link and `c/x` as a file: the
      // link's folder was written through, out of the temporary folder (a chain like `a -> .`,
      // `c -> a/..` passes the check below). Files go only into folders made here, each path once.
      if (!madeFolder(folders, dirname(target))) {
        skipped.push(`${entry.path}: its folder is a symlink or a file of the commit`);
        continue;
      }
      const content = contents.get(entry.id)!;
      if (entry.mode === '120000') {
        const link = content.toString('utf8');
        const resolved = resolve(dirname(target), link);
        if (resolved !== dir && !resolved.startsWith(dir + sep)) {
          skipped.push(`${entry.path}: a symlink that leads outside the repository`);
          continue;
        }
        if (!created(() => symlinkSync(link, target))) skipped.push(`${entry.path}: listed twice in the commit`);
      } else if (!created(() => writeFileSync(target, content, { flag: 'wx' }))) {
        skipped.push(`${entry.path}: listed twice in the commit`);
      } else if (entry.mode === '100755') chmodSync(target, 0o755);
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { dir, commit, tree, skipped, remove };
}

/**
 * Whether `folder` is one made here (a real folder, never a link): made now, with its parents, when
 * nothing is at its path yet. False when a link or a file of the commit is there.
 */
function madeFolder(folders: Set<string>, folder: string): boolean {
  if (folders.has(folder)) return true;
  if (!madeFolder(folders, dirname(folder))) return false;
  if (!created(() => mkdirSync(folder))) return false;
  folders.add(folder);
  return true;
}

/** Runs a create that fails when its path exists (symlinkSync, mkdirSync, the `wx` flag): false then. */
function created(create: () => void): boolean {
  try {
    create();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** `ls-tree -z` lines: "<mode> <type> <id>\t<path>". */
function parseTree(text: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  for (const line of text.split('\0')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const [mode, type, id] = line.slice(0, tab).split(' ');
    out.push({ mode, type, id, path: line.slice(tab + 1) });
  }
  return out;
}

/** Relative, forward slashes, no empty, "." or ".." segment, no `.git` segment (any case). */
function safeRelativePath(path: string): boolean {
  const segments = path.split('/');
  return (
    !path.startsWith('/') &&
    !path.includes('\\') &&
    segments.every(
      (segment) => segment !== '' && segment !== '.' && segment !== '..' && segment.toLowerCase() !== '.git',
    )
  );
}

/** Every blob's bytes from one `cat-file --batch`: "<id> blob <size>\n<bytes>\n" per object. */
async function readBlobs(repo: GitRepo, ids: string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (ids.length === 0) return out;
  let data: Buffer;
  try {
    data = await gitBytes(
      repo,
      { args: ['cat-file', '--batch'] },
      { input: `${ids.join('\n')}\n`, maxOutputBytes: MAX_BYTES },
    );
  } catch (error) {
    throw new InputError(`cannot read the repository's files: ${(error as Error).message}`);
  }
  let offset = 0;
  for (const id of ids) {
    const newline = data.indexOf(0x0a, offset);
    const header = data.subarray(offset, newline).toString('utf8');
    const [gotId, type, size] = header.split(' ');
    if (gotId !== id || type !== 'blob') throw new InputError(`git returned "${header}" for blob ${id}`);
    const start = newline + 1;
    out.set(id, data.subarray(start, start + Number(size)));
    offset = start + Number(size) + 1;
  }
  return out;
}

/** `dir` relative to the repository top, with forward slashes ("" for the top itself). */
export function relativeToTop(top: string, dir: string): string {
  const rel = relative(top, dir);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

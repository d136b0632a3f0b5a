// A commit's files in a temporary folder, for the side of a diff that is not the working tree. The
// person's checkout is never touched (no worktree metadata, no index, no branch switch): git lists
// the commit's tree and hands over the blobs with `cat-file --batch`, which runs no filter, hook or
// attribute conversion, and this module writes them. Symlinks that would lead outside the folder,
// `.git` entries and submodules are left out, as a checkout that Argo CD trusts would refuse them.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../cli/errors.ts';

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

/** The top folder of the git repository holding `dir`. */
export async function repositoryTop(dir: string): Promise<string> {
  const result = await runGit(dir, ['rev-parse', '--show-toplevel']);
  if (result.code !== 0)
    throw new InputError(`gitops diff needs a git repository: ${dir} is not in one (${firstLine(result.stderr)})`);
  return result.stdout.toString('utf8').trim();
}

/** The commit a ref names; an InputError saying so when it names none. */
export async function resolveCommit(top: string, ref: string): Promise<{ commit: string; tree: string }> {
  const commit = await revParse(top, `${ref}^{commit}`);
  const tree = commit ? await revParse(top, `${commit}^{tree}`) : undefined;
  if (!commit || !tree)
    throw new InputError(`"${ref}" is not a commit in this repository (fetch it first, e.g. git fetch origin ${ref})`);
  return { commit, tree };
}

async function revParse(top: string, spec: string): Promise<string | undefined> {
  const result = await runGit(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', spec]);
  const out = result.stdout.toString('utf8').trim();
  return result.code === 0 && /^[0-9a-f]{40,64}$/.test(out) ? out : undefined;
}

/** Writes the tree of `ref` into a new temporary folder. The caller removes it (`remove()`). */
export async function checkoutRef(top: string, ref: string): Promise<Checkout> {
  const { commit, tree } = await resolveCommit(top, ref);
  const listing = await runGit(top, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  if (listing.code !== 0) throw new InputError(`cannot list the files of ${ref}: ${firstLine(listing.stderr)}`);
  const entries = parseTree(listing.stdout.toString('utf8'));
  const skipped: string[] = [];
  const blobs = entries.filter((entry) => {
    if (entry.type === 'commit') skipped.push(`${entry.path}: a submodule (not checked out)`);
    else if (!safeRelativePath(entry.path)) skipped.push(`${entry.path}: not a plain path inside the repository`);
    else return entry.type === 'blob';
    return false;
  });
  if (blobs.length > MAX_FILES)
    throw new InputError(`${ref} has ${blobs.length} files; gitops diff reads at most ${MAX_FILES}`);
  const contents = await readBlobs(top, [...new Set(blobs.map((entry) => entry.id))]);
  const dir = mkdtempSync(join(tmpdir(), 'gitops-diff-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    for (const entry of blobs) {
      const target = join(dir, entry.path);
      mkdirSync(dirname(target), { recursive: true });
      const content = contents.get(entry.id)!;
      if (entry.mode === '120000') {
        const link = content.toString('utf8');
        const resolved = resolve(dirname(target), link);
        if (resolved !== dir && !resolved.startsWith(dir + sep)) {
          skipped.push(`${entry.path}: a symlink that leads outside the repository`);
          continue;
        }
        symlinkSync(link, target);
      } else {
        writeFileSync(target, content);
        if (entry.mode === '100755') chmodSync(target, 0o755);
      }
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { dir, commit, tree, skipped, remove };
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
async function readBlobs(top: string, ids: string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (ids.length === 0) return out;
  const result = await runGit(top, ['cat-file', '--batch'], `${ids.join('\n')}\n`, MAX_BYTES);
  if (result.code !== 0) throw new InputError(`cannot read the repository's files: ${firstLine(result.stderr)}`);
  const data = result.stdout;
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

interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * git with nothing of the repository's configuration that runs a program (hooks, fsmonitor, pagers,
 * filters are not used by these plumbing commands) and no network. Interim: the project's safe git
 * wrapper (scripts/safe/git.ts) replaces this once it returns bytes.
 */
function runGit(cwd: string, args: string[], input = '', maxBytes = 64 * 1024 * 1024): Promise<GitResult> {
  const config = ['core.fsmonitor=false', 'core.hooksPath=/dev/null', 'core.pager=cat', 'protocol.allow=never'];
  const argv = ['--no-pager', ...config.flatMap((setting) => ['-c', setting]), ...args];
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    LC_ALL: 'C',
    ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
  };
  return new Promise((done) => {
    const child = spawn('git', argv, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        child.kill('SIGKILL');
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: 127, stdout: Buffer.alloc(0), stderr: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({
        code: tooLarge ? 1 : (code ?? 1),
        stdout: Buffer.concat(out),
        stderr: tooLarge ? `more than ${maxBytes} bytes of output` : Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] || 'no message';
}

/** `dir` relative to the repository top, with forward slashes ("" for the top itself). */
export function relativeToTop(top: string, dir: string): string {
  const rel = relative(top, dir);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

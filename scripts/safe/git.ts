// The one way to run git. The repository under check decides what its files say, never what git
// does: git's own discovery is not used (a committed folder shaped like a git dir, with a `config`
// naming core.worktree and core.fsmonitor, would be taken for the repository); the git dir is found
// here (a `.git` entry in the folder or above it) and passed explicitly with its work tree, and every
// setting that makes git run a program is overridden on the command line, which wins over any
// config file. Refs and other values a person typed go after `--end-of-options`.
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { runProgram, type RunOptions, type RunResult } from './run.ts';

export interface GitRepo {
  /** The `.git` entry (a folder, or a file `gitdir: <path>` for worktrees and submodules). */
  gitDir: string;
  /** The folder holding the `.git` entry. */
  workTree: string;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/**
 * Settings that would run a program, talk to a network or page output, turned off. `-c` is the
 * command-line scope: it overrides the system, global and repository config alike.
 */
const SAFE_CONFIG: string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.sshCommand=false',
  'core.gitProxy=',
  'core.askPass=',
  'core.editor=false',
  'core.untrackedCache=false',
  'credential.helper=',
  'protocol.allow=never',
  'submodule.recurse=false',
  'safe.bareRepository=explicit',
];

const SAFE_ENV: Record<string, string> = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0', // a read must not write the index
  GIT_PAGER: 'cat',
  PAGER: 'cat',
};

function isGitDirEntry(path: string): boolean {
  const stats = lstatSync(path, { throwIfNoEntry: false });
  if (!stats) return false;
  if (stats.isDirectory()) return lstatSync(join(path, 'HEAD'), { throwIfNoEntry: false }) !== undefined;
  if (stats.isFile()) {
    try {
      return /^gitdir: /.test(readFileSync(path, 'utf8'));
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * The repository `dir` is in: the nearest `.git` entry in `dir` or a folder above it. A folder that
 * merely looks like a git dir (HEAD, objects/, refs/, config) is never one: only a `.git` entry is.
 */
export function findGitRepo(dir: string): GitRepo | undefined {
  let current: string;
  try {
    current = realpathSync(resolve(dir));
  } catch {
    return undefined;
  }
  for (;;) {
    const entry = join(current, '.git');
    if (isGitDirEntry(entry)) return { gitDir: entry, workTree: current };
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** git's environment: the caller's HOME and XDG config (the person's own settings are trusted), nothing else. */
function gitEnv(): Record<string, string> {
  const env: Record<string, string> = { ...SAFE_ENV };
  for (const name of ['HOME', 'XDG_CONFIG_HOME']) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  // git finds its helpers through its exec path, not PATH; a system PATH is enough for the rest.
  env.PATH = '/usr/local/bin:/usr/bin:/bin';
  return env;
}

/** Filter drivers the config defines (`filter.<name>.clean` & co. run a program on every file git reads). */
async function filterDriverOverrides(repo: GitRepo): Promise<string[]> {
  const result = await runGit(repo, ['config', '--get-regexp', '^filter\\..*\\.(clean|smudge|process)$'], []);
  const names = new Set<string>();
  for (const line of result.stdout.split('\n')) {
    const match = /^filter\.(.+)\.(?:clean|smudge|process)\s/.exec(line);
    if (match) names.add(match[1]);
  }
  return [...names].flatMap((name) => [
    '-c',
    `filter.${name}.clean=`,
    '-c',
    `filter.${name}.smudge=`,
    '-c',
    `filter.${name}.process=`,
    '-c',
    `filter.${name}.required=false`,
  ]);
}

function runGit(
  repo: GitRepo,
  args: string[],
  extraConfig: string[],
  io: Pick<RunOptions, 'input' | 'binaryOutput' | 'maxOutputBytes'> = {},
): Promise<RunResult> {
  const argv = [
    '--no-pager',
    '--literal-pathspecs',
    `--git-dir=${repo.gitDir}`,
    `--work-tree=${repo.workTree}`,
    ...SAFE_CONFIG.flatMap((setting) => ['-c', setting]),
    ...extraConfig,
    ...args,
  ];
  // git's own commands here are local by construction (protocol.allow=never), so no network namespace:
  // inside a user namespace git would see the checkout owned by someone else and refuse it.
  return runProgram('git', argv, {
    cwd: repo.workTree,
    env: gitEnv(),
    timeoutMs: 60_000,
    isolateNetwork: false,
    ...io,
  });
}

const overridesByRepo = new Map<string, Promise<string[]>>();

export interface GitCall {
  /** The command and its options, written by this program (never a value from a person or a file). */
  args: string[];
  /** Values a person gave (refs): after `--end-of-options`, so `--output=<file>` is a ref, not an option. */
  userArgs?: string[];
  /** Paths after `--`. */
  paths?: string[];
}

/** Runs git in `repo`; throws GitError with git's first line when it fails. */
export async function git(repo: GitRepo, call: GitCall): Promise<string> {
  return (await checkedGit(repo, call, {})).stdout;
}

/**
 * git whose output is bytes (`cat-file --batch` with binary blobs), with `input` on stdin and an
 * output cap (default 128 MiB). Throws GitError like git().
 */
export async function gitBytes(
  repo: GitRepo,
  call: GitCall,
  io: { input?: string; maxOutputBytes?: number } = {},
): Promise<Buffer> {
  return (await checkedGit(repo, call, { ...io, binaryOutput: true })).stdoutBytes ?? Buffer.alloc(0);
}

async function checkedGit(
  repo: GitRepo,
  call: GitCall,
  io: Pick<RunOptions, 'input' | 'binaryOutput' | 'maxOutputBytes'>,
): Promise<RunResult> {
  let overrides = overridesByRepo.get(repo.gitDir);
  if (!overrides) {
    overrides = filterDriverOverrides(repo);
    overridesByRepo.set(repo.gitDir, overrides);
  }
  const args = [...call.args];
  if (call.userArgs) args.push('--end-of-options', ...call.userArgs);
  if (call.paths) args.push('--', ...call.paths);
  const result = await runGit(repo, args, await overrides, io);
  if (result.code !== 0) {
    const first =
      result.stderr.trim().split('\n')[0] ||
      (result.timedOut ? 'timed out' : result.outputTooLarge ? 'too much output' : `exit code ${result.code}`);
    throw new GitError(`\`git ${call.args[0]}\` failed: ${first}`, result.stderr);
  }
  return result;
}

/** The top folder of the repository holding `dir`, or undefined outside one. */
export function gitTopLevel(dir: string): string | undefined {
  return findGitRepo(dir)?.workTree;
}

/** Resolves a ref a person gave to a commit id; throws GitError when it names no commit. */
export async function resolveCommit(repo: GitRepo, ref: string): Promise<string> {
  const out = await git(repo, { args: ['rev-parse', '--verify', '--quiet'], userArgs: [`${ref}^{commit}`] }).catch(
    () => {
      throw new GitError(`"${ref}" is not a commit in this repository`, '');
    },
  );
  return out.trim();
}

function toRelative(workTree: string, abs: string): string {
  const rel = relative(workTree, abs);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/**
 * Absolute paths of the files git tracks under `root` (the index: staged files count), or undefined
 * when `root` is not in a git repository.
 */
export async function trackedFiles(root: string): Promise<Set<string> | undefined> {
  const repo = findGitRepo(root);
  if (!repo) return undefined;
  const base = realpathSync(resolve(root));
  const rel = toRelative(repo.workTree, base);
  const out = await git(repo, { args: ['ls-files', '-z', '--full-name'], paths: [rel === '' ? '.' : rel] });
  const files = new Set<string>();
  for (const name of out.split('\0')) if (name) files.add(join(repo.workTree, name));
  return files;
}

/**
 * Files that differ from `ref` under `root`: committed since, staged, unstaged and untracked (new files
 * are changes too). Absolute paths, resolved against the real path of the work tree.
 */
export async function changedSince(root: string, ref: string): Promise<Set<string>> {
  const repo = findGitRepo(root);
  if (!repo) throw new GitError(`${root} is not inside a git repository`, '');
  const commit = await resolveCommit(repo, ref);
  const [diff, untracked] = await Promise.all([
    git(repo, {
      args: ['diff', '--name-only', '-z', '--no-renames', '--no-ext-diff', '--no-textconv'],
      userArgs: [commit],
      paths: [],
    }),
    git(repo, { args: ['ls-files', '-z', '--others', '--exclude-standard', '--full-name'] }),
  ]);
  const files = new Set<string>();
  for (const name of [...diff.split('\0'), ...untracked.split('\0')]) {
    if (name) files.add(isAbsolute(name) ? name : join(repo.workTree, name));
  }
  return files;
}

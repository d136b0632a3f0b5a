// The files of a repository as Argo CD sees them. Argo CD deploys a commit, so in a git checkout the
// list is what git tracks (a committed file stays listed even when a .gitignore names it), plus new
// files git does not ignore (so a change is checked before it is committed). Outside git there is
// nothing tracked: the folder tree, minus what its ignore files say would not be committed.
//
// Symbolic links are followed the way Argo CD's repo server follows them: a link to a file or folder
// inside the repository is read at the link's path; a link out of the repository, or one that loops,
// makes Argo CD refuse the app, so it is a problem with the link's path.
import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { findGitRepo, git, gitTopLevel } from '../safe/git.ts';
import { describeFileProblem, readRepoFile, resolveRepoPath } from '../safe/files.ts';
import { flatString } from '../strings.ts';

/** Folders never listed outside git: VCS data, dependencies, a render cache of older versions. */
const NEVER_WALKED = new Set(['.git', 'node_modules', '.gitops-cache']);

/** Symlinked folders inside symlinked folders are followed this deep; a loop stops at the first repeat. */
const MAX_LINK_DEPTH = 8;
/**
 * Paths listed through links to folders, at most. Links inside linked folders multiply: ten links to
 * the next folder in each of eight folders are 10^8 paths, a hang and a heap a pull request chooses.
 */
const MAX_LINKED_PATHS = 100_000;

export interface FileProblem {
  /** Repo-relative path of the link. */
  file: string;
  message: string;
}

export interface RepositoryFiles {
  /** Absolute repository root: the git top level, or the given folder outside git. */
  root: string;
  /** The folder that was asked about, relative to the root ("." for the whole repository). */
  scope: string;
  /** Whether the list comes from git (tracked and new files) or from walking the folder. */
  fromGit: boolean;
  /**
   * Repo-relative paths (forward slashes) of the regular files, sorted: files behind a symlink at the
   * link's path, files inside a symlinked folder under the link's path too.
   */
  files: string[];
  /**
   * Links to folders, at their own paths. kustomize follows them; Argo CD's directory source does
   * not walk into them (Go's filepath.Walk does not), so a directory unit leaves their files out.
   */
  folderLinks: string[];
  /** Links that cannot be followed. */
  problems: FileProblem[];
  /** Why git was not used although the folder is in a repository, for --verbose. */
  note?: string;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The repository root for a folder: its git top level, or the folder itself outside git. A real path
 * either way (git's top level is one): kustomize names the files it read by their real paths, and
 * those messages are made relative to the root, so a folder given through a link would otherwise
 * leave the machine's temporary path in a finding.
 */
export function repositoryRoot(dir: string): string {
  const top = gitTopLevel(dir);
  if (top) return top;
  try {
    return realpathSync(resolve(dir));
  } catch {
    return resolve(dir); // a missing folder: the caller reports it
  }
}

/** Paths git lists: tracked (the index) and untracked-but-not-ignored, relative to the top level. */
async function gitListed(root: string): Promise<{ names?: string[]; note?: string }> {
  const repo = findGitRepo(root);
  if (!repo) return {};
  try {
    const out = await git(repo, {
      args: ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--full-name'],
    });
    return { names: [...new Set(out.split('\0').filter(Boolean))].sort(compare) };
  } catch (error) {
    // A checkout git refuses to read (another owner, a broken index) is still validated, from the tree.
    return { note: `git could not list the files (${(error as Error).message}); the folder tree was walked instead` };
  }
}

/** What a walk of the folder tree found: the paths of files and symlinks, and which of them are links. */
interface Walk {
  paths: string[];
  links: Set<string>;
}

/**
 * Every path under root that is a file or a symlink, honouring ignore files (each relative to its
 * folder); `skipped` folder names are not entered. The directory entries' own types say which is a
 * link, so the caller needs no lstat per path (Node stats an entry whose type the file system did not give).
 */
function walked(root: string, skipped: Set<string> = NEVER_WALKED): Walk {
  const out: string[] = [];
  const links = new Set<string>();
  const matchers: { base: string; matcher: Ignore }[] = [];
  const ignored = (rel: string, isDir: boolean) =>
    matchers.some(({ base, matcher }) => {
      const inner = base === '' ? rel : rel.startsWith(`${base}/`) ? rel.slice(base.length + 1) : undefined;
      return inner !== undefined && inner !== '' && matcher.ignores(isDir ? `${inner}/` : inner);
    });
  const visit = (rel: string) => {
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    let pushed = false;
    if (entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) {
      // Size-capped, through the one safe reader (unreadable: walk as if absent).
      const read = readRepoFile(root, rel ? `${rel}/.gitignore` : '.gitignore');
      if (read.ok) {
        matchers.push({ base: rel, matcher: ignore().add(read.text) });
        pushed = true;
      }
    }
    for (const entry of entries.sort((a, b) => compare(a.name, b.name))) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!skipped.has(entry.name) && !ignored(child, true)) visit(child);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && !ignored(child, false)) {
        const path = flatString(child); // held for the whole run
        out.push(path);
        if (entry.isSymbolicLink()) links.add(path);
      }
    }
    if (pushed) matchers.pop();
  };
  visit('');
  return { paths: out, links };
}

/** The entries of `sorted` (sorted with compare) that start with `prefix`: a range, found by bisection. */
function withPrefix(sorted: string[], prefix: string): string[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(sorted[middle], prefix) < 0) low = middle + 1;
    else high = middle;
  }
  let end = low;
  while (end < sorted.length && sorted[end].startsWith(prefix)) end++;
  return sorted.slice(low, end);
}

/**
 * The files of the repository holding `dir` (see the top of this file). `ignorePaths` (gitignore
 * syntax, relative to the root) are left out. Never throws for the repository's content.
 */
export async function repositoryFiles(
  dir: string,
  options: { ignorePaths?: string[]; root?: string } = {},
): Promise<RepositoryFiles> {
  const root = options.root ? realpathSync(resolve(options.root)) : repositoryRoot(dir);
  let real = resolve(dir);
  try {
    real = realpathSync(real);
  } catch {
    // a missing folder: the caller reports it
  }
  const scope = toPosix(relative(root, real)) || '.';
  const listed = await gitListed(root);
  const walk = listed.names ? undefined : walked(root);
  const entries = listed.names ?? walk?.paths ?? [];
  const configured = options.ignorePaths?.length ? ignore().add(options.ignorePaths) : undefined;
  const problems: FileProblem[] = [];
  const files = new Set<string>();
  const regular = new Set<string>();
  const links: string[] = [];
  const folderLinks: string[] = [];
  for (const rel of entries) {
    if (walk) {
      if (walk.links.has(rel)) links.push(rel);
      else regular.add(rel);
      continue;
    }
    // Git lists what its index holds: a path may be deleted or a link in the working tree.
    const stats = lstatSync(join(root, rel), { throwIfNoEntry: false });
    if (!stats) continue; // deleted in the working tree, still in the index
    if (stats.isSymbolicLink()) links.push(rel);
    else if (stats.isFile()) regular.add(rel);
  }
  for (const rel of regular) files.add(rel);
  let linkedPaths = 0;

  // A link's target, listed under the link's own path. Folders: the files listed under the target's
  // real path (links among them followed in turn, to a bounded depth).
  const follow = (link: string, shownAs: string, depth: number, seen: Set<string>) => {
    const where = resolveRepoPath(root, link);
    if (!where.ok) {
      if (where.reason === 'missing') return; // Argo CD skips a dangling link with a warning
      problems.push({
        file: shownAs,
        message: `symbolic link ${shownAs} ${describeFileProblem(where)}; Argo CD refuses to render an app that holds it`,
      });
      return;
    }
    const target = toPosix(relative(root, where.realPath));
    const stats = lstatSync(where.realPath, { throwIfNoEntry: false });
    if (stats?.isFile()) {
      files.add(shownAs);
      return;
    }
    if (!stats?.isDirectory()) return;
    if (seen.has(target) || depth >= MAX_LINK_DEPTH) {
      problems.push({
        file: shownAs,
        message: `symbolic link ${shownAs} leads back into ${target} (a loop); Argo CD refuses to render an app that holds it`,
      });
      return;
    }
    const prefix = target === '' ? '' : `${target}/`;
    const inner = new Set([...seen, target]);
    // In git, the folder holds what git lists under the target; outside git, whatever is in it (a link
    // may lead into a folder the walk skips, such as node_modules).
    const below = listed.names
      ? withPrefix(entries, prefix)
      : walked(where.realPath, new Set(['.git'])).paths.map((file) => prefix + file);
    linkedPaths += below.length + 1;
    if (linkedPaths > MAX_LINKED_PATHS) {
      if (linkedPaths - below.length - 1 <= MAX_LINKED_PATHS)
        problems.push({
          file: shownAs,
          message: `symbolic links to folders inside linked folders lead to more than ${MAX_LINKED_PATHS} paths; ${shownAs} and the links after it are not followed`,
        });
      return;
    }
    folderLinks.push(shownAs);
    for (const file of below) {
      const shown = `${shownAs}/${file.slice(prefix.length)}`;
      const inside = lstatSync(join(root, file), { throwIfNoEntry: false });
      if (inside?.isFile()) files.add(shown);
      else if (inside?.isSymbolicLink()) follow(file, shown, depth + 1, inner);
    }
  };
  for (const link of links) follow(link, link, 0, new Set());

  // No patterns, no test per file (the ignore package's test is a good share of listing 25,000 files).
  const kept = (configured ? [...files].filter((file) => !configured.ignores(file)) : [...files]).sort(compare);
  return {
    root,
    scope: scope.startsWith('..') ? '.' : scope,
    fromGit: listed.names !== undefined,
    files: kept,
    folderLinks: folderLinks.sort(compare),
    problems,
    ...(listed.note ? { note: listed.note } : {}),
  };
}

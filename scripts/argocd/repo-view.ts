// The repository as the git generators see it: the files of Argo CD's checkout. In the pipeline that
// is discovery's list (what git tracks plus new files, ctx.files); a hand-made context walks the
// folder, minus .git, node_modules and what the root .gitignore lists. Files are read through
// scripts/safe/files.ts: inside the root, regular files only, size-capped.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { readRepoFile } from '../safe/files.ts';
import type { RepoView } from './generators.ts';

const SKIPPED = new Set(['.git', 'node_modules']);

function gitignore(root: string): (relative: string, isDir: boolean) => boolean {
  // A .gitignore may be a link to /dev/zero: only a regular file inside the root is read.
  const read = readRepoFile(root, '.gitignore');
  if (!read.ok) return () => false;
  const matcher = ignore().add(read.text);
  return (relative, isDir) => matcher.ignores(isDir ? `${relative}/` : relative);
}

/** Every folder that holds a file (git knows a folder only through its files), sorted; not the root. */
function directoriesOf(files: string[]): string[] {
  const dirs = new Set<string>();
  for (const file of files)
    for (let dir = path.posix.dirname(file); dir !== '.'; dir = path.posix.dirname(dir)) dirs.add(dir);
  return [...dirs].sort();
}

/** A view over a known list of repository files (repo-relative, forward slashes). */
export function repoViewFromFileList(root: string, list: string[]): RepoView {
  const files = [...list].sort();
  let directories: string[] | undefined;
  return {
    files: () => files,
    directories: () => (directories ??= directoriesOf(files)),
    read(file) {
      const result = readRepoFile(root, file);
      return result.ok ? result.text : undefined;
    },
  };
}

export function repoViewFromDisk(root: string): RepoView {
  let view: RepoView | undefined;
  const walk = (): RepoView => {
    const ignored = gitignore(root);
    const files: string[] = [];
    const visit = (relative: string) => {
      let entries;
      try {
        entries = readdirSync(path.join(root, relative), { withFileTypes: true });
      } catch {
        return; // a folder that cannot be listed (or a root that does not exist) holds nothing Git would
      }
      for (const entry of entries) {
        if (SKIPPED.has(entry.name)) continue;
        const child = relative ? `${relative}/${entry.name}` : entry.name;
        if (ignored(child, entry.isDirectory())) continue;
        if (entry.isDirectory()) visit(child);
        else if (entry.isFile()) files.push(child);
      }
    };
    visit('');
    return repoViewFromFileList(root, files);
  };
  return {
    files: () => (view ??= walk()).files(),
    directories: () => (view ??= walk()).directories(),
    read: (file) => (view ??= walk()).read(file),
  };
}

/** A repository view over an in-memory map of files, for tests and callers that have no disk. */
export function repoViewFromFiles(contents: Record<string, string>): RepoView {
  const files = Object.keys(contents)
    .map((f) => f.replace(/^\.?\//, ''))
    .sort();
  const directories = directoriesOf(files);
  return {
    files: () => files,
    directories: () => directories,
    read: (file) => contents[file] ?? contents[`./${file}`],
  };
}

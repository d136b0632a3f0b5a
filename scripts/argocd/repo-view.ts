// The repository as the git generators see it: every file and directory under the root, minus
// what Git would not hold: .git, node_modules and what the root .gitignore lists (the render cache).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import type { RepoView } from './generators.ts';

const SKIPPED = new Set(['.git', 'node_modules']);

function gitignore(root: string): (relative: string, isDir: boolean) => boolean {
  const file = path.join(root, '.gitignore');
  if (!existsSync(file)) return () => false;
  const matcher = ignore().add(readFileSync(file, 'utf8'));
  return (relative, isDir) => matcher.ignores(isDir ? `${relative}/` : relative);
}

export function repoViewFromDisk(root: string): RepoView {
  let files: string[] | undefined;
  let directories: string[] | undefined;
  const walk = () => {
    const ignored = gitignore(root);
    files = [];
    const dirs = new Set<string>();
    const visit = (relative: string) => {
      const entries = readdirSync(path.join(root, relative), { withFileTypes: true });
      for (const entry of entries) {
        if (SKIPPED.has(entry.name)) continue;
        const child = relative ? `${relative}/${entry.name}` : entry.name;
        if (ignored(child, entry.isDirectory())) continue;
        if (entry.isDirectory()) visit(child);
        else if (entry.isFile()) {
          files!.push(child);
          // Git knows a directory only through the files in it.
          for (let dir = path.posix.dirname(child); dir !== '.'; dir = path.posix.dirname(dir)) dirs.add(dir);
        }
      }
    };
    visit('');
    files.sort();
    directories = [...dirs].sort();
  };
  return {
    files() {
      if (!files) walk();
      return files!;
    },
    directories() {
      if (!directories) walk();
      return directories!;
    },
    read(file) {
      try {
        return readFileSync(path.join(root, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** A repository view over an in-memory map of files, for tests and callers that have no disk. */
export function repoViewFromFiles(contents: Record<string, string>): RepoView {
  const files = Object.keys(contents)
    .map((f) => f.replace(/^\.?\//, ''))
    .sort();
  const dirs = new Set<string>();
  for (const file of files)
    for (let dir = path.posix.dirname(file); dir !== '.'; dir = path.posix.dirname(dir)) dirs.add(dir);
  const directories = [...dirs].sort();
  return {
    files: () => files,
    directories: () => directories,
    read: (file) => contents[file] ?? contents[`./${file}`],
  };
}

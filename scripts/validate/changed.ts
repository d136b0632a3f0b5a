// --changed-since: the files that differ from a git ref (committed, staged, unstaged, untracked).
import { resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { execCommand } from '../render/kustomize.ts';

async function git(root: string, args: string[]): Promise<string> {
  const result = await execCommand(['git', '-C', root, ...args], { timeoutMs: 60_000 });
  if (result.code !== 0) {
    throw new InputError(
      `--changed-since needs a git repository and a known ref: \`git ${args.join(' ')}\` says: ${result.stderr.trim().split('\n')[0]}`,
    );
  }
  return result.stdout;
}

/** Absolute paths of every file changed since `ref`, plus untracked files (new files are changes too). */
export async function changedFiles(root: string, ref: string): Promise<Set<string>> {
  const top = (await git(root, ['rev-parse', '--show-toplevel'])).trim();
  const [diff, untracked] = await Promise.all([
    git(root, ['diff', '--name-only', '--no-renames', ref, '--']),
    git(root, ['ls-files', '--others', '--exclude-standard', '--full-name']),
  ]);
  const files = new Set<string>();
  for (const line of [...diff.split('\n'), ...untracked.split('\n')]) {
    if (line.trim()) files.add(resolve(top, line.trim()));
  }
  return files;
}

// --changed-since: the files that differ from a git ref (committed, staged, unstaged, untracked).
import { InputError } from '../errors.ts';
import { changedSince, GitError } from '../safe/git.ts';

/** Absolute paths of every file changed since `ref`, plus untracked files (new files are changes too). */
export async function changedFiles(root: string, ref: string): Promise<Set<string>> {
  try {
    return await changedSince(root, ref);
  } catch (error) {
    if (error instanceof GitError)
      throw new InputError(`--changed-since needs a git repository and a known ref: ${error.message}`);
    throw error;
  }
}

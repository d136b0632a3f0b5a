// The one read of a gitops.yaml (and of a baseline file), found by the search up from a folder or named by --config. A
// repository's gitops.yaml is its input like any other file: it may be a link to /dev/zero, a FIFO, a
// huge file, or a link out of the checkout (to ~/.ssh/id_rsa, whose parse errors would then quote
// it). It is read through safe/files.ts with the repository holding it as the root, so a link to
// another file of that repository is followed and nothing else is.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { describeFileProblem, readRepoFile, type RepoTextResult } from '../safe/files.ts';

/** Far above any gitops.yaml people write (the largest in the corpus is a few KB). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** The folder holding `.git` at or above `dir`, or undefined outside a repository. */
export function repositoryTop(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * A file a person names or the search finds (gitops.yaml, a baseline), read under the rules above:
 * its repository (or its folder, outside one) is the root.
 */
export function readInItsRepository(file: string, maxBytes = MAX_CONFIG_BYTES): RepoTextResult {
  const absolute = resolve(file);
  return readRepoFile(repositoryTop(dirname(absolute)) ?? dirname(absolute), absolute, { maxBytes });
}

/** The file's text; InputError naming `display` with `missing` when it does not exist, or what it is instead. */
export function readConfigText(file: string, display: string, missing: string): string {
  const read = readInItsRepository(file);
  if (read.ok) return read.text;
  if (read.reason === 'missing') throw new InputError(missing, display);
  throw new InputError(
    `the config file ${describeFileProblem(read)}: it must be a regular file in its repository (a link may lead only to another file of it).`,
    display,
  );
}

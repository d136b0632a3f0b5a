// The generator's record of what it wrote (`.gitops-generated.json` at the output root, committed with
// the output). A file is the generator's to remove only if this record lists it: a header alone is not
// enough, since a person may copy a generated file (header included) into their own overlay. Scaffolds
// are recorded with the hash of what was scaffolded, so the generator knows whether a person changed one.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { compareText } from '../finding-order.ts';
import { GENERATED_ROOTS } from './layout.ts';

export const MANIFEST_FILE = '.gitops-generated.json';
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export interface Manifest {
  /** Owned files (rewritten on every run), relative to the output root. */
  owned: string[];
  /** Scaffolded files -> sha256 of the content the generator created them with. */
  scaffolded: Record<string, string>;
}

export function emptyManifest(): Manifest {
  return { owned: [], scaffolded: {} };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A path the record may name: relative, forward slashes, under one of the generated roots, no `.` or
 * `..` segment. The record is repository content, so anything else in it is ignored, never acted on.
 */
export function isRecordablePath(path: string): boolean {
  const parts = path.split('/');
  return (
    parts.length >= 2 &&
    GENERATED_ROOTS.includes(parts[0]) &&
    parts.every((part) => part !== '' && part !== '.' && part !== '..' && !part.includes('\\') && !part.includes('\0'))
  );
}

/** Reads the record under `root`; a missing one is empty (a repository generated before the record existed). */
export function readManifest(root: string): { manifest: Manifest; present: boolean } {
  const file = join(root, MANIFEST_FILE);
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    return { manifest: emptyManifest(), present: false };
  }
  const fail = (why: string): never => {
    throw new InputError(
      `${why}. It is the generator's record of the files it wrote: restore it from git, or delete it (then nothing is removed as stale until the next run records again).`,
      MANIFEST_FILE,
    );
  };
  if (!stat.isFile()) fail('is not a regular file');
  if (stat.size > MAX_MANIFEST_BYTES) fail(`is larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    fail('is not valid JSON');
  }
  const record = data as { owned?: unknown; scaffolded?: unknown };
  if (typeof record !== 'object' || record === null || !Array.isArray(record.owned)) fail('has no "owned" list');
  const owned = (record.owned as unknown[]).filter(
    (path): path is string => typeof path === 'string' && isRecordablePath(path),
  );
  const scaffolded: Record<string, string> = {};
  if (typeof record.scaffolded === 'object' && record.scaffolded !== null) {
    for (const [path, hash] of Object.entries(record.scaffolded as Record<string, unknown>)) {
      if (isRecordablePath(path) && typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash)) scaffolded[path] = hash;
    }
  }
  return { manifest: { owned: [...new Set(owned)].sort(compareText), scaffolded }, present: true };
}

export function manifestText(manifest: Manifest): string {
  const scaffolded = Object.fromEntries(Object.entries(manifest.scaffolded).sort(([a], [b]) => compareText(a, b)));
  return `${JSON.stringify(
    {
      $comment:
        'Written by gitops generate: the files it wrote. Only files listed here are ever removed as stale. Commit it with the output; do not edit it.',
      owned: [...new Set(manifest.owned)].sort(compareText),
      scaffolded,
    },
    null,
    2,
  )}\n`;
}

// Puts a plan on disk under the ownership rule: owned files (with the header) are rewritten, scaffolds
// are created only when missing, a file without the header is never touched, and stale owned files
// are removed. Writes are atomic (temp file + rename). With `check`, nothing is written: the result
// says what would change and carries a unified diff.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { unifiedDiff } from './diff.ts';
import { isOwned } from './objects.ts';
import { GENERATED_ROOTS, type PlannedFile } from './plan.ts';

export type Action = 'create' | 'update' | 'remove' | 'unchanged' | 'kept' | 'not-owned';

export interface FileResult {
  path: string;
  action: Action;
  /** For create/update/remove: the unified diff. */
  diff?: string;
}

export interface WriteResult {
  files: FileResult[];
  /** Files that a run would create, change or remove. */
  changed: FileResult[];
  /** Files at paths the generator wants to own that have no header: left alone. */
  notOwned: FileResult[];
}

export function applyPlan(root: string, plan: PlannedFile[], options: { check?: boolean } = {}): WriteResult {
  const files: FileResult[] = [];
  const wanted = new Set(plan.map((file) => file.path));
  for (const planned of plan) {
    const target = join(root, planned.path);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (current === undefined) {
      files.push({ path: planned.path, action: 'create', diff: unifiedDiff(planned.path, undefined, planned.content) });
      if (!options.check) atomicWrite(target, planned.content);
    } else if (planned.ownership === 'scaffold') {
      files.push({ path: planned.path, action: 'kept' });
    } else if (!isOwned(current)) {
      files.push({ path: planned.path, action: 'not-owned' });
    } else if (current === planned.content) {
      files.push({ path: planned.path, action: 'unchanged' });
    } else {
      files.push({ path: planned.path, action: 'update', diff: unifiedDiff(planned.path, current, planned.content) });
      if (!options.check) atomicWrite(target, planned.content);
    }
  }
  for (const stale of staleOwnedFiles(root, wanted)) {
    const current = readFileSync(join(root, stale), 'utf8');
    files.push({ path: stale, action: 'remove', diff: unifiedDiff(stale, current, undefined) });
    if (!options.check) {
      unlinkSync(join(root, stale));
      removeEmptyParents(root, dirname(stale));
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files,
    changed: files.filter((file) => file.action === 'create' || file.action === 'update' || file.action === 'remove'),
    notOwned: files.filter((file) => file.action === 'not-owned'),
  };
}

function atomicWrite(target: string, content: string): void {
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}`;
  writeFileSync(temp, content);
  renameSync(temp, target);
}

/** Files under the generated roots that carry the header but are no longer in the plan (a removed service). */
function staleOwnedFiles(root: string, wanted: Set<string>): string[] {
  const stale: string[] = [];
  const walk = (relative: string) => {
    const absolute = join(root, relative);
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (
        entry.isFile() &&
        /\.ya?ml$/.test(entry.name) &&
        !wanted.has(path) &&
        isOwned(readFileSync(join(root, path), 'utf8'))
      )
        stale.push(path);
    }
  };
  for (const folder of GENERATED_ROOTS) {
    if (existsSync(join(root, folder)) && statSync(join(root, folder)).isDirectory()) walk(folder);
  }
  return stale.sort();
}

function removeEmptyParents(root: string, relative: string): void {
  let current = relative;
  while (current && current !== '.' && !GENERATED_ROOTS.includes(current)) {
    const absolute = join(root, current);
    if (readdirSync(absolute).length > 0) return;
    rmdirSync(absolute);
    current = dirname(current);
  }
}

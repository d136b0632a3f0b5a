// Puts a plan on disk under the ownership rule: owned files (with the header) are rewritten, scaffolds
// are created only when missing, a file without the header is never touched, and a file is removed as
// stale only when the generator's record (manifest.ts) says it wrote it. A removed service's overlay
// folder goes only when nothing in it was changed by a person, or with `prune`. Everything goes through
// OutputRoot (no symbolic link is followed, nothing outside --out), under the lock (lock.ts). With
// `check`, nothing is written: the result says what would change and carries unified diffs.
import { unifiedDiff } from './diff.ts';
import { GENERATED_ROOTS, unitOf } from './layout.ts';
import { withGenerateLock } from './lock.ts';
import { MANIFEST_FILE, manifestText, readManifest, sha256, type Manifest } from './manifest.ts';
import { isOwned, SCAFFOLD_HEADER } from './objects.ts';
import { OutputRoot } from './output.ts';
import type { PlannedFile } from './plan.ts';

export type Action = 'create' | 'update' | 'remove' | 'unchanged' | 'kept' | 'not-owned' | 'unrecorded';

export interface FileResult {
  path: string;
  action: Action;
  /** For create/update/remove: the unified diff. */
  diff?: string;
}

/** The overlay folder of a service that no longer runs in that environment, kept because a person changed it. */
export interface Leftover {
  /** `overlays/<env>/<service>` */
  folder: string;
  /** Files in it that a person wrote or changed (the reason it is kept). */
  changedByPeople: string[];
  /** Every file `--prune` would remove. */
  files: string[];
}

export interface WriteResult {
  files: FileResult[];
  /** Files that a run would create, change or remove. */
  changed: FileResult[];
  /** Files at paths the generator wants to own that have no header: left alone. */
  notOwned: FileResult[];
  /** Files that carry the generator's header but that it has no record of writing: left alone. */
  unrecorded: FileResult[];
  /** Overlays of removed services kept because people changed them (`prune` removes them). */
  leftovers: Leftover[];
  /** Temp files of killed runs that this run removed. */
  tempFilesRemoved: string[];
}

export interface ApplyOptions {
  /** Write nothing; report what would change. */
  check?: boolean;
  /** Remove removed services' overlay folders even when people changed files in them. */
  prune?: boolean;
}

export function applyPlan(root: string, plan: PlannedFile[], options: ApplyOptions = {}): WriteResult {
  const out = new OutputRoot(root, { create: !options.check });
  return options.check ? apply(out, plan, options) : withGenerateLock(out.path, () => apply(out, plan, options));
}

function apply(out: OutputRoot, plan: PlannedFile[], options: ApplyOptions): WriteResult {
  const write = !options.check;
  const { manifest: recorded } = readManifest(out.path);
  // Every path is checked before anything is written: a link on one path stops the whole run.
  for (const planned of plan) out.checkWritable(planned.path);
  out.checkWritable(MANIFEST_FILE);

  const planned = new Set(plan.map((file) => file.path));
  const tempFilesRemoved = write
    ? out.removeStaleTempFiles(
        GENERATED_ROOTS,
        new Set([...planned, ...recorded.owned, ...Object.keys(recorded.scaffolded)]),
      )
    : [];
  const files: FileResult[] = [];
  const next: Manifest = { owned: [], scaffolded: {} };

  for (const file of plan) {
    const current = out.read(file.path);
    if (file.ownership === 'owned') next.owned.push(file.path);
    if (current === undefined) {
      files.push({ path: file.path, action: 'create', diff: unifiedDiff(file.path, undefined, file.content) });
      if (write) out.write(file.path, file.content);
      if (file.ownership === 'scaffold') next.scaffolded[file.path] = sha256(file.content);
    } else if (file.ownership === 'scaffold') {
      files.push({ path: file.path, action: 'kept' });
      const hash = recorded.scaffolded[file.path];
      if (hash) next.scaffolded[file.path] = hash;
    } else if (!isOwned(current)) {
      files.push({ path: file.path, action: 'not-owned' });
    } else if (current === file.content) {
      files.push({ path: file.path, action: 'unchanged' });
    } else {
      files.push({ path: file.path, action: 'update', diff: unifiedDiff(file.path, current, file.content) });
      if (write) out.write(file.path, file.content);
    }
  }

  const leftovers = removeStale(out, planned, recorded, next, files, options);
  for (const found of unrecordedFiles(out, planned, recorded)) files.push({ path: found, action: 'unrecorded' });

  const manifest = manifestText(next);
  const current = out.read(MANIFEST_FILE);
  if (current !== manifest) {
    files.push({
      path: MANIFEST_FILE,
      action: current === undefined ? 'create' : 'update',
      diff: unifiedDiff(MANIFEST_FILE, current, manifest),
    });
    if (write) out.writeRootFile(MANIFEST_FILE, manifest);
  }

  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files,
    changed: files.filter((file) => file.action === 'create' || file.action === 'update' || file.action === 'remove'),
    notOwned: files.filter((file) => file.action === 'not-owned'),
    unrecorded: files.filter((file) => file.action === 'unrecorded'),
    leftovers,
    tempFilesRemoved,
  };
}

/**
 * Recorded files that are no longer planned. An owned one is removed when it still carries the header.
 * A service overlay folder with nothing planned in it (the service left that environment) goes as a
 * whole when every file in it is what the generator wrote, or with `prune`; otherwise it is a leftover.
 */
function removeStale(
  out: OutputRoot,
  planned: Set<string>,
  recorded: Manifest,
  next: Manifest,
  files: FileResult[],
  options: ApplyOptions,
): Leftover[] {
  const plannedUnits = new Set([...planned].map(unitOf));
  const remove = (path: string) => {
    const current = out.read(path);
    files.push({ path, action: 'remove', diff: unifiedDiff(path, current ?? '', undefined) });
    if (!options.check) out.remove(path, GENERATED_ROOTS);
  };
  const goneOverlays = new Set<string>();
  for (const path of [...recorded.owned, ...Object.keys(recorded.scaffolded)]) {
    const unit = unitOf(path);
    if (!planned.has(path) && unit?.startsWith('overlays/') && !plannedUnits.has(unit)) goneOverlays.add(unit);
  }
  // Overlays scaffolded before the record existed: their kustomization still carries the scaffold header.
  for (const { path, link } of out.walk('overlays')) {
    const unit = unitOf(path);
    if (link || !unit || plannedUnits.has(unit) || path !== `${unit}/kustomization.yaml`) continue;
    if (out.read(path)?.startsWith(SCAFFOLD_HEADER)) goneOverlays.add(unit);
  }

  const leftovers: Leftover[] = [];
  for (const folder of [...goneOverlays].sort()) {
    const inside = out.walk(folder);
    const changedByPeople = inside
      .filter(({ path, link }) => link || !wroteAsIs(out, path, recorded))
      .map(({ path }) => path);
    if (changedByPeople.length === 0 || options.prune) {
      for (const { path } of inside) remove(path);
    } else {
      leftovers.push({ folder, changedByPeople, files: inside.map(({ path }) => path) });
      // Still on disk: keep the record, so a later run (or --prune) knows what it wrote there.
      for (const path of recorded.owned) if (path.startsWith(`${folder}/`)) next.owned.push(path);
      for (const [path, hash] of Object.entries(recorded.scaffolded))
        if (path.startsWith(`${folder}/`)) next.scaffolded[path] = hash;
    }
  }

  const skipped = new Set(goneOverlays);
  for (const path of recorded.owned) {
    const unit = unitOf(path);
    if (planned.has(path) || (unit && skipped.has(unit))) continue;
    const current = out.read(path);
    if (current !== undefined && isOwned(current)) remove(path);
  }
  return leftovers;
}

/** The file is exactly what the generator wrote there: owned and still headed, or an untouched scaffold. */
function wroteAsIs(out: OutputRoot, path: string, recorded: Manifest): boolean {
  const current = out.read(path);
  if (current === undefined) return false;
  if (recorded.owned.includes(path)) return isOwned(current);
  const hash = recorded.scaffolded[path];
  return hash !== undefined && sha256(current) === hash;
}

/** Unplanned files under the generated roots that carry the header but that the record does not list. */
function unrecordedFiles(out: OutputRoot, planned: Set<string>, recorded: Manifest): string[] {
  const known = new Set([...planned, ...recorded.owned]);
  const found: string[] = [];
  for (const folder of GENERATED_ROOTS) {
    for (const { path, link } of out.walk(folder)) {
      if (link || known.has(path) || !/\.ya?ml$/.test(path)) continue;
      const text = out.read(path);
      if (text !== undefined && isOwned(text)) found.push(path);
    }
  }
  return found;
}

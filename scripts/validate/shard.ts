// Sharding a run across CI machines (`gitops validate --shard i/n`, `gitops merge-shards`).
//
// A shard renders and checks its share of the deploy units, chosen before anything renders by a cheap
// measure (the bytes of each unit's input files), so every machine computes the same split. It writes
// its JSON report with a `shard` record: which shard of how many, the commit and uncommitted changes
// it ran on, its options, and its renders (the render cache entries it wrote). merge-shards checks
// that the set is whole and consistent, puts the renders in a private cache folder and runs the one
// unsharded pipeline over them: every check, cross-app ones included, sees every app, and the report
// is the unsharded run's (docs/architecture.md, "Sharding").
import { createHash } from 'node:crypto';
// eslint-disable-next-line no-restricted-imports -- the shard's private render folder and the shard reports merge-shards is given
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, UsageError } from '../errors.ts';
import { findGitRepo, git, gitBytes } from '../safe/git.ts';
import type { ShardRecord } from '../types.ts';

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

/** The most shards a run may be cut into: more machines than that cost more start-up than they save. */
export const MAX_SHARDS = 256;

/** `--shard 2/4`: the second of four. */
export function parseShard(text: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || count > MAX_SHARDS || index < 1 || index > count)
    throw new UsageError(
      `--shard needs i/n with 1 <= i <= n <= ${MAX_SHARDS} (e.g. --shard 2/4 for the second of four), got "${text}"`,
    );
  return { index, count };
}

/** A unit to place, with its size. */
export interface Sized {
  id: string;
  size: number;
}

/**
 * Places units on shards, largest first, each on the least loaded shard (lowest index on a tie): the
 * greedy "longest processing time" rule, within 4/3 of the best split. Loads persist across calls, so
 * the units known only later (each Application's, after the first render) fill the lighter shards.
 * Deterministic: sizes are bytes and ids are compared as code units, the same on every machine.
 */
export class ShardPlanner {
  private readonly loads: number[];
  constructor(readonly spec: ShardSpec) {
    this.loads = new Array<number>(spec.count).fill(0);
  }

  /** The ids of `units` that fall on this planner's shard. */
  assign(units: readonly Sized[]): Set<string> {
    const mine = new Set<string>();
    const order = [...units].sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const unit of order) {
      let best = 0;
      for (let shard = 1; shard < this.loads.length; shard++) if (this.loads[shard] < this.loads[best]) best = shard;
      this.loads[best] += unit.size;
      if (best === this.spec.index - 1) mine.add(unit.id);
    }
    return mine;
  }
}

/**
 * What a unit costs, known before it renders: the bytes of its input files, plus one per file (an empty
 * file still costs a read). A missing file counts one.
 */
export function sizeOf(files: Iterable<string>): number {
  let size = 0;
  for (const file of files) {
    size += 1;
    try {
      const stat = lstatSync(file);
      if (stat.isFile()) size += stat.size;
    } catch {
      // missing: kustomize says so in its own finding
    }
  }
  return size;
}

/** The state a shard ran on: the commit, and a digest of what differs from it (uncommitted edits, new files). */
export async function worktreeState(
  root: string,
  exclude: ReadonlySet<string> = new Set(),
): Promise<{ commit: string; changes: string }> {
  const repo = findGitRepo(root);
  if (!repo) throw new UsageError('--shard and merge-shards need a git repository: shards are matched by commit');
  const commit = (await git(repo, { args: ['rev-parse', '--verify', 'HEAD'] })).trim();
  const diff = await gitBytes(
    repo,
    { args: ['diff', '--binary', '--no-ext-diff', '--no-textconv', 'HEAD'] },
    { maxOutputBytes: 1024 * 1024 * 1024 },
  );
  const untracked = (await git(repo, { args: ['ls-files', '-z', '--others', '--exclude-standard', '--full-name'] }))
    .split('\0')
    .filter((name) => name && !exclude.has(join(repo.workTree, name)))
    .sort();
  const changes = createHash('sha256').update(diff).update('\0').update(untracked.join('\0')).digest('hex');
  return { commit, changes };
}

/** The render cache entries a shard wrote, to travel in its report. */
export function readRenders(cacheDir: string): ShardRecord['renders'] {
  const renders: ShardRecord['renders'] = [];
  let names: string[];
  try {
    names = readdirSync(cacheDir).filter((name) => ENTRY_NAME.test(name));
  } catch {
    return renders; // nothing rendered
  }
  for (const name of names.sort()) renders.push({ name, data: readFileSync(join(cacheDir, name)).toString('base64') });
  return renders;
}

/** An entry's file name as the render cache writes it: the only names merge-shards writes. */
export const ENTRY_NAME = /^[0-9a-f]{64}\.entry$/;

/** One shard report as read by merge-shards. */
export interface ShardReportFile {
  file: string;
  shard: ShardRecord;
}

/** Reads a shard's JSON report; an InputError naming the file when it is not one. */
export function readShardReport(file: string): ShardReportFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(
      `is not a readable JSON report (${(error as Error).message.split('\n')[0]}): give the files gitops validate --shard i/n -f json -o <file> wrote`,
      file,
    );
  }
  const shard = (parsed as { shard?: unknown } | null)?.shard;
  if (!isShardRecord(shard))
    throw new InputError(
      'is not a shard report (no "shard" record): write each with gitops validate --shard i/n -f json -o <file>',
      file,
    );
  return { file, shard };
}

function isShardRecord(value: unknown): value is ShardRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    Number.isInteger(record.index) &&
    Number.isInteger(record.count) &&
    typeof record.commit === 'string' &&
    typeof record.changes === 'string' &&
    typeof record.tool === 'string' &&
    Array.isArray(record.args) &&
    record.args.every((arg) => typeof arg === 'string') &&
    Array.isArray(record.apps) &&
    Array.isArray(record.renders) &&
    record.renders.every(
      (render) =>
        typeof render === 'object' &&
        render !== null &&
        typeof (render as { name?: unknown }).name === 'string' &&
        ENTRY_NAME.test((render as { name: string }).name) &&
        typeof (render as { data?: unknown }).data === 'string',
    )
  );
}

/**
 * The shards must be one run cut in pieces: the same count, each index once, the same commit and
 * changes, options and tool. Returns them in index order; a UsageError saying what is wrong otherwise.
 */
export function checkShardSet(reports: readonly ShardReportFile[]): ShardReportFile[] {
  if (reports.length === 0)
    throw new UsageError('give the JSON reports of every shard (gitops merge-shards shard-*.json)');
  const [first] = reports;
  const differ = (what: string, pick: (shard: ShardRecord) => string, hint: string) => {
    const other = reports.find((report) => pick(report.shard) !== pick(first.shard));
    if (other)
      throw new UsageError(
        `${first.file} and ${other.file} ${what} (${pick(first.shard)} and ${pick(other.shard)}): ${hint}`,
      );
  };
  differ('come from different tool versions', (shard) => shard.tool, 'run every shard and the merge with one version');
  differ('are shards of different splits', (shard) => `${shard.count} shards`, 'give the reports of one split');
  differ(
    'ran on different commits',
    (shard) => shard.commit,
    'every shard must check the same commit (check out one sha in each job)',
  );
  differ(
    'ran on different uncommitted changes',
    (shard) => shard.changes.slice(0, 12),
    'commit the changes, or make each shard run on the same files',
  );
  differ(
    'ran with different options',
    (shard) => JSON.stringify(shard.args),
    'give every shard the same paths and options (only --shard, --format and --output may differ)',
  );
  const { count } = first.shard;
  const byIndex = new Map<number, ShardReportFile>();
  for (const report of reports) {
    const { index } = report.shard;
    if (index < 1 || index > count)
      throw new InputError(`holds shard ${index}/${count}, which does not exist`, report.file);
    const seen = byIndex.get(index);
    if (seen) throw new UsageError(`shard ${index}/${count} is given twice (${seen.file} and ${report.file})`);
    byIndex.set(index, report);
  }
  const missing: number[] = [];
  for (let index = 1; index <= count; index++) if (!byIndex.has(index)) missing.push(index);
  if (missing.length > 0)
    throw new UsageError(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${count}`).join(', ')} missing: give the reports of all ${count} shards`,
    );
  return [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
}

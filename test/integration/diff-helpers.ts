// Shared by the diff tests: the fixture repository committed in a temporary folder (fixed author and
// dates, so its commit id is the same on every machine), one change applied to the working tree, and
// both sides loaded through the real pipeline with a fixed secret-hash key.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { diffSnapshots, type DiffReport } from '../../scripts/diff/index.ts';
import { loadCommit, loadWorkingTree, type SideOptions } from '../../scripts/diff/side.ts';

export const FIXTURE_REPO = fileURLToPath(new URL('../fixtures/diff/repo', import.meta.url));

const scratch = mkdtempSync(join(tmpdir(), 'gitops-diff-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Caches shared by every case of a test file: the base commit is validated once. */
export const sharedOptions: SideOptions = {
  renderCacheDir: join(scratch, 'render'),
  snapshotCacheDir: join(scratch, 'snapshots'),
  hashKey: Buffer.from('gitops diff test key, not secret'),
};

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'fixture',
  GIT_AUTHOR_EMAIL: 'fixture@example.com',
  GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'fixture',
  GIT_COMMITTER_EMAIL: 'fixture@example.com',
  GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-C', root, ...args], { env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
}

let count = 0;
/** A copy of `source` committed on branch main in a new folder. */
export function committedRepo(source = FIXTURE_REPO): string {
  const root = join(scratch, `repo-${++count}`);
  // Not the render cache a run may have left in the fixture: the commit id must be the same everywhere.
  cpSync(source, root, { recursive: true, filter: (path) => !/[\\/]\.gitops-cache([\\/]|$)/.test(path) });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'fixture');
  return root;
}

export function editFile(root: string, file: string, edit: (text: string) => string): void {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const text = edit(before);
  if (text === before) throw new Error(`the edit of ${file} changed nothing`);
  writeFileSync(path, text);
}

export function moveFolder(root: string, from: string, to: string): void {
  mkdirSync(dirname(join(root, to)), { recursive: true });
  renameSync(join(root, from), join(root, to));
}

/** The fixture committed, `change` applied to its working tree, and the diff of the two. */
export async function diffFixture(
  change: (root: string) => void,
  options: SideOptions = sharedOptions,
): Promise<DiffReport> {
  const root = committedRepo();
  change(root);
  const base = await loadCommit(root, 'HEAD', options);
  const head = await loadWorkingTree(root, options);
  return diffSnapshots(base.snapshot, head.snapshot, { base: base.info, head: head.info });
}

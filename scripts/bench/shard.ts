// Sharding benchmark (issue 14, "Past one machine"): a synthetic repository of 1,000 services x 3
// environments (3,000 kustomize apps), validated unsharded and as 4 shards, one process after another
// on this machine, each with an empty render cache (as a fresh CI runner has). The slowest shard
// against the unsharded run is the CI matrix's wall time; the merge comes after the slowest shard.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram } from '../safe/run.ts';
import { toolRoot } from '../tool.ts';
import { syntheticRepository } from './render.ts';
import type { BenchSection } from './sections.ts';
import type { BenchTable } from './table.ts';
import { largest } from '../lists.ts';

const SHARDS = 4;
// From toolRoot, not from this module's place: a checkout runs it from its compiled tree (bin/checkout-build.js).
const bin = join(toolRoot, 'bin', 'gitops.js');

/**
 * The child's CPU time with its children's (kustomize, git), written as it exits: /proc/self/stat's
 * utime, stime, cutime and cstime (clock ticks of 1/100 s on Linux). On a loaded machine the CPU
 * figure is steadier than the wall time.
 */
const CPU_ON_EXIT = `data:text/javascript,${encodeURIComponent(
  `import { readFileSync, writeFileSync } from 'node:fs';
  const file = process.env.GITOPS_BENCH_CPU;
  if (file) process.on('exit', () => { const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' '); writeFileSync(file, String((+f[11] + +f[12] + +f[13] + +f[14]) * 10)); });`,
)}`;

/** One `gitops` process with a render cache folder of its own (empty, as a CI runner's): wall and CPU ms. */
function gitops(args: string[], cwd: string): { ms: number; cpuMs: number; status: number | null; stderr: string } {
  const scratch = mkdtempSync(join(tmpdir(), 'gitops-bench-shard-cache-'));
  try {
    const cpuFile = join(scratch, 'cpu');
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--import', CPU_ON_EXIT, bin, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: {
        ...process.env,
        GITOPS_CACHE_DIR: join(scratch, 'cache'),
        GITOPS_BENCH_CPU: cpuFile,
        GITHUB_ACTIONS: '',
        NO_COLOR: '1',
      },
    });
    const ms = Math.round(performance.now() - started);
    if (child.error) throw child.error;
    let cpuMs = NaN;
    try {
      cpuMs = Number(readFileSync(cpuFile, 'utf8'));
    } catch {
      // no /proc (not Linux) or the child died first: the CPU column shows NaN
    }
    return { ms, cpuMs, status: child.status, stderr: child.stderr };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function git(root: string, ...args: string[]): Promise<void> {
  const result = await runProgram(
    'git',
    ['-C', root, '-c', 'user.email=bench@example.com', '-c', 'user.name=bench', ...args],
    { env: { PATH: '/usr/local/bin:/usr/bin:/bin' }, isolateNetwork: false },
  );
  if (result.code !== 0) throw new Error(`git ${args[0]} failed: ${result.stderr}`);
}

const withoutDuration = (text: string) => text.replace(/"durationMs": \d+/g, '"durationMs": 0');

export const section: BenchSection = {
  name: 'shard',
  async run({ quick }) {
    const services = quick ? 100 : 1000;
    const root = syntheticRepository(services);
    const out = mkdtempSync(join(tmpdir(), 'gitops-bench-shard-out-'));
    try {
      await git(root, 'init', '-q');
      await git(root, 'add', '.');
      await git(root, 'commit', '-qm', 'synthetic');
      const failed = (what: string, run: { status: number | null; stderr: string }) => {
        if (run.status === 2 || run.status === null) throw new Error(`${what} failed: ${run.stderr}`);
      };
      const whole = gitops(['validate', '.', '-f', 'json', '-o', join(out, 'whole.json')], root);
      failed('the unsharded run', whole);
      const shards = Array.from({ length: SHARDS }, (_, i) => {
        const run = gitops(
          ['validate', '.', '--shard', `${i + 1}/${SHARDS}`, '-f', 'json', '-o', join(out, `shard-${i + 1}.json`)],
          root,
        );
        failed(`shard ${i + 1}`, run);
        const report = JSON.parse(readFileSync(join(out, `shard-${i + 1}.json`), 'utf8')) as {
          shard: { apps: string[] };
        };
        return { ...run, apps: report.shard.apps.length };
      });
      const reports = shards.map((_, i) => join(out, `shard-${i + 1}.json`));
      const merge = gitops(['merge-shards', ...reports, '-f', 'json', '-o', join(out, 'merged.json')], root);
      failed('merge-shards', merge);
      const same =
        withoutDuration(readFileSync(join(out, 'merged.json'), 'utf8')) ===
        withoutDuration(readFileSync(join(out, 'whole.json'), 'utf8'));
      const slowest = largest(shards.map((shard) => shard.ms));
      const slowestCpu = largest(shards.map((shard) => shard.cpuMs));
      const ratio = (ms: number) => `${(ms / whole.ms).toFixed(2)}x`;
      const cpuRatio = (ms: number) => `${(ms / whole.cpuMs).toFixed(2)}x`;
      const table: BenchTable = {
        title: `shard: ${services * 3} kustomize apps (${services} services x 3 environments), ${SHARDS} shards, one after another, each with an empty render cache`,
        columns: ['run', 'apps', 'wall ms', 'vs unsharded', 'CPU ms', 'vs unsharded'],
        rows: [
          ['unsharded validate', services * 3, whole.ms, '1.00x', whole.cpuMs, '1.00x'],
          ...shards.map((shard, i) => [
            `shard ${i + 1}/${SHARDS}`,
            shard.apps,
            shard.ms,
            ratio(shard.ms),
            shard.cpuMs,
            cpuRatio(shard.cpuMs),
          ]),
          ['slowest shard', '', slowest, ratio(slowest), slowestCpu, cpuRatio(slowestCpu)],
          [
            'merge-shards (after the slowest)',
            services * 3,
            merge.ms,
            ratio(merge.ms),
            merge.cpuMs,
            cpuRatio(merge.cpuMs),
          ],
          [
            'slowest shard + merge',
            '',
            slowest + merge.ms,
            ratio(slowest + merge.ms),
            slowestCpu + merge.cpuMs,
            cpuRatio(slowestCpu + merge.cpuMs),
          ],
        ],
        notes: [
          'target: slowest shard <= 0.35x the unsharded run (CPU includes kustomize and git; steadier than wall on a loaded machine)',
          `merged JSON report ${same ? 'identical to' : 'DIFFERS from'} the unsharded one (durations aside)`,
          'every run is a `gitops` process (start-up, schema compilation and all checks included)',
        ],
      };
      return [table];
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  },
};

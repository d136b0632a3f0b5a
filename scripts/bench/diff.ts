// `gitops diff` against `validate` on the same repository in the same run: 300 services x 3
// environments (the render bench's synthetic repository plus one ApplicationSet per environment), one
// overlay changed in the working tree. Cold = empty render cache and no snapshot of the base commit;
// warm = both caches as the previous run left them. Targets (issue 16): warm diff under 3 s and at
// most 1.5x a warm validate; cold diff at most 2.2x a cold validate.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffSnapshots } from '../diff/index.ts';
import { formatDiffMarkdown } from '../diff/markdown.ts';
import { loadCommit, loadWorkingTree, type SideOptions } from '../diff/side.ts';
import { describeKustomize, resolveKustomize } from '../render/index.ts';
import { validateRepository } from '../validate/index.ts';
import { syntheticRepository } from './render.ts';
import type { BenchSection } from './sections.ts';
import { msSince, type BenchTable } from './table.ts';

const ENVS = ['dev', 'staging', 'prod'];

function git(root: string, ...args: string[]): void {
  execFileSync('git', ['-C', root, '-c', 'user.email=bench@example.com', '-c', 'user.name=bench', ...args], {
    stdio: 'ignore',
  });
}

/** One ApplicationSet per environment listing every service, as the generator writes them. */
export function addApplicationSets(root: string, services: number): void {
  mkdirSync(join(root, 'argocd'), { recursive: true });
  for (const env of ENVS) {
    const elements = Array.from({ length: services }, (_, i) => {
      const name = `svc-${String(i).padStart(3, '0')}`;
      return `          - name: ${name}\n            path: overlays/${env}/${name}\n`;
    }).join('');
    writeFileSync(
      join(root, 'argocd', `applicationset-${env}.yaml`),
      `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: shop-${env}\n  namespace: argocd\nspec:\n  goTemplate: true\n  generators:\n    - list:\n        elements:\n${elements}  template:\n    metadata:\n      name: '{{.name}}-${env}'\n    spec:\n      project: default\n      source:\n        repoURL: https://github.com/example/shop.git\n        targetRevision: main\n        path: '{{.path}}'\n      destination:\n        server: https://kubernetes.default.svc\n        namespace: shop-${env}\n`,
    );
  }
}

async function timedDiff(root: string, options: SideOptions): Promise<{ ms: number; apps: number; cached: boolean }> {
  const started = performance.now();
  const base = await loadCommit(root, 'HEAD', options);
  const head = await loadWorkingTree(root, options);
  const report = diffSnapshots(base.snapshot, head.snapshot, { base: base.info, head: head.info });
  formatDiffMarkdown(report);
  return { ms: msSince(started), apps: report.summary.apps, cached: base.cached };
}

export const section: BenchSection = {
  name: 'diff',
  async run({ quick }) {
    const kustomize = await resolveKustomize();
    const services = quick ? 10 : 300;
    const root = syntheticRepository(services);
    const scratch = mkdtempSync(join(tmpdir(), 'gitops-bench-diff-'));
    const dir = (name: string) => join(scratch, name);
    const notes: string[] = [];
    try {
      addApplicationSets(root, services);
      git(root, 'init', '-q');
      git(root, 'add', '.');
      git(root, 'commit', '-qm', 'synthetic');
      writeFileSync(
        join(root, 'overlays', 'staging', 'svc-000', 'deployment-patch.yaml'),
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-000\nspec:\n  replicas: 7\n',
      );
      // Warm up the process (module loading, compiled schemas) so the first cold figure is not inflated.
      await validateRepository(syntheticRepository(2), { kustomize, cacheDir: dir('warm-up') });

      let started = performance.now();
      await validateRepository(root, { kustomize, cacheDir: dir('validate') });
      const coldValidate = msSince(started);

      const options: SideOptions = {
        kustomize,
        renderCacheDir: dir('render'),
        snapshotCacheDir: dir('snapshots'),
        hashKey: Buffer.alloc(32, 1),
      };
      const cold = await timedDiff(root, options);
      // Warm runs alternate (validate, diff) three times and keep each one's median: the machine is shared.
      const warmValidates: number[] = [];
      const warms: Awaited<ReturnType<typeof timedDiff>>[] = [];
      for (let round = 0; round < 3; round++) {
        started = performance.now();
        await validateRepository(root, { kustomize, cacheDir: dir('validate') });
        warmValidates.push(msSince(started));
        warms.push(await timedDiff(root, options));
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const warmValidate = median(warmValidates);
      const warm = { ...warms[0], ms: median(warms.map((run) => run.ms)), cached: warms.every((run) => run.cached) };
      // The render cache warm but no snapshot of the base: what a first diff after a validate costs.
      const unsnapshotted = await timedDiff(root, { ...options, snapshotCacheDir: dir('snapshots-2') });
      if (cold.apps !== 1 || warm.apps !== 1) notes.push(`expected 1 changed app, got ${cold.apps} / ${warm.apps}`);
      if (!warm.cached) notes.push('the warm diff did not find the base snapshot');

      const ratio = (ours: number, baseline: number) => `${(ours / baseline).toFixed(2)}x`;
      const table: BenchTable = {
        title: `diff: gitops diff vs validate, ${services} services x 3 environments, one overlay changed — ${describeKustomize(kustomize)}`,
        columns: ['run', 'validate ms', 'diff ms', 'diff / validate', 'target'],
        rows: [
          ['cold (empty caches)', coldValidate, cold.ms, ratio(cold.ms, coldValidate), '<= 2.2x'],
          [
            'warm (render cache + base snapshot)',
            warmValidate,
            warm.ms,
            ratio(warm.ms, warmValidate),
            '<= 1.5x and < 3000 ms',
          ],
          [
            'warm render cache, no base snapshot',
            warmValidate,
            unsnapshotted.ms,
            ratio(unsnapshotted.ms, warmValidate),
            '-',
          ],
        ],
        notes: [
          'validate = validateRepository of the working tree; diff = base commit (from git) + working tree + diff + markdown',
          'both diff sides share one render cache; a base commit is validated once, then its snapshot is reused',
          `warm: median of 3 alternating runs (validate ${warmValidates.join(' / ')} ms, diff ${warms.map((run) => run.ms).join(' / ')} ms)`,
          ...notes,
        ],
      };
      return [table];
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};

// Generator benchmark: examples/oms (31 services x 3 environments) written cold, regenerated with
// nothing to change, and checked with --check. The cold run is the baseline of the ratios.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile } from '../config/index.ts';
import { applyPlan, planRepository } from '../generate/index.ts';
import { OutputRoot } from '../generate/output.ts';
import { toolRoot } from '../tool.ts';
import { findOverrides } from '../generate/overrides.ts';
import type { BenchSection } from './sections.ts';
import { msSince, type BenchTable } from './table.ts';

const repoRoot = toolRoot;

export const section: BenchSection = {
  name: 'generate',
  async run({ quick }) {
    const configFile = join(repoRoot, 'examples', 'oms', 'gitops.yaml');
    const rounds = quick ? 1 : 3;
    const rows: (string | number)[][] = [];
    const best = {
      load: Infinity,
      plan: Infinity,
      cold: Infinity,
      rerun: Infinity,
      check: Infinity,
      overrides: Infinity,
    };
    let files = 0;
    for (let round = 0; round < rounds; round++) {
      const out = mkdtempSync(join(tmpdir(), 'gitops-bench-generate-'));
      try {
        let start = performance.now();
        const config = loadConfigFile(configFile);
        best.load = Math.min(best.load, msSince(start));
        start = performance.now();
        const plan = planRepository(config);
        best.plan = Math.min(best.plan, msSince(start));
        files = plan.length;
        start = performance.now();
        applyPlan(out, plan);
        best.cold = Math.min(best.cold, msSince(start));
        start = performance.now();
        applyPlan(out, planRepository(loadConfigFile(configFile)));
        best.rerun = Math.min(best.rerun, msSince(start));
        start = performance.now();
        applyPlan(out, planRepository(loadConfigFile(configFile)), { check: true });
        best.check = Math.min(best.check, msSince(start));
        start = performance.now();
        findOverrides(new OutputRoot(out), config);
        best.overrides = Math.min(best.overrides, msSince(start));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    const ratio = (ms: number) => (best.cold > 0 ? `${(ms / best.cold).toFixed(2)}x` : '-');
    rows.push(['load + check gitops.yaml', best.load, ratio(best.load)]);
    rows.push(['plan (build + validate objects)', best.plan, ratio(best.plan)]);
    rows.push(['write cold (baseline)', best.cold, '1.00x']);
    rows.push(['regenerate, nothing changed (load + plan + compare)', best.rerun, ratio(best.rerun)]);
    rows.push(['--check (load + plan + compare, no writes)', best.check, ratio(best.check)]);
    rows.push([
      "overlay values that override gitops.yaml (read people's overlays)",
      best.overrides,
      ratio(best.overrides),
    ]);
    const table: BenchTable = {
      title: `generate: examples/oms, ${serviceCount(configFile)} services x 3 environments, ${files} files (best of ${rounds})`,
      columns: ['step', 'ms', 'vs cold write'],
      rows,
      notes: ['Ratios are against the cold write of the same run.'],
    };
    return [table];
  },
};

function serviceCount(configFile: string): number {
  return loadConfigFile(configFile).services.length;
}

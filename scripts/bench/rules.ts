// Policy rules benchmark: every rule over 10,000 rendered resources (5,000 Deployments with their
// Services, one environment, so cross-resource lookups see all of them). Baseline in the same run:
// parsing the same stream with js-yaml, the hot path design.md names; the table gives the ratio.
import { parseRenderedYaml } from '../manifest/rendered.ts';
import { runRulesSync } from '../check/engine.ts';
import { builtinRulesIn } from '../check/registry.ts';
import type { App, RepoContext, Resource } from '../types.ts';
import { renderedStream } from './schema.ts';
import type { BenchSection } from './sections.ts';
import { msSince, type BenchTable } from './table.ts';

function contextOf(text: string): RepoContext {
  const resources: Resource[] = parseRenderedYaml(text).map((object) => ({
    object,
    origin: { app: 'overlays/prod/shop', env: 'prod', file: 'base/shop.yaml' },
    locate: () => ({ file: 'base/shop.yaml', line: 1 }),
  }));
  const app: App = { id: 'overlays/prod/shop', kind: 'kustomization', env: 'prod', resources };
  return { root: '/bench', kubernetesVersion: '1.32', apps: [app], environments: ['prod'], kustomizations: [] };
}

const rules = builtinRulesIn('rules');

export const section: BenchSection = {
  name: 'rules',
  async run({ quick }) {
    const count = quick ? 2_000 : 10_000;
    const text = renderedStream(count);
    let start = performance.now();
    parseRenderedYaml(text);
    const parseMs = msSince(start);
    const ctx = contextOf(text);
    start = performance.now();
    const { findings } = runRulesSync(ctx, { rules });
    const allMs = msSince(start);
    // the slowest rules, each alone on a fresh context (their caches are per context)
    const perRule = rules
      .map((rule) => {
        const fresh = contextOf(text);
        const t = performance.now();
        runRulesSync(fresh, { rules: [rule] });
        return [rule.meta.id, msSince(t)] as [string, number];
      })
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5);
    const table: BenchTable = {
      title: `Policy rules over ${count.toLocaleString('en-US')} resources (${rules.length} rules)`,
      columns: ['what', 'ms', 'vs js-yaml parse'],
      rows: [
        ['js-yaml parse of the stream (baseline)', parseMs, '1.00'],
        ['every rule', allMs, (allMs / Math.max(parseMs, 1)).toFixed(2)],
        ...perRule.map(([id, ms]) => [`  ${id} alone`, ms, (ms / Math.max(parseMs, 1)).toFixed(2)]),
      ],
      notes: [`${findings.length} findings. Target: the rules cost no more than parsing the rendered output.`],
    };
    return [table];
  },
};

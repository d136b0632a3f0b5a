// The benchmark sections `npm run bench` runs, in order. Each stage adds its own file.
import type { BenchTable } from './table.ts';

export interface BenchSection {
  name: string;
  run(options: { quick: boolean }): Promise<BenchTable[]>;
}

export const sections: { name: string; load(): Promise<BenchSection> }[] = [
  { name: 'render', load: async () => (await import('./render.ts')).section },
  { name: 'schema', load: async () => (await import('./schema.ts')).section },
  { name: 'generate', load: async () => (await import('./generate.ts')).section },
  { name: 'argocd', load: async () => (await import('./argocd.ts')).section },
  { name: 'rules', load: async () => (await import('./rules.ts')).section },
  { name: 'diff', load: async () => (await import('./diff.ts')).section },
  { name: 'loose', load: async () => (await import('./loose.ts')).section },
  { name: 'shard', load: async () => (await import('./shard.ts')).section },
  { name: 'startup', load: async () => (await import('./startup.ts')).section },
];

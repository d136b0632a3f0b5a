// `gitops schemas`: rebuild schemas/ from the pinned kubernetes-models packages.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildSchemas, writeSchemas } from '../schema/build.ts';

export const help = `Usage: gitops schemas [--out <dir>]

Builds JSON schemas in kubeconform's layout (<kind>-<group>-<version>.json, core <kind>-v1.json) from
the pinned kubernetes-models and @kubernetes-models/* packages: one shared _definitions.json, one small
file per kind, and manifest.json recording the Kubernetes and package versions. The output is
deterministic; commit it.

Options:
  --out <dir>  where to write (default: schemas/ of this tool)`;

const toolRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  const outDir = path.resolve(values.out ?? path.join(toolRoot, 'schemas'));
  const started = performance.now();
  const result = buildSchemas(toolRoot);
  // gitops.schema.json belongs to the generator (the schema of gitops.yaml), not to this build.
  const { written, removed } = writeSchemas(result, outDir, (name) => name === 'gitops.schema.json');
  console.log(
    `schemas: ${result.kinds} kinds, ${result.definitions} shared definitions, ${written} files written, ${removed} removed in ${path.relative(process.cwd(), outDir) || '.'} (${Math.round(performance.now() - started)} ms)`,
  );
  for (const collision of result.collisions) console.log(`  file-name collision: ${collision}`);
  return 0;
}

// `gitops schemas`: rebuild schemas/ from the pinned kubernetes-models packages.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildSchemas, staleSchemaFiles, writeSchemas } from '../schema/build.ts';

export const help = `Usage: gitops schemas [--out <dir>] [--check]

Builds JSON schemas in kubeconform's layout (<kind>-<group>-<version>.json, core <kind>-v1.json) from
the pinned kubernetes-models and @kubernetes-models/* packages: one shared _definitions.json, one small
file per kind, and manifest.json recording the Kubernetes and package versions. The output is
deterministic; commit it.

Options:
  --out <dir>  where to write (default: schemas/ of this tool)
  --check      write nothing; exit 1 and list the files that differ when the folder is out of date`;

const toolRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { out: { type: 'string' }, check: { type: 'boolean', default: false } },
  });
  const outDir = path.resolve(values.out ?? path.join(toolRoot, 'schemas'));
  const started = performance.now();
  const result = buildSchemas(toolRoot);
  if (values.check) {
    const stale = staleSchemaFiles(result, outDir);
    if (stale.length === 0) {
      console.log(`schemas: ${path.relative(process.cwd(), outDir) || '.'} is up to date (${result.files.size} files)`);
      return 0;
    }
    console.error(
      `schemas: ${stale.length} files differ from a fresh build; run \`npm run schemas\` and commit schemas/:`,
    );
    for (const name of stale.slice(0, 20)) console.error(`  ${name}`);
    return 1;
  }
  // gitops.schema.json belongs to the generator (the schema of gitops.yaml), not to this build.
  const { written, removed } = writeSchemas(result, outDir, (name) => name === 'gitops.schema.json');
  console.log(
    `schemas: ${result.kinds} kinds, ${result.definitions} shared definitions, ${written} files written, ${removed} removed in ${path.relative(process.cwd(), outDir) || '.'} (${Math.round(performance.now() - started)} ms)`,
  );
  for (const collision of result.collisions) console.log(`  file-name collision: ${collision}`);
  return 0;
}

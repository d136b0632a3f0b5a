// `gitops schemas`: rebuild schemas/ from the pinned kubernetes-models packages.
import path from 'node:path';
import { addPrecompiledValidators, buildSchemas, staleSchemaFiles, writeSchemas } from '../schema/build.ts';
import { VERSION_TABLE_FILE } from '../schema/versions.ts';
import { toolRoot } from '../tool.ts';
import { parseCommandLine } from './args.ts';

export const help = `Usage: gitops schemas [--out <dir>] [--check] [--kubernetes-versions]

Builds JSON schemas in kubeconform's layout (<kind>-<group>-<version>.json, core <kind>-v1.json) from
the pinned kubernetes-models and @kubernetes-models/* packages: one shared _definitions.json, one small
file per kind, manifest.json recording the Kubernetes and package versions, and compiled-validators.cjs
(the Kubernetes kinds' validators compiled ahead of time by ajv, so a run does not compile them). The
output is deterministic; commit it.

Options:
  --out <dir>             where to write (default: schemas/ of this tool)
  --check                 write nothing; exit 1 and list the files that differ when the folder is out of date
  --kubernetes-versions   also rebuild kubernetes-versions.json (the fields and kinds each Kubernetes
                          minor from 1.28 lacks) from @kubernetes/client-node releases fetched with
                          npm pack: needs the npm registry, so it is a separate, deliberate step`;

/** Files of schemas/ this build does not write: the generator's gitops.schema.json, and the version table (--kubernetes-versions). */
const keptFile = (name: string) => name === 'gitops.schema.json' || name === VERSION_TABLE_FILE;

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandLine({
    args,
    options: {
      out: { type: 'string' },
      check: { type: 'boolean', default: false },
      'kubernetes-versions': { type: 'boolean', default: false },
    },
  });
  const outDir = path.resolve(values.out ?? path.join(toolRoot, 'schemas'));
  const started = performance.now();
  const result = buildSchemas(toolRoot);
  if (values.check) {
    const stale = staleSchemaFiles(result, outDir, keptFile);
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
  if (values['kubernetes-versions']) {
    const { buildVersionTable, CLIENT_FOR_MINOR, fetchClientModels } = await import('../schema/versions-build.ts');
    const inputs = Object.entries(CLIENT_FOR_MINOR).map(([minor, version]) => {
      console.log(`schemas: reading the Kubernetes ${minor} API from @kubernetes/client-node@${version}`);
      return { minor, ...fetchClientModels(minor, version) };
    });
    const table = buildVersionTable(result.definitionSchemas, result.kubernetesKinds, inputs);
    result.files.set(VERSION_TABLE_FILE, `${JSON.stringify(table, null, 2)}\n`);
    // The precompiled validators hold the fields of their target minor: compiled again from the new table.
    addPrecompiledValidators(result.files, result.kubernetesFiles, table);
  }
  const { written, removed } = writeSchemas(result, outDir, keptFile);
  console.log(
    `schemas: ${result.kinds} kinds, ${result.definitions} shared definitions, ${written} files written, ${removed} removed in ${path.relative(process.cwd(), outDir) || '.'} (${Math.round(performance.now() - started)} ms)`,
  );
  for (const collision of result.collisions) console.log(`  file-name collision: ${collision}`);
  return 0;
}

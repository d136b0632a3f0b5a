// `gitops rules`: the catalog of every rule any checker can emit.
import { ruleMetas } from '../check/registry.ts';
import { rulesMarkdown, rulesTable, sortRuleMetas } from '../check/catalog.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { configSchemaWithRules } from '../check/options.ts';
import { schemaPath } from '../config/load.ts';
import { UsageError } from '../errors.ts';

export const help = `Usage: gitops rules [--format text|json] [--markdown] [--write-config-schema]

Lists every rule: id, default severity, category and description.

Options:
  --format text|json  a table (default) or a JSON array of the rules' metadata
  --markdown          the full catalog as Markdown (this is how docs/rules.md is made:
                      gitops rules --markdown > docs/rules.md)
  --write-config-schema
                      rewrite lint.rules in schemas/gitops.schema.json from the rules (ids,
                      options), for editors and the gitops.yaml loader`;

export async function run(args: string[]): Promise<number> {
  let format = 'text';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--markdown') format = 'markdown';
    else if (arg === '--write-config-schema') format = 'config-schema';
    else if (arg === '--format') format = args[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else throw new UsageError(`unknown argument "${arg}"`);
  }
  const metas = ruleMetas();
  if (format === 'config-schema') {
    writeFileSync(schemaPath, configSchemaWithRules(readFileSync(schemaPath, 'utf8'), metas));
    console.log(`wrote lint.rules of ${schemaPath}`);
  } else if (format === 'json') console.log(JSON.stringify(sortRuleMetas(metas), null, 2));
  else if (format === 'markdown') process.stdout.write(rulesMarkdown(metas));
  else if (format === 'text') console.log(rulesTable(metas));
  else throw new UsageError(`unknown format "${format}" (use text or json, or --markdown)`);
  return 0;
}

// `gitops rules`: the catalog of every rule any checker can emit.
import { ruleMetas } from '../check/registry.ts';
import { rulesMarkdown, rulesTable, sortRuleMetas } from '../check/catalog.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { configSchemaWithRules } from '../check/options.ts';
import { compiledConfigSchemaSource, compiledSchemaPath, schemaPath } from '../config/load.ts';
import { UsageError } from '../errors.ts';
import { ruleMetasModulePath, ruleMetasModuleSource } from '../check/rule-metas.ts';
import { parseCommandLine } from './args.ts';

export const help = `Usage: gitops rules [-f text|json] [--markdown] [--write-config-schema]

Lists every rule: id, default severity, category and description.

Options:
  -f, --format text|json  a table (default) or a JSON array of the rules' metadata
  --markdown              the full catalog as Markdown (this is how docs/rules.md is made:
                          gitops rules --markdown > docs/rules.md)
  --write-config-schema   rewrite lint.rules in schemas/gitops.schema.json from the rules (ids,
                          options), for editors and the gitops.yaml loader, and the rules' metas
                          a run reads without loading the rules (scripts/check/rule-metas.generated.ts)`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandLine({
    args,
    options: {
      format: { type: 'string', short: 'f', default: 'text' },
      markdown: { type: 'boolean' },
      'write-config-schema': { type: 'boolean' },
    },
  });
  const format = values['write-config-schema'] ? 'config-schema' : values.markdown ? 'markdown' : values.format;
  const metas = ruleMetas();
  if (format === 'config-schema') {
    const schema = configSchemaWithRules(readFileSync(schemaPath, 'utf8'), metas);
    writeFileSync(schemaPath, schema);
    writeFileSync(compiledSchemaPath, compiledConfigSchemaSource(schema));
    writeFileSync(ruleMetasModulePath, ruleMetasModuleSource(metas));
    console.log(
      `wrote lint.rules of ${schemaPath}, its compiled validator ${compiledSchemaPath} and the rules' metas ${ruleMetasModulePath}`,
    );
  } else if (format === 'json') console.log(JSON.stringify(sortRuleMetas(metas), null, 2));
  else if (format === 'markdown') process.stdout.write(rulesMarkdown(metas));
  else if (format === 'text') console.log(rulesTable(metas));
  else throw new UsageError(`unknown format "${format}" (use text or json, or --markdown)`);
  return 0;
}

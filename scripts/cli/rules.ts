// `gitops rules`: the catalog of every rule any checker can emit.
import { ruleMetas } from '../check/registry.ts';
import { rulesMarkdown, rulesTable, sortRuleMetas } from '../check/catalog.ts';
import { UsageError } from '../errors.ts';

export const help = `Usage: gitops rules [--format text|json] [--markdown]

Lists every rule: id, default severity, category and description.

Options:
  --format text|json  a table (default) or a JSON array of the rules' metadata
  --markdown          the full catalog as Markdown (this is how docs/rules.md is made:
                      gitops rules --markdown > docs/rules.md)`;

export async function run(args: string[]): Promise<number> {
  let format = 'text';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--markdown') format = 'markdown';
    else if (arg === '--format') format = args[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else throw new UsageError(`unknown argument "${arg}"`);
  }
  const metas = ruleMetas();
  if (format === 'json') console.log(JSON.stringify(sortRuleMetas(metas), null, 2));
  else if (format === 'markdown') process.stdout.write(rulesMarkdown(metas));
  else if (format === 'text') console.log(rulesTable(metas));
  else throw new UsageError(`unknown format "${format}" (use text or json, or --markdown)`);
  return 0;
}

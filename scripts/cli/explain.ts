// `gitops explain <rule>`: why a rule exists, how to fix a finding, a bad and a good example.
import { ruleMetas } from '../check/registry.ts';
import { explainText, suggestRules } from '../check/catalog.ts';
import { UsageError } from '../errors.ts';
import { parseCommandLine } from './args.ts';

export const help = `Usage: gitops explain <rule>

Prints a rule's docs: why it exists, how to fix a finding, and a bad and a good example.
\`gitops rules\` lists the rule ids.`;

export async function run(args: string[]): Promise<number> {
  const ids = parseCommandLine({ args, allowPositionals: true, options: {} }).positionals;
  if (ids.length !== 1) throw new UsageError('name exactly one rule, e.g. `gitops explain probes-differ`');
  const metas = ruleMetas();
  const meta = metas.find((m) => m.id === ids[0]);
  if (!meta) {
    const suggestions = suggestRules(ids[0], metas);
    const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
    throw new UsageError(`unknown rule "${ids[0]}".${hint} \`gitops rules\` lists them.`);
  }
  console.log(explainText(meta));
  return 0;
}

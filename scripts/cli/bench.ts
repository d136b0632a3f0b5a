import { sections } from '../bench/sections.ts';
import { formatTable } from '../bench/table.ts';
import { UsageError } from '../errors.ts';
import { parseCommandLine } from './args.ts';

export const help = `Usage: gitops bench [--only <section>] [--quick]

Measures the hot paths and prints one table per measurement, each with its baseline measured in the
same run (this machine is shared and noisy: read ratios, not absolute times).

Options:
  --only <name>  run one section (${sections.map((s) => s.name).join(', ') || 'none yet'})
  --quick        smaller inputs, for a smoke run`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandLine({
    args,
    options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } },
  });
  const chosen = values.only ? sections.filter((s) => s.name === values.only) : sections;
  if (values.only && chosen.length === 0) throw new UsageError(`no bench section "${values.only}"`);
  for (const entry of chosen) {
    const section = await entry.load();
    for (const table of await section.run({ quick: values.quick ?? false })) console.log(`${formatTable(table)}\n`);
  }
  return 0;
}

// `gitops promote --from <env> --to <env> [<service>...]`: what one environment runs, copied to the next.
import { resolve } from 'node:path';
import { carryOut, EditRefused, FIELDS, planPromotion, type EditPlan, type Field } from '../promote/index.ts';
import { InputError, UsageError } from '../errors.ts';
import { parseCommandLine } from './args.ts';

export const help = `Usage: gitops promote --from <env> --to <env> [<service>...] [options]

Copies what one environment runs to another (image tags or digests by default), in the file that owns
each value, keeping every other byte of it (comments, key order, quoting, blank lines): gitops.yaml for
the services it declares (then the generated files are regenerated), otherwise each service's overlay
kustomization. Without services: every service that runs in both environments. Prints the summary a
pull request description needs (service, from, to) and validates the result.

Options:
  --from <env>, --to <env>  the environments (required)
  --what <fields>           what to copy, comma-separated: ${FIELDS.join(', ')} (default: image);
                            resources and config only where gitops.yaml owns them
  --config <file>           the gitops.yaml (default: gitops.yaml in the root, when there is one)
  --root <folder>           the repository (default: the folder of --config, or the current one)
  --dry-run                 print the diff and the summary; write nothing, validate nothing
  --no-validate             skip the validation of the result

Exit codes: 0 done (or nothing to change), 1 the target environment has new errors, 2 bad usage or an
edit that cannot be made safely.`;

export const promoteOptions = {
  config: { type: 'string' },
  root: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'no-validate': { type: 'boolean' },
} as const;

export function rootOf(values: { config?: string; root?: string }): string {
  return values.root ? resolve(values.root) : values.config ? resolve(values.config, '..') : process.cwd();
}

/** Carries the plan out and prints what a person and a pull request need. */
export async function finish(
  plan: EditPlan,
  values: { 'dry-run'?: boolean; 'no-validate'?: boolean },
): Promise<number> {
  const result = await carryOut(plan, { dryRun: values['dry-run'], validate: !values['no-validate'] });
  console.log(result.output.replace(/\n$/, ''));
  for (const finding of result.newErrors) {
    console.error(
      `new error in ${finding.env}: ${finding.file}${finding.line ? `:${finding.line}` : ''}: ${finding.ruleId}: ${finding.message}`,
    );
  }
  if (result.newErrors.length > 0)
    console.error(
      `${result.newErrors.length} new error(s) in ${plan.envs.join(', ')} after the change (written; fix them or revert).`,
    );
  return result.code;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args,
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, what: { type: 'string' }, ...promoteOptions },
  });
  if (!values.from || !values.to) throw new UsageError('--from <env> and --to <env> are required');
  if (values.from === values.to) throw new UsageError('--from and --to name the same environment');
  const fields = (values.what ?? 'image').split(',').map((field) => field.trim()) as Field[];
  const unknown = fields.filter((field) => !FIELDS.includes(field));
  if (unknown.length > 0) throw new UsageError(`--what: unknown ${unknown.join(', ')} (use ${FIELDS.join(', ')})`);
  try {
    const plan = planPromotion({
      root: rootOf(values),
      configFile: values.config ? resolve(values.config) : undefined,
      from: values.from,
      to: values.to,
      services: positionals,
      fields,
    });
    return await finish(plan, values);
  } catch (error) {
    if (error instanceof EditRefused) throw new InputError(`refused: ${error.message}.`);
    throw error;
  }
}

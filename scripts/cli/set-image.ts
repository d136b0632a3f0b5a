// `gitops set-image <service> <tag|digest> --env <env>`: one environment's image, in the file that owns it.
import { resolve } from 'node:path';
import { imagePartProblem } from '../config/image-reference.ts';
import { EditRefused, planSetImage, type ImageRef } from '../promote/index.ts';
import { InputError, UsageError } from '../errors.ts';
import { finish, promoteOptions, rootOf } from './promote.ts';
import { parseCommandLine } from './args.ts';

export const help = `Usage: gitops set-image <service> <tag|digest> --env <env> [options]

Sets the image one environment runs, in the file that owns it, so the rendered image changes and every
other byte of that file stays (comments, key order, quoting, blank lines):
  - a service gitops.yaml declares: services[<service>].overrides.<env>.imageTag (or imageDigest) in
    gitops.yaml, then the generated files are regenerated;
  - otherwise the images entry of the service's overlay kustomization (overlays/<env>/<service>,
    <service>/overlays/<env>, apps/<service>/overlays/<env>, envs/<env>/<service>, or --overlay).
It refuses, saying why, when the file cannot be edited safely (an anchor, a merge key, a value a
template pins, a people's overlay that sets the image itself). Then it validates the result and
prints the summary a pull request description needs.

Options:
  --env <env>          the environment (required)
  --config <file>      the gitops.yaml (default: gitops.yaml in the root, when there is one)
  --root <folder>      the repository (default: the folder of --config, or the current one)
  --overlay <folder>   edit this overlay's kustomization instead of finding one
  --image <name>       the images entry to edit (or add) in an overlay
  --dry-run            print the diff and the summary; write nothing, validate nothing
  --no-validate        skip the validation of the result

Exit codes: 0 done (or nothing to change), 1 the environment has new errors, 2 bad usage or an edit
that cannot be made safely.`;

export function imageArgument(value: string): ImageRef {
  if (/^[A-Za-z][A-Za-z0-9+._-]*:[0-9a-fA-F]{32,}$/.test(value)) {
    const problem = imagePartProblem('digest', value);
    if (problem) throw new UsageError(problem);
    return { digest: value };
  }
  const problem = imagePartProblem('tag', value);
  if (problem) throw new UsageError(`${problem}; or pass a digest (sha256:<64 hex digits>)`);
  return { tag: value };
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args,
    allowPositionals: true,
    options: {
      env: { type: 'string' },
      overlay: { type: 'string' },
      image: { type: 'string' },
      ...promoteOptions,
    },
  });
  if (positionals.length !== 2) throw new UsageError('give the service and the tag or digest');
  if (!values.env) throw new UsageError('--env <env> is required');
  const [service, reference] = positionals;
  try {
    const plan = planSetImage({
      root: rootOf(values),
      configFile: values.config ? resolve(values.config) : undefined,
      service,
      env: values.env,
      image: imageArgument(reference),
      overlay: values.overlay,
      imageName: values.image,
    });
    return await finish(plan, values);
  } catch (error) {
    if (error instanceof EditRefused) throw new InputError(`refused: ${error.message}.`);
    throw error;
  }
}

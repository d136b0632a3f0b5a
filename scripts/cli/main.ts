// The `gitops` command line: one subcommand per stage entry point, each with --help.
// Only this file and the chosen command's module load, so `gitops --version` reads package.json and nothing else.
import { InputError, UsageError } from '../errors.ts';
import { closestNames, didYouMean } from '../suggest.ts';
import { isCheckout, toolInfo } from '../tool.ts';
import { largest } from '../lists.ts';

export interface Command {
  /** One line for `gitops --help`. */
  summary: string;
  /** Loaded on demand so `gitops rules` does not pay for the generator's imports. */
  load(): Promise<{ help: string; run(args: string[]): Promise<number> }>;
  /** A maintainer's command that works on the tool's own checkout (its examples, its devDependencies). */
  checkoutOnly?: boolean;
}

export const commands: Record<string, Command> = {
  generate: { summary: 'write base/, overlays/ and argocd/ from gitops.yaml', load: () => import('./generate.ts') },
  validate: {
    summary: 'render every app and check it: schemas, API versions, rules, Argo CD',
    load: () => import('./validate.ts'),
  },
  'merge-shards': {
    summary: 'join the reports of validate --shard i/n into the whole run: same findings, formats, exit code',
    load: () => import('./merge-shards.ts'),
  },
  diff: {
    summary: 'what a change does in every environment: objects, Applications, matrix, findings',
    load: () => import('./diff.ts'),
  },
  'set-image': {
    summary: "set one environment's image in the file that owns it, keeping its comments",
    load: () => import('./set-image.ts'),
  },
  promote: {
    summary: 'copy what one environment runs to another (images; replicas, resources, config)',
    load: () => import('./promote.ts'),
  },
  seal: {
    summary: "encrypt Secret values with the sealed-secrets controller's certificate, as kubeseal does",
    load: () => import('./seal.ts'),
  },
  apps: { summary: 'list the Applications Argo CD would create from this repository', load: () => import('./apps.ts') },
  rules: { summary: 'list the rules', load: () => import('./rules.ts') },
  explain: { summary: "print a rule's docs with a bad and a good example", load: () => import('./explain.ts') },
  schemas: {
    summary: 'build schemas/ from the pinned kubernetes-models packages',
    load: () => import('./schemas.ts'),
    checkoutOnly: true,
  },
  bench: {
    summary: 'measure parsing, validation and rendering; prints a table',
    load: () => import('./bench.ts'),
    checkoutOnly: true,
  },
};

export function usage(): string {
  const shown = Object.entries(commands).filter(([, command]) => !(command.checkoutOnly && !isCheckout));
  const width = largest(shown.map(([name]) => name.length));
  const lines = shown.map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return [
    'Usage: gitops <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `gitops <command> --help` for its options, `gitops --version` for the version.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const [name, ...args] = argv.filter((arg) => arg !== '--debug');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    console.log(toolInfo().version);
    return 0;
  }
  const command = commands[name];
  if (command?.checkoutOnly && !isCheckout) {
    console.error(
      `gitops ${name}: works on a checkout of the tool itself (git clone, npm ci, npm run ${name}), not on the installed package`,
    );
    return 2;
  }
  if (!command) {
    const hint = didYouMean(closestNames(name, Object.keys(commands), { max: 2 }));
    const what = name.startsWith('-') ? `unknown option "${name}"` : `unknown command "${name}"`;
    console.error(`gitops: ${what}${hint}\n\n${usage()}`);
    return 2;
  }
  let help = '';
  try {
    const module = await command.load();
    help = module.help;
    if (args.includes('--help') || args.includes('-h')) {
      console.log(module.help);
      return 0;
    }
    return await module.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      // Bad usage: what was wrong, then the command's usage (as kubeconform and ESLint do).
      console.error(`gitops ${name}: ${error.message}\n\n${help || `Run \`gitops ${name} --help\` for usage.`}`);
    } else if (error instanceof InputError) {
      // Every problem of the pass on its own line, so one run lists them all.
      for (const line of error.format().split('\n')) console.error(`gitops ${name}: ${line}`);
    } else {
      console.error(`gitops ${name}: internal error: ${(error as Error)?.message ?? error}`);
      if (!debug) console.error('Run again with --debug for the stack trace, and please report it.');
    }
    if (debug) console.error(error);
    return 2;
  }
}

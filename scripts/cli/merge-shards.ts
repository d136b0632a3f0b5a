// `gitops merge-shards <report>...`: the shards of one `validate --shard i/n` run as the unsharded run's
// report, in any format, with its exit code. The set is checked first (every shard once, one commit,
// one set of options, one tool version); then the shards' renders go into a private cache folder and
// the validate pipeline runs over them with the shards' options: kustomize runs only for what no
// shard could cache (apps with Secret values, Helm charts), and every check sees every app.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { gitTopLevel } from '../safe/git.ts';
import { checkShardSet, ENTRY_NAME, readShardReport, worktreeState } from '../validate/shard.ts';
import { parseCommandLine } from './args.ts';
import { decidingArgs, trustedArgs } from './shard-options.ts';
import { CODE_AND_URL_OPTIONS, outputsOf, REPORT_OPTIONS, runValidate, type ValidateIO } from './validate.ts';

export const help = `Usage: gitops merge-shards <shard report>... [options]

Joins the JSON reports of every shard of one run (gitops validate --shard i/n -f json -o <file>, one
CI job each) into the report the same validate would give unsharded: the same findings, formats and
exit code. It runs in a checkout of the same commit, reads the shards' options from their reports,
renders nothing a shard rendered, and runs every check, cross-app ones included, over every app.
Refused: a shard missing or given twice, reports of different commits, changes, options or versions.

Options:
  -f, --format <name>     a report format, as gitops validate; repeatable (default: stylish)
  -o, --output <file>     write the preceding --format to a file instead of stdout
  --repo <folder>         the checkout to merge in (default: the current folder's repository)
  --plugin <file>, --allow-plugins, --schema-location <loc>
                          when the shards ran with them, give them here too: a report cannot make
                          this command run code or reach a URL
  --no-color, --no-annotations, --no-step-summary, --verbose, --timing   as gitops validate

Exit codes: as gitops validate (0 no errors, 1 errors, 2 bad usage, a mismatched set or a fault).`;

export function run(args: string[]): Promise<number> {
  return runMergeShards(args, { stdout: process.stdout, stderr: process.stderr, env: process.env });
}

export async function runMergeShards(args: string[], io: ValidateIO): Promise<number> {
  const { values, positionals, tokens } = parseCommandLine({
    args,
    allowPositionals: true,
    tokens: true,
    options: {
      ...REPORT_OPTIONS,
      ...CODE_AND_URL_OPTIONS,
      repo: { type: 'string' },
    },
  });
  if (positionals.length === 0)
    throw new UsageError('give the JSON reports of every shard: gitops merge-shards shard-1.json shard-2.json ...');
  const shards = checkShardSet(positionals.map((file) => readShardReport(file)));
  const root = gitTopLevel(resolve(values.repo ?? '.'));
  if (!root)
    throw new UsageError('merge-shards runs in a git checkout of the commit the shards checked (--repo <folder>)');
  const [first] = shards;
  const given = trustedArgs(
    decidingArgs(
      (tokens ?? []).filter((token) => token.kind === 'option'),
      root,
      process.cwd(),
    ),
  );
  const asked = trustedArgs(first.shard.args);
  if (JSON.stringify(given) !== JSON.stringify(asked))
    throw new UsageError(
      `the shards ran with ${asked.join(' ') || 'no plugins or schema locations'}; merge-shards was given ${given.join(' ') || 'none'}: give it the same (a report cannot make it run code or reach a URL)`,
    );
  const outputs = outputsOf(tokens ?? []);
  const notRepository = new Set([
    ...positionals.map((file) => resolve(file)),
    ...outputs.flatMap((output) => (output.file ? [resolve(output.file)] : [])),
  ]);
  const here = await worktreeState(root, notRepository);
  if (here.commit !== first.shard.commit)
    throw new UsageError(
      `the shards checked commit ${first.shard.commit}, this checkout is at ${here.commit}: merge in a checkout of the same commit`,
    );
  if (here.changes !== first.shard.changes)
    throw new UsageError(
      'this checkout has other uncommitted changes than the shards had: merge in a checkout of the same files',
    );

  // The shards' renders, in a folder only this run reads (mkdtemp: 0700), removed whatever happens.
  // Each entry is checked on read like any cache entry (decrypts with its inputs' key, exact shape).
  const cacheDir = mkdtempSync(join(tmpdir(), 'gitops-merge-'));
  try {
    for (const { shard } of shards)
      for (const render of shard.renders)
        if (ENTRY_NAME.test(render.name))
          writeFileSync(join(cacheDir, render.name), Buffer.from(render.data, 'base64'), { mode: 0o600 });
    // How to show the report is this command's; what to check is the shards'.
    const presentation = (tokens ?? []).flatMap((token) =>
      token.kind !== 'option' || ['repo', 'plugin', 'allow-plugins', 'schema-location'].includes(token.name)
        ? []
        : [token.value === undefined ? `--${token.name}` : `--${token.name}=${token.value}`],
    );
    return await runValidate([...first.shard.args, ...presentation], io, { base: root, cacheDir });
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

// `gitops diff --base <ref> [--head <ref>] [path]`: what a change does in every environment once Argo
// CD syncs it. Exit 0 whatever the diff, 1 when a --fail-on condition holds, 2 bad usage or a fault.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { diffSnapshots, FAIL_ON, failures, type FailOn } from '../diff/index.ts';
import { formatDiffJson } from '../diff/json.ts';
import { formatDiffMarkdown, type MarkdownOptions } from '../diff/markdown.ts';
import { defaultCacheDir, loadCommit, loadWorkingTree, secretHashKey, type SideOptions } from '../diff/side.ts';
import { formatDiffStylish } from '../diff/stylish.ts';
import { shouldColor } from '../report/index.ts';
import { redact } from '../safe/redact.ts';
import { resolveKustomize, type Kustomize } from '../render/index.ts';
import { TOOL } from '../validate/index.ts';
import { UsageError } from '../errors.ts';
import { outputsOf } from './validate.ts';
import { parseCommandLine } from './args.ts';
import { trimEndChar } from '../safe/text.ts';

export const DIFF_FORMATS = ['stylish', 'json', 'markdown'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export const help = `Usage: gitops diff --base <ref> [--head <ref>] [path] [options]

Renders both sides with the validate pipeline (the base commit from git, in a temporary folder; your
checkout is not touched) and reports what changes once Argo CD syncs: objects added, removed, changed
and renamed per environment and app, Applications added, removed or renamed and what Argo CD does to
their resources, the environment matrix (image, replicas, resources, sync policy) and the findings
the change introduces or fixes. Secret values never appear: only "changed"/"unchanged" and a short
keyed hash.

Options:
  --base <ref>            the commit to compare against (a branch, tag or commit id); required
  --head <ref>            the other side; default: the working tree of path
  -f, --format <name>     ${DIFF_FORMATS.join(' | ')}; repeatable (default: stylish)
  -o, --output <file>     write the preceding --format to a file instead of stdout
  --fail-on <conditions>  exit 1 when one holds: ${FAIL_ON.join(', ')} (comma-separated, repeatable)
  --link <url>            markdown: link files to <url>/<path> (e.g. https://github.com/o/r/blob/<head sha>)
  --base-link <url>       markdown: the same for files only the base side has
  --context <n>           lines of context around each change (default 3)
  --schema-location <loc> extra kubeconform-style schema location; repeatable
  --no-cache              render every app again and keep no snapshot of the base commit (the caches
                          are per user: $GITOPS_CACHE_DIR, else $XDG_CACHE_HOME/gitops or ~/.cache/gitops)
  --verbose               say where each side came from (on stderr)

Exit codes: 0 the diff was reported (whatever it shows), 1 a --fail-on condition holds, 2 bad usage,
bad configuration, an unknown ref or an internal fault.`;

export interface DiffIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

export function run(args: string[]): Promise<number> {
  return runDiff(args, { stdout: process.stdout, stderr: process.stderr, env: process.env });
}

export async function runDiff(args: string[], io: DiffIO): Promise<number> {
  const parsed = parseCommandLine({
    args,
    allowPositionals: true,
    tokens: true,
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      format: { type: 'string', multiple: true, short: 'f' },
      output: { type: 'string', multiple: true, short: 'o' },
      'fail-on': { type: 'string', multiple: true },
      link: { type: 'string' },
      'base-link': { type: 'string' },
      context: { type: 'string' },
      'schema-location': { type: 'string', multiple: true },
      'no-cache': { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
  });
  const { values, positionals, tokens } = parsed;
  if (!values.base) throw new UsageError('--base <ref> is required (e.g. --base origin/main)');
  if (positionals.length > 1) throw new UsageError(`one path at most, got ${positionals.join(' ')}`);
  const root = resolve(positionals[0] ?? '.');
  try {
    if (!statSync(root).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new UsageError(`${positionals[0] ?? root} is not a folder`);
  }
  const failOn = failOnOf(values['fail-on'] ?? []);
  const context = values.context === undefined ? 3 : Number(values.context);
  if (!Number.isInteger(context) || context < 0 || context > 100)
    throw new UsageError(`--context needs a whole number from 0 to 100, got "${values.context}"`);
  let outputs = outputsOf(tokens ?? [], DIFF_FORMATS);
  if (outputs.length === 0) outputs = [{ format: 'stylish' }];

  const noCache = values['no-cache'] === true;
  const snapshotCacheDir = noCache ? false : defaultCacheDir('diff', io.env);
  let kustomize: Kustomize | undefined;
  try {
    kustomize = await resolveKustomize();
  } catch {
    kustomize = undefined; // each side says so if it has anything to render
  }
  const verbose = values.verbose === true;
  const options: SideOptions = {
    renderCacheDir: noCache ? false : defaultCacheDir('render', io.env),
    snapshotCacheDir,
    ...(kustomize ? { kustomize } : {}),
    ...(values['schema-location']
      ? {
          schemaLocations: values['schema-location'].map((location) =>
            /^[a-z]+:\/\//i.test(location) ? location : resolve(location),
          ),
        }
      : {}),
    hashKey: secretHashKey(snapshotCacheDir),
    ...(verbose ? { onDecision: (line: string) => io.stderr.write(`[diff] ${line}\n`) } : {}),
  };

  const base = await loadCommit(root, values.base, options);
  const head = values.head ? await loadCommit(root, values.head, options) : await loadWorkingTree(root, options);
  const report = diffSnapshots(base.snapshot, head.snapshot, { base: base.info, head: head.info }, { context });

  const markdownOptions: MarkdownOptions = { link: linker(values.link, values['base-link']) };
  for (const output of outputs) {
    const color = !output.file && output.format === 'stylish' && shouldColor(io.stdout, io.env);
    const text =
      output.format === 'json'
        ? formatDiffJson(report, TOOL, redact)
        : redactLines(
            output.format === 'markdown'
              ? formatDiffMarkdown(report, markdownOptions)
              : formatDiffStylish(report, { color }),
          );
    if (output.file) {
      const file = resolve(output.file);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    } else io.stdout.write(text);
  }
  if (report.faults.length > 0) {
    for (const fault of report.faults) io.stderr.write(`gitops diff: internal error: ${fault}\n`);
    return 2;
  }
  const failed = failures(report, failOn);
  for (const line of failed) io.stderr.write(`gitops diff: --fail-on ${line}\n`);
  return failed.length > 0 ? 1 : 0;
}

/**
 * The last layer: secret shapes that reached the text (tokens, URL credentials, PEM blocks) are
 * elided line by line, so a block cut by the diff's line limit cannot swallow the rest of the report.
 */
function redactLines(text: string): string {
  return text
    .split('\n')
    .map((line) => redact(line))
    .join('\n');
}

function failOnOf(values: string[]): FailOn[] {
  const out: FailOn[] = [];
  for (const item of values.flatMap((value) => value.split(',')).map((value) => value.trim())) {
    if (!item) continue;
    if (!(FAIL_ON as readonly string[]).includes(item))
      throw new UsageError(`unknown --fail-on "${item}" (use ${FAIL_ON.join(', ')})`);
    out.push(item as FailOn);
  }
  return out;
}

/** Links to `<prefix>/<path>#L<line>`; files only the base side has link to the base prefix, if given. */
export function linker(head: string | undefined, base: string | undefined): MarkdownOptions['link'] {
  if (!head && !base) return undefined;
  const check = (url: string | undefined, flag: string) => {
    if (url !== undefined && !/^https?:\/\/[^\s"'<>()]+$/.test(url))
      throw new UsageError(`${flag} needs an http(s) URL without spaces or quotes, got "${url}"`);
    return url === undefined ? undefined : trimEndChar(url, '/');
  };
  const prefixes = { head: check(head, '--link'), base: check(base, '--base-link') };
  return (file, line, side) => {
    const prefix = prefixes[side];
    if (!prefix) return undefined;
    const path = file.split('/').map(encodeURIComponent).join('/');
    return `${prefix}/${path}${line ? `#L${line}` : ''}`;
  };
}

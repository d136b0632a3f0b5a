// `gitops validate [path]`: discover, render, check, filter, report. Exit 0 clean, 1 findings, 2 faults.
import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { reportFormats, reportPieces, shouldColor } from '../report/index.ts';
import type { RuleTiming } from '../check/engine.ts';
import type { ReportFormat } from '../types.ts';
import { exitCodeOf, renderReport } from '../validate/index.ts';
import { targetOf, validateTargets } from '../validate/targets.ts';
import { parseShard, readRenders, worktreeState } from '../validate/shard.ts';
import { addStage, type StageTiming } from '../validate/stages.ts';
import { UsageError } from '../errors.ts';
import { parseCommandLine } from './args.ts';
import { asksForShard, decidingArgs } from './shard-options.ts';

export const help = `Usage: gitops validate [path...] [options]

Finds every app under each path (default: the current folder) as Argo CD deploys it (each
Application's sources; without Argo CD objects, kustomization roots and loose manifests), renders
it with the real kustomize, checks it (schemas, API versions, rules, Argo CD) and reports findings
on the lines to edit, with paths relative to the repository's top folder. A file path reports
the findings on that file (its folder is checked around it); - reads rendered YAML from stdin
(kustomize build overlays/prod | gitops validate -).

Options:
  -f, --format <name>     ${reportFormats.join(' | ')}; repeatable (default: stylish)
  -o, --output <file>     write the preceding --format to a file instead of stdout
                          (e.g. -f sarif -o results.sarif -f stylish)
  -q, --quiet             errors only
  -c, --config <file>     the gitops.yaml to read (default: the nearest from path up to the
                          repository's top; a gitops.yaml with only lint: is a lint-only config)
  --max-warnings <n>      exit 1 when there are more than n warnings
  --changed-since <ref>   only apps whose input files changed since a git ref (plus untracked files)
  --baseline <file>       report only findings not in this baseline
  --update-baseline       write the current findings to --baseline <file> (default .gitops-baseline.json)
  --schema-location <loc> extra kubeconform-style schema location (folder or URL template); repeatable
  --skip-kinds <kinds>    kinds the schema check skips, comma-separated (like kubeconform -skip);
                          added to lint.skipKinds; repeatable
  --kubernetes-version <v> the target Kubernetes minor (1.28 to 1.36); wins over gitops.yaml
  --ignore-missing-schemas  say nothing about kinds that have no schema (missing-schema off)
  --fail-on-missing-schemas a kind with no schema is an error, not a warning
  --strict-render         an app that cannot render offline (remote base, helmCharts,
                          plugin, Helm source) is an error, not a partly checked app
  --no-cache              render every app again (the cache is per user: $GITOPS_CACHE_DIR,
                          else $XDG_CACHE_HOME/gitops or ~/.cache/gitops)
  --no-color              no colours in stylish output (also NO_COLOR=1; FORCE_COLOR=1 forces them)
  --no-annotations        under GitHub Actions, no annotations on stderr
  --no-step-summary       under GitHub Actions, no markdown report in the job summary
  --shard <i/n>           check the i-th of n size-balanced shares of the apps (one CI job each); its
                          -f json report is what gitops merge-shards joins into the whole run's report
  --verbose               print the kustomize used and each discovery decision (on stderr)
  --timing                print the time each stage and each rule took, rules slowest first (on stderr)
  --plugin <file>         load custom rules from this module (docs/custom-rules.md); repeatable
  --allow-plugins         also load the modules gitops.yaml names in lint.plugins. That runs code
                          from the repository: only for a repository you trust, never on an
                          unreviewed pull request (use --plugin from a trusted checkout there)

Under GitHub Actions (GITHUB_ACTIONS=true), whatever the formats: annotations on the lines of the
pull request (stderr, capped as GitHub caps them, with a closing count) and the markdown report in
the job summary ($GITHUB_STEP_SUMMARY).

Exit codes: 0 no errors, 1 errors (or more warnings than --max-warnings), 2 bad usage, bad
configuration or an internal fault.`;

interface Output<F extends string = ReportFormat> {
  format: F;
  file?: string;
}

/** --format/--output pairs in command-line order: an --output belongs to the last --format before it. */
export function outputsOf<F extends string = ReportFormat>(
  tokens: { kind: string; name?: string; value?: string }[],
  formats: readonly F[] = reportFormats as unknown as readonly F[],
): Output<F>[] {
  const isFormat = (value: string): value is F => (formats as readonly string[]).includes(value);
  const outputs: Output<F>[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (token.name === 'format') {
      const value = token.value ?? '';
      for (const format of value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)) {
        if (!isFormat(format)) throw new UsageError(`unknown --format "${format}" (use ${formats.join(', ')})`);
        outputs.push({ format });
      }
    } else if (token.name === 'output') {
      const last = outputs[outputs.length - 1];
      if (!last)
        throw new UsageError(
          '--output must follow the --format it is for (e.g. --format sarif --output results.sarif)',
        );
      if (last.file) throw new UsageError(`--format ${last.format} already has --output ${last.file}`);
      last.file = token.value;
    }
  }
  return outputs;
}

/** A "rendered 12/300 apps" line on stderr, only on a terminal and only once a run has taken a second. */
function progressReporter(): { update(done: number, total: number): void; clear(): void } {
  const stream = process.stderr;
  if (!stream.isTTY) return { update() {}, clear() {} };
  const started = performance.now();
  let shown = false;
  return {
    update(done, total) {
      if (performance.now() - started < 1000) return;
      shown = true;
      stream.write(`\rrendering apps: ${done}/${total}`);
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

/** Where the reports go; tests pass their own. */
export interface ValidateIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  /** GitHub annotations (default: process.stderr). */
  stderr?: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** The text of stdin, for `-` (default: process.stdin, read to its end). */
  readStdin?: () => string;
}

export function run(args: string[]): Promise<number> {
  return runValidate(args, { stdout: process.stdout, stderr: process.stderr, env: process.env });
}

/** How merge-shards replays the shards' options: paths against the repository's top, renders from a folder. */
export interface ReplayOptions {
  /** Relative paths in `args` are relative to this folder (default: the working folder). */
  base?: string;
  /** The render cache folder (merge-shards: the shards' renders; a shard: its own, whose entries travel in its report). */
  cacheDir?: string;
}

export async function runValidate(args: string[], io: ValidateIO, replay: ReplayOptions = {}): Promise<number> {
  if (!asksForShard(args)) return validateCommand(args, io, replay);
  // A shard renders into a private folder of its own: its entries travel in its report.
  const cacheDir = mkdtempSync(join(tmpdir(), 'gitops-shard-'));
  try {
    return await validateCommand(args, io, { ...replay, cacheDir });
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** The options that say where reports go and how they look: validate's and merge-shards' alike. */
export const REPORT_OPTIONS = {
  format: { type: 'string', multiple: true, short: 'f' },
  output: { type: 'string', multiple: true, short: 'o' },
  'no-color': { type: 'boolean' },
  'no-annotations': { type: 'boolean' },
  'no-step-summary': { type: 'boolean' },
  verbose: { type: 'boolean' },
  timing: { type: 'boolean' },
} as const;

/** The options that name code to run or places to fetch from: merge-shards takes them only from its own command line. */
export const CODE_AND_URL_OPTIONS = {
  plugin: { type: 'string', multiple: true },
  'allow-plugins': { type: 'boolean' },
  'schema-location': { type: 'string', multiple: true },
} as const;

async function validateCommand(args: string[], io: ValidateIO, replay: ReplayOptions): Promise<number> {
  const parsed = parseCommandLine({
    args,
    allowPositionals: true,
    tokens: true,
    options: {
      ...REPORT_OPTIONS,
      ...CODE_AND_URL_OPTIONS,
      quiet: { type: 'boolean', short: 'q' },
      config: { type: 'string', short: 'c' },
      'skip-kinds': { type: 'string', multiple: true },
      'max-warnings': { type: 'string' },
      'changed-since': { type: 'string' },
      baseline: { type: 'string' },
      'update-baseline': { type: 'boolean' },
      'kubernetes-version': { type: 'string' },
      'ignore-missing-schemas': { type: 'boolean' },
      'fail-on-missing-schemas': { type: 'boolean' },
      'no-cache': { type: 'boolean' },
      'strict-render': { type: 'boolean' },
      shard: { type: 'string' },
    },
  });
  const { values, tokens } = parsed;
  const base = replay.base ?? process.cwd();
  const at = (path: string) => resolve(base, path);
  const positionals = replay.base ? parsed.positionals.map((arg) => (arg === '-' ? arg : at(arg))) : parsed.positionals;
  let stdinRead = false;
  const readStdin = () => {
    stdinRead = true;
    return (io.readStdin ?? readProcessStdin)();
  };
  const targets = (positionals.length > 0 ? positionals : ['.']).map((arg) =>
    targetOf(arg, stdinRead ? undefined : readStdin),
  );
  const folder = targets.find((target) => target.kind !== 'stdin');
  const root = folder ? (folder.kind === 'file' ? dirname(folder.path) : folder.path) : process.cwd();

  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0)
      throw new UsageError(`--max-warnings needs a whole number >= 0, got "${values['max-warnings']}"`);
  }
  let outputs = outputsOf(tokens ?? []);
  if (outputs.length === 0) outputs = [{ format: 'stylish' }];
  const onActions = io.env.GITHUB_ACTIONS === 'true';
  // Annotations go to stderr (the runner reads both streams), so stdout stays what --format asked for.
  const annotate = onActions && !values['no-annotations'] && !outputs.some((output) => output.format === 'github');
  const stepSummary = onActions && !values['no-step-summary'] ? io.env.GITHUB_STEP_SUMMARY : undefined;
  const baselineFile = values.baseline
    ? at(values.baseline)
    : values['update-baseline']
      ? resolve(root, '.gitops-baseline.json')
      : undefined;

  if (values['ignore-missing-schemas'] && values['fail-on-missing-schemas'])
    throw new UsageError('--ignore-missing-schemas and --fail-on-missing-schemas contradict each other: pick one');
  const kubernetesVersion = values['kubernetes-version'];
  if (kubernetesVersion !== undefined && !/^v?1\.\d+$/.test(kubernetesVersion))
    throw new UsageError(`--kubernetes-version needs a minor version such as 1.30, got "${kubernetesVersion}"`);
  const missingSchema = values['ignore-missing-schemas']
    ? { severity: 'off' as const, reason: '--ignore-missing-schemas' }
    : values['fail-on-missing-schemas']
      ? 'error'
      : undefined;

  const skipKinds = (values['skip-kinds'] ?? []).flatMap((list) =>
    list
      .split(',')
      .map((kind) => kind.trim())
      .filter(Boolean),
  );

  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard && targets.some((target) => target.kind !== 'folder'))
    throw new UsageError('--shard shares out the apps of folders: give folders, not files or -');
  if (shard && values['update-baseline'])
    throw new UsageError('--update-baseline records the whole run: run it without --shard');

  const progress = progressReporter();
  const result = await validateTargets(targets, {
    cache: replay.cacheDir !== undefined || !values['no-cache'],
    ...(replay.cacheDir ? { cacheDir: replay.cacheDir } : {}),
    ...(shard ? { shard } : {}),
    ...(values['changed-since'] ? { changedSince: values['changed-since'] } : {}),
    // A folder given on the command line is relative to where the command runs; URL templates stay as they are.
    ...(values['schema-location']
      ? {
          schemaLocations: values['schema-location'].map((location) =>
            /^[a-z]+:\/\//i.test(location) ? location : at(location),
          ),
        }
      : {}),
    ...(kubernetesVersion ? { kubernetesVersion: kubernetesVersion.replace(/^v/, '') } : {}),
    ...(missingSchema ? { ruleSettings: { 'missing-schema': missingSchema } } : {}),
    ...(skipKinds.length > 0 ? { skipKinds } : {}),
    ...(values.config ? { configFile: at(values.config) } : {}),
    ...(baselineFile ? { baselineFile } : {}),
    updateBaseline: values['update-baseline'] ?? false,
    quiet: values.quiet ?? false,
    timing: values.timing ?? false,
    strictRender: values['strict-render'] ?? false,
    ...(values.plugin ? { plugins: values.plugin.map((plugin) => at(plugin)) } : {}),
    allowPlugins: values['allow-plugins'] ?? false,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.clear();
  if (shard && replay.cacheDir) {
    // The shard's own output files are not changes of the repository.
    const written = new Set(outputs.flatMap((output) => (output.file ? [resolve(output.file)] : [])));
    result.report.shard = {
      ...shard,
      ...(await worktreeState(result.ctx.root, written)),
      tool: result.report.tool.version,
      args: decidingArgs(tokens ?? [], result.ctx.root, base),
      apps: result.ctx.apps.map((app) => app.id),
      renders: readRenders(replay.cacheDir),
    };
  }

  if (values.verbose) {
    for (const line of result.load.decisions) console.error(`[validate] ${line}`);
  }
  const writingStarted = performance.now();
  for (const output of outputs) {
    // Written piece by piece: a 500,000-finding JSON report is never one string in memory, and a pipe
    // that reads slower than we write (a CI runner, spawnSync) is waited for, not queued in memory.
    if (output.file) {
      const file = resolve(output.file);
      mkdirSync(dirname(file), { recursive: true });
      const fd = openSync(file, 'w');
      try {
        let wrote = false;
        for (const text of reportPieces(output.format, result.report, { root: result.ctx.root })) {
          writeAll(fd, text);
          wrote = true;
        }
        if (!wrote) writeAll(fd, '\n');
      } finally {
        closeSync(fd);
      }
    } else {
      const color = output.format === 'stylish' && !values['no-color'] && shouldColor(io.stdout, io.env);
      for (const text of reportPieces(output.format, result.report, { root: result.ctx.root, color }))
        if (io.stdout.write(text) === false) await drained(io.stdout);
    }
  }
  if (annotate) (io.stderr ?? process.stderr).write(renderReport('github', result.report, { root: result.ctx.root }));
  if (stepSummary)
    appendFileSync(stepSummary, `${renderReport('markdown', result.report, { root: result.ctx.root })}\n`);
  if (values['update-baseline'] && baselineFile) console.error(`baseline written to ${baselineFile}`);
  if (values.timing) {
    addStage(result.stages, 'write the reports', performance.now() - writingStarted);
    console.error(`${stageTable(result.stages)}\n\n${timingTable(result.timings)}`);
  }
  if (result.faults.length > 0) {
    for (const fault of result.faults) console.error(`gitops validate: internal error: ${fault.message}`);
    return 2;
  }
  return exitCodeOf(result.report, maxWarnings);
}

/** Resolves when a stream that refused more (write returned false) has written what it holds, or failed. */
function drained(stream: ValidateIO['stdout']): Promise<void> {
  const events = stream as Partial<Pick<NodeJS.WritableStream, 'once' | 'off'>>;
  if (typeof events.once !== 'function' || typeof events.off !== 'function') return Promise.resolve();
  const { once, off } = { once: events.once.bind(stream), off: events.off.bind(stream) };
  // A reader that went away (`| head`) closes the pipe instead of draining it: never wait forever.
  const endings = ['drain', 'error', 'close'];
  return new Promise((done) => {
    const settle = () => {
      for (const event of endings) off(event, settle);
      done();
    };
    for (const event of endings) once(event, settle);
  });
}

/** writeSync may write less than asked; a report file gets every byte. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
}

/** Piped YAML is read whole, up to this size: bigger is a mistake (a binary, an endless stream), not input. */
const MAX_STDIN_BYTES = 64 * 1024 * 1024;

function readProcessStdin(): string {
  if (process.stdin.isTTY)
    throw new UsageError('"-" reads YAML from stdin: pipe it in (kustomize build dir | gitops validate -)');
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(1024 * 1024);
  for (;;) {
    const read = readSync(0, chunk, 0, chunk.length, null);
    if (read === 0) break;
    total += read;
    if (total > MAX_STDIN_BYTES)
      throw new UsageError(`stdin holds more than ${MAX_STDIN_BYTES / 1024 / 1024} MiB: validate the folder instead`);
    chunks.push(Buffer.from(chunk.subarray(0, read)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `--timing`: each stage of the run, in the order they ran, with its share of their sum. */
export function stageTable(stages: readonly StageTiming[]): string {
  const total = stages.reduce((sum, stage) => sum + stage.ms, 0);
  const width = Math.max(5, ...stages.map((stage) => stage.stage.length));
  const row = (name: string, ms: number) =>
    `${name.padEnd(width)}  ${ms.toFixed(1).padStart(9)}  ${(total ? (100 * ms) / total : 0).toFixed(1).padStart(5)}%`;
  return [
    `${'Stage'.padEnd(width)}  ${'Time (ms)'.padStart(9)}  ${'Share'.padStart(6)}`,
    ...stages.map((stage) => row(stage.stage, stage.ms)),
    row('total', total),
  ].join('\n');
}

/** `--timing`: every rule's time, slowest first, like ESLint's TIMING table. */
export function timingTable(timings: readonly RuleTiming[]): string {
  const total = timings.reduce((sum, timing) => sum + timing.ms, 0);
  const width = Math.max(4, ...timings.map((timing) => timing.ruleId.length));
  const rows = timings.map(
    (timing) =>
      `${timing.ruleId.padEnd(width)}  ${timing.ms.toFixed(1).padStart(9)}  ${(total ? (100 * timing.ms) / total : 0).toFixed(1).padStart(5)}%  ${String(timing.calls).padStart(7)}`,
  );
  return [
    `${'Rule'.padEnd(width)}  ${'Time (ms)'.padStart(9)}  ${'Share'.padStart(6)}  ${'Calls'.padStart(7)}`,
    ...rows,
  ].join('\n');
}

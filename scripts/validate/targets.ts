// What `gitops validate` is pointed at, kubeconform's way: folders, single files and `-` (rendered YAML on
// stdin, as in `kustomize build overlays/prod | gitops validate -`), several at once, one report.
//
//   folder  the repository's apps under it (validateRepository)
//   file    its folder is validated (so cross-object rules see the file's neighbours, as Argo CD would
//           deploy them) and the findings on that file are reported
//   stdin   the text is written to a private temporary folder and checked as loose manifests; findings
//           name the file "<stdin>". Config: --config, else the nearest gitops.yaml of the working folder.
import { mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { loadLintConfig } from '../config/index.ts';
import { InputError, UsageError } from '../errors.ts';
import type { Finding, Report } from '../types.ts';
import { sortAndDedupe, validateRepository, type ValidateOptions, type ValidateResult } from './index.ts';
import { sumStages } from './stages.ts';
import { sumTimings } from '../check/engine.ts';

export type Target =
  { kind: 'folder'; path: string } | { kind: 'file'; path: string } | { kind: 'stdin'; text: string };

/** How findings on piped input name their file. */
export const STDIN_NAME = '<stdin>';
const STDIN_FILE = 'stdin.yaml';

/** A command-line path as a target; `-` needs the text read from stdin (readStdin). */
export function targetOf(arg: string, stdin?: () => string): Target {
  if (arg === '-') {
    if (!stdin) throw new UsageError('"-" (read YAML from stdin) can be given once');
    return { kind: 'stdin', text: stdin() };
  }
  const path = resolve(arg);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new InputError('does not exist: give a folder, a YAML file, or - for stdin.', arg);
  }
  if (stat.isDirectory()) return { kind: 'folder', path };
  if (stat.isFile()) return { kind: 'file', path: realpathSync(path) };
  throw new InputError('is neither a folder nor a regular file: give a folder, a YAML file, or - for stdin.', arg);
}

/** Validates every target and merges the runs into one result (one repository: paths are relative to its top). */
export async function validateTargets(targets: readonly Target[], options: ValidateOptions): Promise<ValidateResult> {
  if (targets.length > 1 && options.updateBaseline)
    throw new UsageError('--update-baseline records one path: give one folder');
  // Files of one folder are one run of that folder (its apps counted once), reporting those files.
  const runs: Run[] = [];
  for (const target of targets) {
    if (target.kind !== 'file') {
      runs.push(target);
      continue;
    }
    const folder = dirname(target.path);
    const same = runs.find((run) => run.kind === 'files' && run.folder === folder);
    if (same?.kind === 'files') same.files.push(target.path);
    else runs.push({ kind: 'files', folder, files: [target.path] });
  }
  const results: ValidateResult[] = [];
  for (const run of runs) results.push(await validateRun(run, options));
  const roots = new Set(results.filter((_, i) => runs[i].kind !== 'stdin').map((result) => result.ctx.root));
  if (roots.size > 1)
    throw new UsageError(
      `the paths are in different repositories (${[...roots].join(', ')}): run gitops validate once per repository`,
    );
  return results.length === 1 ? results[0] : merge(results);
}

type Run = Exclude<Target, { kind: 'file' }> | { kind: 'files'; folder: string; files: string[] };

async function validateRun(target: Run, options: ValidateOptions): Promise<ValidateResult> {
  if (target.kind === 'folder') return validateRepository(target.path, options);
  if (target.kind === 'files') {
    const result = await validateRepository(target.folder, options);
    const files = new Set(target.files.map((file) => relative(result.ctx.root, file).split(sep).join('/')));
    return withFindings(result, (finding) => files.has(finding.file));
  }
  // Private (mkdtemp is 0700) and outside any repository; removed whatever happens.
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gitops-stdin-')));
  try {
    writeFileSync(join(dir, STDIN_FILE), target.text);
    const config =
      options.config ?? loadLintConfig(process.cwd(), options.configFile ? { file: options.configFile } : {});
    const result = await validateRepository(dir, {
      ...options,
      repositoryRoot: dir,
      ...(config ? { config } : {}),
      changedSince: undefined,
    });
    return withFindings(
      result,
      () => true,
      (finding) => ({
        ...finding,
        ...(finding.file === STDIN_FILE ? { file: STDIN_NAME } : {}),
        ...(finding.app === STDIN_FILE ? { app: STDIN_NAME } : {}),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function withFindings(
  result: ValidateResult,
  keep: (finding: Finding) => boolean,
  map: (finding: Finding) => Finding = (finding) => finding,
): ValidateResult {
  const findings = result.report.findings.filter(keep).map(map);
  return {
    ...result,
    report: { ...result.report, findings, summary: { ...result.report.summary, ...counts(findings) } },
  };
}

function counts(findings: readonly Finding[]): Pick<Report['summary'], 'errors' | 'warnings' | 'infos'> {
  const count = (severity: Finding['severity']) => findings.filter((finding) => finding.severity === severity).length;
  return { errors: count('error'), warnings: count('warning'), infos: count('info') };
}

/** Several runs as one: findings once each, facts summed, the environments of all. */
function merge(results: ValidateResult[]): ValidateResult {
  const [first] = results;
  const findings = sortAndDedupe(results.flatMap((result) => result.report.findings));
  const sum = (pick: (summary: Report['summary']) => number) =>
    results.reduce((total, result) => total + pick(result.report.summary), 0);
  const kustomize = results.find((result) => result.report.summary.kustomize)?.report.summary.kustomize;
  return {
    ...first,
    report: {
      ...first.report,
      findings,
      summary: {
        ...counts(findings),
        suppressed: sum((summary) => summary.suppressed),
        apps: sum((summary) => summary.apps),
        partlyChecked: sum((summary) => summary.partlyChecked),
        environments: [...new Set(results.flatMap((result) => result.report.summary.environments))],
        resources: sum((summary) => summary.resources),
        durationMs: sum((summary) => summary.durationMs),
        ...(kustomize ? { kustomize } : {}),
      },
    },
    load: { ...first.load, decisions: results.flatMap((result) => result.load.decisions) },
    faults: results.flatMap((result) => result.faults),
    timings: sumTimings(results.map((result) => result.timings)),
    stages: sumStages(results.map((result) => result.stages)),
  };
}

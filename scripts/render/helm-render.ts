// One Helm source rendered as Argo CD renders it: the chart folder and the value files copied out
// of the checkout (through readRepoBytes: inside the repository, links kept inside it, size-capped;
// helm then cannot follow a link in the chart to a file of this machine, nor write into the
// checkout), `helm template` run in the sandbox (render/helm.ts), its output split into objects.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseManifestFile, listItems, isKubeObject } from '../manifest/source.ts';
import { readRepoBytes, readRepoFile } from '../safe/files.ts';
import { limitFailure } from '../safe/run.ts';
import type { HelmPlan } from '../units/helm.ts';
import { runHelmTemplate, type Helm } from './helm.ts';
import { helmResource, splitHelmOutput, templateFile, valuesIndex } from './helm-output.ts';
import type { SourceLocation } from '../types.ts';
import type { KubeObject, Resource, ResourceOrigin } from '../types.ts';

/** A chart bigger than this (all its files) is not copied: no real chart comes near it. */
export const MAX_CHART_BYTES = 64 * 1024 * 1024;

export type HelmRenderResult =
  | { ok: true; resources: Resource[] }
  | {
      ok: false;
      /** dependencies: not vendored in charts/ (Argo CD would run `helm dependency build`); limit: a cap ended it. */
      reason: 'dependencies' | 'error' | 'limit';
      error: string;
    };

export interface HelmRenderInput {
  root: string;
  /** Every repository file (discovery's list). */
  files: readonly string[];
  /** The chart folder, repository-relative. */
  chartPath: string;
  plan: HelmPlan;
  helm: Helm;
  origin: Omit<ResourceOrigin, 'file' | 'line'>;
  /** The Application's parameters (`--set name=value`) and where each is written. */
  parameters?: { name: string; at: SourceLocation }[];
}

/** The error line helm prints for a dependency missing from charts/ (IsMissingDependencyErr). */
const MISSING_DEPENDENCY = /found in (Chart\.yaml|requirements\.yaml), but missing in charts\/ directory/;

function firstLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('WARNING:') && !/^Use --debug flag/.test(line))
    .slice(0, 3)
    .join(' ');
}

/** Copies the repository files under `chartPath` into `dest`. Undefined, or why it could not. */
function copyChart(root: string, files: readonly string[], chartPath: string, dest: string): string | undefined {
  const prefix = chartPath === '.' ? '' : `${chartPath}/`;
  let total = 0;
  for (const file of files) {
    if (!file.startsWith(prefix)) continue;
    const read = readRepoBytes(root, file);
    if (!read.ok) continue; // a link out of the repository, a special file: Argo CD's own checks refuse those too
    total += read.bytes.length;
    if (total > MAX_CHART_BYTES) return `the chart's files pass ${MAX_CHART_BYTES / 1024 / 1024} MiB`;
    const target = join(dest, file.slice(prefix.length));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, read.bytes);
  }
  return undefined;
}

export async function renderHelmSource(input: HelmRenderInput): Promise<HelmRenderResult> {
  const { root, files, chartPath, plan, helm } = input;
  const work = mkdtempSync(join(tmpdir(), 'gitops-chart-'));
  try {
    const chartDir = join(work, 'chart', basename(chartPath === '.' ? 'chart' : chartPath));
    mkdirSync(chartDir, { recursive: true });
    const copyProblem = copyChart(root, files, chartPath, chartDir);
    if (copyProblem) return { ok: false, reason: 'limit', error: copyProblem };
    const valuesDir = join(work, 'values');
    mkdirSync(valuesDir);
    const valuesTexts: { file: string; text: string }[] = [];
    const copy = (rel: string, index: string): { target: string; text: string } | { error: string } => {
      const read = readRepoFile(root, rel);
      if (!read.ok) return { error: `${rel} cannot be read` };
      const target = join(valuesDir, `${index}-${basename(rel)}`);
      writeFileSync(target, read.text);
      return { target, text: read.text };
    };
    // Helm reads the chart's own values.yaml first: it is the lowest-precedence values file.
    const defaults = readRepoFile(root, chartPath === '.' ? 'values.yaml' : `${chartPath}/values.yaml`);
    if (defaults.ok)
      valuesTexts.push({ file: chartPath === '.' ? 'values.yaml' : `${chartPath}/values.yaml`, text: defaults.text });
    const valueFiles: string[] = [];
    for (const [i, entry] of plan.valueFiles.entries()) {
      const copied = copy(entry.rel, `v${i}`);
      if ('error' in copied) return { ok: false, reason: 'error', error: copied.error };
      valueFiles.push(copied.target);
      valuesTexts.push({ file: entry.rel, text: copied.text });
    }
    if (plan.inlineValues) {
      const target = join(valuesDir, 'inline-values.yaml');
      writeFileSync(target, plan.inlineValues.text);
      valueFiles.push(target);
    }
    const setFile: [string, string][] = [];
    for (const [i, [name, rel]] of plan.setFile.entries()) {
      const copied = copy(rel, `f${i}`);
      if ('error' in copied) return { ok: false, reason: 'error', error: copied.error };
      setFile.push([name, copied.target]);
    }
    const result = await runHelmTemplate(helm, {
      chartDir,
      releaseName: plan.releaseName,
      ...(plan.namespace ? { namespace: plan.namespace } : {}),
      kubeVersion: plan.kubeVersion,
      apiVersions: plan.apiVersions,
      valueFiles,
      set: plan.set,
      setString: plan.setString,
      setFile,
      skipCrds: plan.skipCrds,
      skipTests: plan.skipTests,
    });
    const limit = limitFailure(result);
    if (limit) return { ok: false, reason: 'limit', error: `helm template ${limit}` };
    if (result.code !== 0) {
      const message = firstLines(result.stderr).replaceAll(`${work}/`, '') || `helm exited with code ${result.code}`;
      return { ok: false, reason: MISSING_DEPENDENCY.test(result.stderr) ? 'dependencies' : 'error', error: message };
    }
    const values = valuesIndex(valuesTexts, input.parameters ?? []);
    const templates = new Map<string, string>();
    const chartFiles = new Set(files);
    const resources: Resource[] = [];
    for (const doc of splitHelmOutput(result.stdout)) {
      const file = templateFile(chartPath, doc.source, (rel) => chartFiles.has(rel));
      let template = templates.get(file);
      if (template === undefined) {
        const read = readRepoFile(root, file);
        template = read.ok ? read.text : '';
        templates.set(file, template);
      }
      const isCrdFile = /(^|\/)crds\//.test(file);
      const plain = isCrdFile ? parseManifestFile(template, file) : undefined;
      const parsed = parseManifestFile(doc.text, file);
      if (parsed.problems.length > 0)
        return {
          ok: false,
          reason: 'error',
          error: `${doc.source} renders YAML that does not parse: ${parsed.problems[0].message}`,
        };
      for (const document of parsed.documents) {
        if (!isKubeObject(document.value)) continue;
        for (const { object } of listItems(document.value as KubeObject))
          resources.push(helmResource({ object, file, template, ...(plain ? { plain } : {}), values }, input.origin));
      }
    }
    return { ok: true, resources };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

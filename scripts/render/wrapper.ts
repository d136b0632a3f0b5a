// The temporary wrapper kustomization: lists apps as resources and asks kustomize to annotate every
// object with the file it came from and the kustomizations that transformed it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { parseRenderedYaml } from '../manifest/rendered.ts';
import type { KubeObject } from '../types.ts';
import { limitFailure, type RunResult } from '../safe/run.ts';
import { runKustomize, type Kustomize, type KustomizeRunOptions } from './kustomize.ts';

/** A failed kustomize run: its cleaned message, and whether a limit (time, memory, output) ended it. */
export interface KustomizeFailure {
  ok: false;
  error: string;
  /** Ended by a limit, not by the input: never cached (the next run may have more time). */
  limit: boolean;
}

/** What a failed run says: the limit it hit, in words, or kustomize's own first lines. */
export function kustomizeFailure(result: RunResult, absPaths: string[]): KustomizeFailure {
  const limit = limitFailure(result);
  if (limit) return { ok: false, error: `kustomize ${limit}`, limit: true };
  return { ok: false, error: cleanKustomizeError(result.stderr, absPaths), limit: false };
}

/** Annotations the wrapper adds; the render stage reads and strips them before any check sees an object. */
export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';

/**
 * Builds several kustomization roots in ONE kustomize run through a temporary wrapper kustomization
 * that lists them as resources and asks for origin and transformer annotations. One process start
 * for many apps is what makes cold renders fast; the caller splits the output by origin.
 */
export async function buildWrapped(
  absDirs: string[],
  kustomize: Kustomize,
  limits: KustomizeRunOptions = {},
): Promise<{ ok: true; yaml: string; wrapperDir: string } | KustomizeFailure> {
  const wrapperDir = mkdtempSync(join(tmpdir(), 'gitops-render-'));
  try {
    const resources = absDirs.map((dir) => relative(wrapperDir, dir).split(sep).join('/'));
    writeFileSync(
      join(wrapperDir, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nbuildMetadata: [originAnnotations, transformerAnnotations]\nresources:\n${resources.map((r) => `- ${JSON.stringify(r)}`).join('\n')}\n`,
    );
    const result = await runKustomize(kustomize, wrapperDir, limits);
    if (result.code !== 0) return kustomizeFailure(result, [...absDirs, wrapperDir]);
    return { ok: true, yaml: result.stdout, wrapperDir };
  } finally {
    rmSync(wrapperDir, { recursive: true, force: true });
  }
}

/**
 * kustomize's own first lines, without the temporary wrapper's path and with the app's absolute
 * path shortened, so the message reads the same on every machine.
 */
export function cleanKustomizeError(stderr: string, absPaths: string[], maxLines = 4): string {
  let text = stderr.trim();
  // kubectl wraps kustomize's message in a klog line: E1122 18:57:38.025487 11440 run.go:72] "command failed" err="..."
  const klog = /"command failed" err="((?:[^"\\]|\\.)*)"/.exec(text);
  if (klog) {
    try {
      text = JSON.parse(`"${klog[1]}"`) as string;
    } catch {
      text = klog[1];
    }
  }
  // ...or, for multi-line messages: err=<\n\t<lines>\n >
  const block = /"command failed" err=<\n([\s\S]*?)\n\s*>\s*$/.exec(text);
  if (block)
    text = block[1]
      .split('\n')
      .map((line) => line.replace(/^\t/, ''))
      .join('\n');
  text = text.replace(/^Error: /, '');
  for (const path of [...absPaths].sort((a, b) => b.length - a.length)) {
    text = text
      .split(path + '/')
      .join('')
      .split(path)
      .join('.');
  }
  text = text.replace(/(?:\.\.\/)+(?:[\w.-]+\/)*gitops-render-\w+\/?/g, '').replace(/\/tmp\/gitops-render-\w+\/?/g, '');
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^Usage:|^Flags:|^\s*-h, --help/.test(line));
  return lines.slice(0, maxLines).join('\n') || 'kustomize failed without a message';
}

export interface ObjectOrigin {
  /** Absolute source file (`path:` of the origin annotation). */
  file?: string;
  /** Absolute kustomization file whose generator made the object (`configuredIn:` of the origin annotation). */
  generatedBy?: string;
  /** A remote resource (`repo:`): cannot be located in this repository. */
  repo?: string;
  /** Absolute kustomization files whose transformers changed the object, in the order kustomize lists them. */
  transformedBy: { kustomization: string; kind: string }[];
}

/** Reads and removes the wrapper's annotations from a rendered object; paths resolve against the wrapper folder. */
export function takeOrigin(object: KubeObject, wrapperDir: string): ObjectOrigin {
  const annotations = object.metadata?.annotations;
  const origin: ObjectOrigin = { transformedBy: [] };
  if (!annotations) return origin;
  const originText = annotations[ORIGIN_ANNOTATION];
  if (typeof originText === 'string') {
    const path = field(originText, 'path');
    const configuredIn = field(originText, 'configuredIn');
    const repo = field(originText, 'repo');
    if (repo) origin.repo = repo;
    if (path && !repo) origin.file = resolve(wrapperDir, path);
    if (configuredIn) origin.generatedBy = resolve(wrapperDir, configuredIn);
  }
  const transformations = annotations[TRANSFORMATIONS_ANNOTATION];
  if (typeof transformations === 'string') {
    // "- configuredIn: ../x/kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n    kind: PatchTransformer"
    const pattern = /configuredIn:\s*(.+)\n\s+configuredBy:\s*\n\s+apiVersion:\s*.+\n\s+kind:\s*(.+)/g;
    for (const match of transformations.matchAll(pattern)) {
      origin.transformedBy.push({
        kustomization: resolve(wrapperDir, unquote(match[1].trim())),
        kind: unquote(match[2].trim()),
      });
    }
  }
  delete annotations[ORIGIN_ANNOTATION];
  delete annotations[TRANSFORMATIONS_ANNOTATION];
  if (Object.keys(annotations).length === 0 && object.metadata) delete object.metadata.annotations;
  return origin;
}

function field(text: string, name: string): string | undefined {
  const match = new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(text);
  return match ? unquote(match[1].trim()) : undefined;
}

function unquote(value: string): string {
  if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
    try {
      return value.startsWith('"') ? (JSON.parse(value) as string) : value.slice(1, -1).replace(/''/g, "'");
    } catch {
      return value.slice(1, -1);
    }
  }
  return value;
}

/** Parses wrapped output into objects with their origins (annotations stripped). */
export function splitRendered(yaml: string, wrapperDir: string): { object: KubeObject; origin: ObjectOrigin }[] {
  return parseRenderedYaml(yaml).map((object) => ({ object, origin: takeOrigin(object, wrapperDir) }));
}

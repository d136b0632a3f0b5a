// The temporary wrapper kustomization: lists apps as resources and asks kustomize to annotate every
// object with the file it came from and the kustomizations that transformed it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { parseRenderedYaml } from '../manifest/rendered.ts';
import type { KubeObject } from '../types.ts';
import { limitFailure, type RunResult } from '../safe/run.ts';
import { runKustomize, type Kustomize, type KustomizeRunOptions } from './kustomize.ts';
import { isLineTerminator, isWordChar, skipSpace, skipSpaceBack } from '../safe/text.ts';

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

const KLOG_BLOCK = '"command failed" err=<\n';

/**
 * The lines of kubectl's multi-line klog message (`err=<`, the lines, ` >` at the end):
 * `/"command failed" err=<\n([\s\S]*?)\n\s*>\s*$/.exec(text)?.[1]`, in linear time (the regex tried
 * every \n after the header against `\n\s*>\s*$`, and \s* both sides of it: cubic). The lazy group
 * ends at the first \n, after the header, that only spaces separate from the last non-space character,
 * a `>`; the first header is the one: any \n after a later one is after it too.
 */
export function klogBlock(text: string): string | undefined {
  const header = text.indexOf(KLOG_BLOCK);
  if (header < 0) return undefined;
  const from = header + KLOG_BLOCK.length;
  const close = skipSpaceBack(text) - 1;
  if (close < 0 || text.charCodeAt(close) !== 0x3e) return undefined;
  const newline = text.indexOf('\n', Math.max(from, skipSpaceBack(text, close)));
  return newline >= 0 && newline < close ? text.slice(from, newline) : undefined;
}

/** `[\w.-]`: a path segment's characters in the wrapper's paths. */
function isSegmentChar(code: number): boolean {
  return isWordChar(code) || code === 0x2e || code === 0x2d;
}

/**
 * `text.replace(/(?:\.\.\/)+(?:[\w.-]+\/)*gitops-render-\w+\/?/g, '')` in linear time: the relative
 * paths to the temporary wrapper folder go. The regex re-read the path from every `../` of a long run,
 * and backtracked over each way of splitting it (cubic). A `../` is a segment too, so from a `../` the
 * regex reads the chain of segments that follows and ends at the LAST `gitops-render-\w` that begins a
 * segment (greedy `*`); every later `../` of that chain reads a tail of it, so when the chain has
 * none, the search goes on after it.
 */
export function withoutWrapperPaths(text: string): string {
  const n = text.length;
  let out = '';
  let last = 0;
  for (let start = text.indexOf('../'); start >= 0;) {
    let found = -1;
    let segment = start + 3;
    let end: number;
    for (;;) {
      if (text.startsWith('gitops-render-', segment) && isWordChar(text.charCodeAt(segment + 14))) found = segment;
      end = segment;
      while (end < n && isSegmentChar(text.charCodeAt(end))) end++;
      if (end === segment || text.charCodeAt(end) !== 0x2f) break;
      segment = end + 1;
    }
    if (found < 0) {
      start = text.indexOf('../', end);
      continue;
    }
    end = found + 14;
    while (end < n && isWordChar(text.charCodeAt(end))) end++;
    if (text.charCodeAt(end) === 0x2f) end++;
    out += text.slice(last, start);
    last = end;
    start = text.indexOf('../', end);
  }
  return out + text.slice(last);
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
  const block = klogBlock(text);
  if (block !== undefined)
    text = block
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
  text = withoutWrapperPaths(text).replace(/\/tmp\/gitops-render-\w+\/?/g, '');
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
    for (const [configuredIn, kind] of transformationMatches(transformations)) {
      origin.transformedBy.push({
        kustomization: resolve(wrapperDir, unquote(configuredIn.trim())),
        kind: unquote(kind.trim()),
      });
    }
  }
  delete annotations[ORIGIN_ANNOTATION];
  delete annotations[TRANSFORMATIONS_ANNOTATION];
  if (Object.keys(annotations).length === 0 && object.metadata) delete object.metadata.annotations;
  return origin;
}

/** The end of the line `from` is on: the first line terminator (what `.` leaves out) at or after it. */
function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && !isLineTerminator(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Whether the spaces `text.slice(from, to)` hold a \n that has a space other than a line terminator
 * right before it (inside the run) and another space after it: where `\s*(.+)\n\s+` can end `.+` on
 * a single space when what follows the spaces (at `to`) is the next key.
 */
function hasSpaceLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from + 1; i < to - 1; i++)
    if (text.charCodeAt(i) === 0x0a && !isLineTerminator(text.charCodeAt(i - 1))) return true;
  return false;
}

/**
 * Each `- configuredIn: …\n  configuredBy:\n    apiVersion: …\n    kind: …` of the transformations
 * annotation: the two captures of
 * `/configuredIn:\s*(.+)\n\s+configuredBy:\s*\n\s+apiVersion:\s*.+\n\s+kind:\s*(.+)/g`'s matches, in
 * linear time. The regex read the rest of the line from every `configuredIn:` on it (quadratic in a
 * line of them, and a manifest can carry the annotation itself). `\s*(.+)\n` has two ways to end: at
 * the end of the line the first non-space is on (greedy `\s*`, tried first), or, when that fails, on
 * a single space before a \n inside the spaces (`.+` matches a space), the next key right after
 * them. What follows a `\n` does not depend on where `.+` began, so each continuation is read once
 * (memo) and the line end is found once for all the `configuredIn:` on a line.
 */
export function transformationMatches(text: string): [string, string][] {
  const n = text.length;
  const found: [string, string][] = [];
  /** `kind:\s*(.+)` at `at`: the capture and the end of the match. */
  const kindAt = (at: number): { kind: string; end: number } | undefined => {
    if (!text.startsWith('kind:', at)) return undefined;
    const from = at + 5;
    const value = skipSpace(text, from);
    if (value < n) {
      const end = lineEnd(text, value);
      return { kind: text.slice(value, end), end };
    }
    // only spaces to the end: \s* gives back the last one `.` matches
    let last = n - 1;
    while (last >= from && isLineTerminator(text.charCodeAt(last))) last--;
    return last >= from ? { kind: text[last], end: last + 1 } : undefined;
  };
  const afterBy = new Map<number, { kind: string; end: number } | undefined>();
  /** `configuredBy:\s*\n\s+apiVersion:\s*.+\n\s+kind:\s*(.+)` at `at`. */
  const configuredByAt = (at: number): { kind: string; end: number } | undefined => {
    if (afterBy.has(at)) return afterBy.get(at);
    let result: { kind: string; end: number } | undefined;
    if (text.startsWith('configuredBy:', at)) {
      const from = at + 13;
      const api = skipSpace(text, from);
      let newline = false;
      for (let i = from; i < api - 1 && !newline; i++) newline = text.charCodeAt(i) === 0x0a;
      if (newline && text.startsWith('apiVersion:', api)) {
        const spaces = api + 11;
        const value = skipSpace(text, spaces);
        if (value < n) {
          const end = lineEnd(text, value);
          const next = end + 1;
          const key = text.charCodeAt(end) === 0x0a ? skipSpace(text, next) : next;
          if (key > next) result = kindAt(key);
        }
        if (!result && hasSpaceLineBreak(text, spaces, value)) result = kindAt(value);
      }
    }
    afterBy.set(at, result);
    return result;
  };
  let valueLineEnd = -1; // the end of the line of the last configuredIn:'s value (they come in order)
  for (let at = text.indexOf('configuredIn:'); at >= 0;) {
    const spaces = at + 13;
    const value = skipSpace(text, spaces);
    let match: [string, { kind: string; end: number }] | undefined;
    if (value < n) {
      if (valueLineEnd < value) valueLineEnd = lineEnd(text, value);
      const next = valueLineEnd + 1;
      const key = text.charCodeAt(valueLineEnd) === 0x0a ? skipSpace(text, next) : next;
      const rest = key > next ? configuredByAt(key) : undefined;
      if (rest) match = [text.slice(value, valueLineEnd), rest];
    }
    if (!match) {
      // `.+` on the last space before a \n that is not the last of the spaces
      for (let i = value - 2; i > spaces && !match; i--)
        if (text.charCodeAt(i) === 0x0a && !isLineTerminator(text.charCodeAt(i - 1))) {
          const rest = configuredByAt(value);
          if (!rest) break;
          match = [text[i - 1], rest];
        }
    }
    if (match) {
      found.push([match[0], match[1].kind]);
      at = text.indexOf('configuredIn:', match[1].end);
    } else at = text.indexOf('configuredIn:', at + 13);
  }
  return found;
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

// ApplicationSet generators, offline. Each turns its spec into parameter sets the way Argo CD's
// generator does (same keys, same flattening for fasttemplate), reading this repository instead of
// a clone and the clusters gitops.yaml declares instead of cluster secrets.
import path from 'node:path';
import yaml from 'js-yaml';
import type { JsonPath, Severity } from '../types.ts';
import { globMatch } from './glob.ts';
import { normalizeName } from './gotemplate/functions.ts';
import { isMap, printValue } from './gotemplate/values.ts';
import { matchesSelector, type LabelSelector } from './selector.ts';

export type Params = Record<string, unknown>;

/** What the git generators read: the files of this repository, relative, with forward slashes. */
export interface RepoView {
  /** Every directory that holds a file, sorted; the root is not listed. */
  directories(): string[];
  /** Every file, sorted. */
  files(): string[];
  read(file: string): string | undefined;
}

/** A cluster Argo CD knows: from gitops.yaml environments[].cluster, plus the in-cluster one. */
export interface ClusterInfo {
  name: string;
  server: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const IN_CLUSTER: ClusterInfo = { name: 'in-cluster', server: 'https://kubernetes.default.svc' };

export interface ExpansionProblem {
  severity: Severity;
  message: string;
  /** Where in the ApplicationSet the problem is written. */
  path: JsonPath;
}

export interface GeneratorContext {
  goTemplate: boolean;
  repo: RepoView;
  clusters: ClusterInfo[];
  /** False for a repoURL that is not this repository: its files cannot be read offline. */
  isLocalRepo(repoURL: string): boolean;
  /** Renders a string with a param set (for matrix children and `values`), in the ApplicationSet's syntax. */
  render(text: string, params: Params): string;
  problems: ExpansionProblem[];
}

export interface ParamSet {
  params: Params;
  /** The top-level generator that produced it: its `template` overrides the ApplicationSet's. */
  generatorIndex: number;
}

/** Generators that need a live system: Argo CD asks an API or a plugin for their params. */
const LIVE_GENERATORS: Record<string, string> = {
  scmProvider: 'asks an SCM provider for repositories',
  pullRequest: 'asks an SCM provider for open pull requests',
  clusterDecisionResource: 'reads a cluster decision resource in the cluster',
  plugin: 'calls a generator plugin service',
};

export function runGenerator(generator: unknown, at: JsonPath, ctx: GeneratorContext): Params[] {
  if (!isMap(generator)) {
    ctx.problems.push({ severity: 'error', message: 'a generator must be a map', path: at });
    return [];
  }
  const types = Object.keys(generator).filter((key) => key !== 'selector');
  if (types.length !== 1) {
    ctx.problems.push({
      severity: 'error',
      message: `a generator needs exactly one type, found ${types.length ? types.join(', ') : 'none'}`,
      path: at,
    });
    return [];
  }
  const type = types[0];
  const spec = generator[type];
  const specAt = [...at, type];
  let params: Params[];
  if (type in LIVE_GENERATORS) {
    ctx.problems.push({
      severity: 'info',
      message: `the ${type} generator ${LIVE_GENERATORS[type]}; it cannot be expanded offline, so its Applications are not checked`,
      path: specAt,
    });
    return [];
  }
  switch (type) {
    case 'list':
      params = listGenerator(spec, specAt, ctx);
      break;
    case 'git':
      params = gitGenerator(spec, specAt, ctx);
      break;
    case 'clusters':
      params = clustersGenerator(spec, specAt, ctx);
      break;
    case 'matrix':
      params = matrixGenerator(spec, specAt, ctx);
      break;
    case 'merge':
      params = mergeGenerator(spec, specAt, ctx);
      break;
    default:
      ctx.problems.push({ severity: 'error', message: `unknown generator "${type}"`, path: specAt });
      return [];
  }
  const selector = generator.selector;
  if (isMap(selector)) {
    params = params.filter((set) => matchesSelector(selector as LabelSelector, flattenForSelector(set)));
  }
  return params;
}

// ------------------------------------------------------------------ list

function listGenerator(spec: unknown, at: JsonPath, ctx: GeneratorContext): Params[] {
  if (!isMap(spec)) return [];
  let elements: unknown = spec.elements;
  if (typeof spec.elementsYaml === 'string') {
    try {
      elements = yaml.load(spec.elementsYaml);
    } catch (error) {
      ctx.problems.push({
        severity: 'error',
        message: `elementsYaml is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
        path: [...at, 'elementsYaml'],
      });
      return [];
    }
  }
  if (elements === undefined || elements === null) return [];
  if (!Array.isArray(elements)) {
    ctx.problems.push({ severity: 'error', message: 'list.elements must be a list', path: [...at, 'elements'] });
    return [];
  }
  const out: Params[] = [];
  elements.forEach((element, i) => {
    if (!isMap(element)) {
      ctx.problems.push({
        severity: 'error',
        message: `list element ${i} must be a map`,
        path: [...at, 'elements', i],
      });
      return;
    }
    if (ctx.goTemplate) {
      out.push(structuredClone(element));
      return;
    }
    const params: Params = {};
    for (const [key, value] of Object.entries(element)) {
      if (key === 'values' && isMap(value)) {
        for (const [name, v] of Object.entries(value)) params[`values.${name}`] = flatString(v);
      } else {
        params[key] = flatString(value);
      }
    }
    out.push(params);
  });
  return out;
}

// ------------------------------------------------------------------ git

function gitGenerator(spec: unknown, at: JsonPath, ctx: GeneratorContext): Params[] {
  if (!isMap(spec)) return [];
  const repoURL = typeof spec.repoURL === 'string' ? spec.repoURL : '';
  if (!ctx.isLocalRepo(repoURL)) {
    ctx.problems.push({
      severity: 'info',
      message: `the git generator reads ${repoURL || 'a repository with no repoURL'}, which is not this repository; it cannot be expanded offline`,
      path: [...at, 'repoURL'],
    });
    return [];
  }
  const pathParamPrefix = typeof spec.pathParamPrefix === 'string' && spec.pathParamPrefix ? spec.pathParamPrefix : '';
  let out: Params[];
  if (Array.isArray(spec.files)) out = gitFiles(spec.files, [...at, 'files'], ctx, pathParamPrefix);
  else if (Array.isArray(spec.directories))
    out = gitDirectories(spec.directories, [...at, 'directories'], ctx, pathParamPrefix);
  else {
    ctx.problems.push({ severity: 'error', message: 'a git generator needs `directories` or `files`', path: at });
    return [];
  }
  return out.map((params) => withValues(params, spec.values, ctx));
}

interface PathEntry {
  path: string;
  exclude: boolean;
}

function pathEntries(entries: unknown[], at: JsonPath, ctx: GeneratorContext): PathEntry[] {
  const out: PathEntry[] = [];
  entries.forEach((entry, i) => {
    if (!isMap(entry) || typeof entry.path !== 'string' || !entry.path) {
      ctx.problems.push({ severity: 'error', message: `entry ${i} needs a path`, path: [...at, i] });
      return;
    }
    out.push({ path: entry.path.replace(/^\.?\//, ''), exclude: entry.exclude === true });
  });
  return out;
}

function gitDirectories(entries: unknown[], at: JsonPath, ctx: GeneratorContext, prefix: string): Params[] {
  const patterns = pathEntries(entries, at, ctx);
  const includes = patterns.filter((p) => !p.exclude);
  const excludes = patterns.filter((p) => p.exclude);
  const matched = ctx.repo
    .directories()
    .filter((dir) => !dir.split('/').some((segment) => segment.startsWith('.')))
    .filter((dir) => includes.some((p) => globMatch(p.path, dir, '/')))
    // An exclude entry wins wherever it is listed, as in Argo CD.
    .filter((dir) => !excludes.some((p) => globMatch(p.path, dir, '/')));
  if (matched.length === 0) {
    ctx.problems.push({
      severity: 'warning',
      message: `no directory of this repository matches ${includes.map((p) => p.path).join(', ') || 'the entries'}`,
      path: at,
    });
  }
  return matched.map((dir) => pathParams(dir, undefined, ctx.goTemplate, prefix));
}

function gitFiles(entries: unknown[], at: JsonPath, ctx: GeneratorContext, prefix: string): Params[] {
  const patterns = pathEntries(entries, at, ctx);
  const includes = patterns.filter((p) => !p.exclude);
  const excludes = patterns.filter((p) => p.exclude);
  const matched = ctx.repo
    .files()
    .filter((file) => includes.some((p) => globMatch(p.path, file, '/')))
    .filter((file) => !excludes.some((p) => globMatch(p.path, file, '/')));
  if (matched.length === 0) {
    ctx.problems.push({
      severity: 'warning',
      message: `no file of this repository matches ${includes.map((p) => p.path).join(', ') || 'the entries'}`,
      path: at,
    });
  }
  const out: Params[] = [];
  for (const file of matched) {
    const entryAt = [
      ...at,
      Math.max(
        0,
        patterns.findIndex((p) => !p.exclude && globMatch(p.path, file, '/')),
      ),
    ];
    let content: unknown;
    try {
      const docs = yaml.loadAll(ctx.repo.read(file) ?? '');
      content = docs.find((doc) => doc !== null && doc !== undefined) ?? {};
    } catch (error) {
      ctx.problems.push({
        severity: 'error',
        message: `${file} is not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`,
        path: entryAt,
      });
      continue;
    }
    const objects = Array.isArray(content) ? content : [content];
    for (const object of objects) {
      if (!isMap(object)) {
        ctx.problems.push({ severity: 'error', message: `${file} must hold a map or a list of maps`, path: entryAt });
        continue;
      }
      const pathPart = pathParams(path.posix.dirname(file), path.posix.basename(file), ctx.goTemplate, prefix);
      out.push(ctx.goTemplate ? { ...structuredClone(object), ...pathPart } : { ...flatten(object), ...pathPart });
    }
  }
  return out;
}

/** path, path.basename, path[n]... (fasttemplate) or {path: {path, basename, segments...}} (goTemplate). */
function pathParams(dir: string, filename: string | undefined, goTemplate: boolean, prefix: string): Params {
  const dirPath = dir === '' ? '.' : dir;
  const segments = dirPath === '.' ? [] : dirPath.split('/');
  const basename = path.posix.basename(dirPath);
  const fields: Record<string, string> = {
    path: dirPath,
    basename,
    basenameNormalized: normalizeName(basename),
    ...(filename !== undefined ? { filename, filenameNormalized: normalizeName(filename) } : {}),
  };
  if (goTemplate) {
    const value = { ...fields, segments };
    return prefix ? { [prefix]: { path: value } } : { path: value };
  }
  const key = prefix ? `${prefix}.path` : 'path';
  const out: Params = { [key]: dirPath };
  for (const [name, value] of Object.entries(fields)) if (name !== 'path') out[`${key}.${name}`] = value;
  segments.forEach((segment, i) => (out[`${key}[${i}]`] = segment));
  return out;
}

// ------------------------------------------------------------------ clusters

function clustersGenerator(spec: unknown, at: JsonPath, ctx: GeneratorContext): Params[] {
  const clusterSpec = isMap(spec) ? spec : {};
  const selector = isMap(clusterSpec.selector) ? (clusterSpec.selector as LabelSelector) : undefined;
  const hasSelector =
    selector !== undefined &&
    (Object.keys(selector.matchLabels ?? {}).length > 0 || (selector.matchExpressions ?? []).length > 0);
  const declared = [...ctx.clusters];
  // Argo CD includes the in-cluster destination unless a selector asks for labelled secrets.
  if (!hasSelector && !declared.some((c) => c.server === IN_CLUSTER.server)) declared.unshift(IN_CLUSTER);
  const chosen = hasSelector
    ? declared.filter((cluster) => matchesSelector(selector!, cluster.labels ?? {}))
    : declared;
  if (hasSelector && chosen.length === 0) {
    ctx.problems.push({
      severity: 'info',
      message:
        'the clusters selector matches no cluster declared in gitops.yaml (environments[].cluster); Argo CD reads cluster secrets, which this check cannot see',
      path: [...at, 'selector'],
    });
  }
  return chosen.map((cluster) => {
    const labels = cluster.labels ?? {};
    const annotations = cluster.annotations ?? {};
    let params: Params;
    if (ctx.goTemplate) {
      params = {
        name: cluster.name,
        nameNormalized: normalizeName(cluster.name),
        server: cluster.server,
        project: '',
        metadata: { labels, annotations },
      };
    } else {
      params = { name: cluster.name, nameNormalized: normalizeName(cluster.name), server: cluster.server, project: '' };
      for (const [key, value] of Object.entries(labels)) params[`metadata.labels.${key}`] = value;
      for (const [key, value] of Object.entries(annotations)) params[`metadata.annotations.${key}`] = value;
    }
    return withValues(params, clusterSpec.values, ctx);
  });
}

// ------------------------------------------------------------------ matrix and merge

function childGenerators(spec: unknown, at: JsonPath, ctx: GeneratorContext, type: string): unknown[] | undefined {
  if (!isMap(spec) || !Array.isArray(spec.generators)) {
    ctx.problems.push({ severity: 'error', message: `${type} needs a list of generators`, path: at });
    return undefined;
  }
  return spec.generators;
}

function matrixGenerator(spec: unknown, at: JsonPath, ctx: GeneratorContext): Params[] {
  const children = childGenerators(spec, at, ctx, 'matrix');
  if (!children) return [];
  if (children.length !== 2) {
    ctx.problems.push({
      severity: 'error',
      message: `matrix takes exactly 2 child generators, found ${children.length}`,
      path: [...at, 'generators'],
    });
    return [];
  }
  const childAt = (i: number): JsonPath => [...at, 'generators', i];
  const left = runGenerator(children[0], childAt(0), ctx);
  const out: Params[] = [];
  const seenProblems = new Set<string>();
  for (const leftParams of left) {
    // The second child may use the first one's params (a git files path built from a directory).
    const right = interpolate(children[1], leftParams, ctx);
    const problemsBefore = ctx.problems.length;
    const rightSets = runGenerator(right, childAt(1), ctx);
    // The same problem repeats once per left param set: keep one.
    const fresh = ctx.problems.splice(problemsBefore).filter((p) => {
      const key = `${p.path.join('/')}\u0000${p.message}`;
      if (seenProblems.has(key)) return false;
      seenProblems.add(key);
      return true;
    });
    ctx.problems.push(...fresh);
    for (const rightParams of rightSets) out.push(mergeParams(leftParams, rightParams, ctx.goTemplate));
  }
  return out;
}

function mergeGenerator(spec: unknown, at: JsonPath, ctx: GeneratorContext): Params[] {
  const children = childGenerators(spec, at, ctx, 'merge');
  if (!children || !isMap(spec)) return [];
  const mergeKeys = Array.isArray(spec.mergeKeys)
    ? spec.mergeKeys.filter((k): k is string => typeof k === 'string')
    : [];
  if (mergeKeys.length === 0) {
    ctx.problems.push({ severity: 'error', message: 'merge needs mergeKeys', path: [...at, 'mergeKeys'] });
    return [];
  }
  if (children.length < 2) {
    ctx.problems.push({
      severity: 'error',
      message: 'merge needs at least 2 child generators',
      path: [...at, 'generators'],
    });
    return [];
  }
  const keyOf = (params: Params): string | undefined => {
    const values = mergeKeys.map((key) => lookupParam(params, key));
    return values.some((v) => v === undefined) ? undefined : JSON.stringify(values);
  };
  let base = runGenerator(children[0], [...at, 'generators', 0], ctx);
  for (let i = 1; i < children.length; i++) {
    const byKey = new Map<string, Params>();
    for (const params of runGenerator(children[i], [...at, 'generators', i], ctx)) {
      const key = keyOf(params);
      if (key !== undefined && !byKey.has(key)) byKey.set(key, params);
    }
    base = base.map((params) => {
      const key = keyOf(params);
      const other = key === undefined ? undefined : byKey.get(key);
      return other ? mergeParams(params, other, ctx.goTemplate) : params;
    });
  }
  return base;
}

/** A merge key names a flat key (fasttemplate) or a dotted path into nested params (goTemplate). */
function lookupParam(params: Params, key: string): unknown {
  if (key in params) return params[key];
  let value: unknown = params;
  for (const part of key.split('.')) {
    if (!isMap(value) || !(part in value)) return undefined;
    value = value[part];
  }
  return value;
}

function mergeParams(base: Params, override: Params, deep: boolean): Params {
  if (!deep) return { ...base, ...override };
  const out: Params = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    out[key] = isMap(value) && isMap(out[key]) ? mergeParams(out[key] as Params, value, true) : structuredClone(value);
  }
  return out;
}

// ------------------------------------------------------------------ helpers

/** Renders every string of a generator spec with a param set (matrix children). */
function interpolate(value: unknown, params: Params, ctx: GeneratorContext): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    try {
      return ctx.render(value, params);
    } catch {
      return value; // the unrendered string fails later where it is used, with its own message
    }
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, params, ctx));
  if (isMap(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, params, ctx)]));
  return value;
}

/** A generator's `values` are templates over its own params, exposed as values.<key>. */
function withValues(params: Params, values: unknown, ctx: GeneratorContext): Params {
  if (!isMap(values)) return params;
  const rendered: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const text = flatString(value);
    try {
      rendered[key] = text.includes('{{') ? ctx.render(text, params) : text;
    } catch {
      rendered[key] = text;
    }
  }
  if (ctx.goTemplate) return { ...params, values: rendered };
  const out = { ...params };
  for (const [key, value] of Object.entries(rendered)) out[`values.${key}`] = value;
  return out;
}

function flatString(value: unknown): string {
  return typeof value === 'string' ? value : printValue(value);
}

/** Argo CD flattens config files for fasttemplate with dots: {a: {b: 1}, l: [x]} → a.b=1, l.0=x. */
export function flatten(value: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (isMap(item)) Object.assign(out, flatten(item, name));
    else if (Array.isArray(item))
      item.forEach((element, i) =>
        isMap(element)
          ? Object.assign(out, flatten(element, `${name}.${i}`))
          : (out[`${name}.${i}`] = flatString(element)),
      );
    else out[name] = flatString(item);
  }
  return out;
}

function flattenForSelector(params: Params): Record<string, string> {
  return flatten(params);
}

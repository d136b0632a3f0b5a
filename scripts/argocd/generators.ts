// ApplicationSet generators, offline. Each turns its spec into parameter sets the way Argo CD's
// generator does (applicationset/generators/*.go: same keys, same flattening for fasttemplate, same
// errors), reading this repository instead of a clone and the clusters gitops.yaml declares instead
// of cluster secrets. An error Argo CD's generator returns is a GenerationError here: Argo CD then
// creates or updates none of the set's Applications, and expand.ts drops them all too.
import path from 'node:path';
import type { JsonPath, Severity } from '../types.ts';
import { BudgetExceeded, type ExpansionBudget } from './budget.ts';
import { ARGO_FACTS } from './facts.ts';
import { doublestarMatcher, gitPathspecMatcher, goPathMatcher } from './git-patterns.ts';
import { GoYamlError, parseGoYaml } from './go-yaml.ts';
import { normalizeName } from './gotemplate/functions.ts';
import { isMap, printJsonValue, printValue } from './gotemplate/values.ts';
import { matchesSelector, type LabelSelector } from './selector.ts';
import { appendAll } from '../lists.ts';

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

/** An error Argo CD's generator (or renderer) returns: the whole set fails to generate. */
export class GenerationError extends Error {
  constructor(
    message: string,
    readonly path: JsonPath,
  ) {
    super(message);
  }
}

export interface RenderOptions {
  /** Render with missingkey=error whatever the set says (matrix children's `values`, as Argo CD does). */
  missingKeyError?: boolean;
}

export interface GeneratorContext {
  goTemplate: boolean;
  repo: RepoView;
  clusters: ClusterInfo[];
  /** False for a repoURL that is not this repository: its files cannot be read offline. */
  isLocalRepo(repoURL: string): boolean;
  /** Renders a string with a param set in the ApplicationSet's syntax; throws the template's error. */
  render(text: string, params: Params, options?: RenderOptions): string;
  problems: ExpansionProblem[];
  budget: ExpansionBudget;
  /** argocd-cmd-params-cm `applicationsetcontroller.enable.new.git.file.globbing`. */
  newGitFileGlobbing?: boolean;
}

/** The generator types of ApplicationSetGenerator, in the order of its Go struct (GetRelevantGenerators). */
const GENERATOR_TYPES = [
  'list',
  'clusters',
  'git',
  'scmProvider',
  'clusterDecisionResource',
  'pullRequest',
  'matrix',
  'merge',
  'plugin',
];
/** ApplicationSetTerminalGenerator: what a matrix or merge nested in another one may hold. */
const TERMINAL_TYPES = GENERATOR_TYPES.filter((type) => type !== 'matrix' && type !== 'merge');

/** Generators that need a live system: Argo CD asks an API or a plugin for their params. */
const LIVE_GENERATORS: Record<string, string> = {
  scmProvider: 'asks an SCM provider for repositories',
  pullRequest: 'asks an SCM provider for open pull requests',
  clusterDecisionResource: 'reads a cluster decision resource in the cluster',
  plugin: 'calls a generator plugin service',
};

export interface GeneratorResult {
  type: string;
  params: Params[];
}

/**
 * A top-level entry of spec.generators: every generator type it holds runs (Argo CD's Transform
 * returns one result per type, each with its own template override).
 */
export function runTopLevelGenerator(generator: unknown, at: JsonPath, ctx: GeneratorContext): GeneratorResult[] {
  if (!isMap(generator)) throw new GenerationError('a generator must be a map', at);
  const unknown = Object.keys(generator).filter((key) => key !== 'selector' && !GENERATOR_TYPES.includes(key));
  for (const key of unknown) {
    ctx.problems.push({
      severity: 'error',
      message: `unknown generator "${key}": Argo CD ignores it`,
      path: [...at, key],
    });
  }
  const types = GENERATOR_TYPES.filter((type) => generator[type] !== undefined && generator[type] !== null);
  return types.map((type) => ({ type, params: runTyped(generator, type, at, ctx, 0, {}) }));
}

/**
 * A child of matrix or merge (Argo CD's getParams): exactly one generator type, interpolated with
 * the first matrix child's params; nested matrix/merge only one level deep.
 */
function runChildGenerator(
  generator: unknown,
  at: JsonPath,
  ctx: GeneratorContext,
  nesting: number,
  parentParams: Params,
): Params[] {
  if (!isMap(generator)) throw new GenerationError('a generator must be a map', at);
  const allowed = nesting >= 1 ? TERMINAL_TYPES : GENERATOR_TYPES;
  const types = allowed.filter((type) => generator[type] !== undefined && generator[type] !== null);
  if (types.length === 0) {
    const nested = nesting >= 1 && (generator.matrix !== undefined || generator.merge !== undefined);
    throw new GenerationError(
      `child generator generated no parameters${nested ? ': Argo CD nests matrix and merge generators only one level deep' : ''}`,
      at,
    );
  }
  if (types.length > 1) throw new GenerationError('found more than one generator in matrix.Generators', at);
  return runTyped(generator, types[0], at, ctx, nesting, parentParams);
}

function runTyped(
  generator: Record<string, unknown>,
  type: string,
  at: JsonPath,
  ctx: GeneratorContext,
  nesting: number,
  parentParams: Params,
): Params[] {
  const specAt = [...at, type];
  let spec = generator[type];
  // Transform interpolates a generator with the params it is given (a matrix's first child's).
  if (Object.keys(parentParams).length > 0) spec = interpolateGenerator(spec, parentParams, specAt, ctx);
  if (type in LIVE_GENERATORS) {
    ctx.problems.push({
      severity: 'info',
      message: `the ${type} generator ${LIVE_GENERATORS[type]}; it cannot be expanded offline, so its Applications are not checked`,
      path: specAt,
    });
    return [];
  }
  let params: Params[];
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
      params = matrixGenerator(spec, specAt, ctx, nesting);
      break;
    default:
      params = mergeGenerator(spec, specAt, ctx, nesting);
  }
  ctx.budget.checkParamSets(params.length);
  const selector = generator.selector;
  if (isMap(selector)) {
    params = params.filter((set) => matchesSelector(selector as LabelSelector, flattenParameters(set)));
  }
  return params;
}

// ------------------------------------------------------------------ list

/**
 * list.go: `elements` become param sets (fasttemplate: every value, and every `values` entry, must be
 * a string, or the generator fails with "error parsing value as string"); `elementsYaml` is parsed
 * and its maps are appended as they are, in both syntaxes.
 */
function listGenerator(spec: unknown, at: JsonPath, ctx: GeneratorContext): Params[] {
  if (!isMap(spec)) return [];
  const out: Params[] = [];
  const elements = spec.elements;
  if (elements !== undefined && elements !== null && !Array.isArray(elements))
    throw new GenerationError('list.elements must be a list', [...at, 'elements']);
  (Array.isArray(elements) ? elements : []).forEach((element, i) => {
    const elementAt = [...at, 'elements', i];
    if (!isMap(element)) throw new GenerationError('error unmarshling list element: it must be a map', elementAt);
    if (ctx.goTemplate) {
      out.push(structuredClone(element));
      return;
    }
    const params: Params = {};
    for (const [key, value] of Object.entries(element)) {
      if (key === 'values') {
        if (!isMap(value)) throw new GenerationError('error parsing values map: `values` must be a map', elementAt);
        for (const [name, v] of Object.entries(value)) {
          if (typeof v !== 'string') throw notAString(`values.${name}`, v, [...elementAt, 'values', name]);
          params[`values.${name}`] = v;
        }
      } else {
        if (typeof value !== 'string') throw notAString(key, value, [...elementAt, key]);
        params[key] = value;
      }
    }
    out.push(params);
  });
  if (typeof spec.elementsYaml === 'string' && spec.elementsYaml !== '') {
    let parsed: unknown;
    try {
      parsed = parseGoYaml(spec.elementsYaml);
    } catch (error) {
      throw new GenerationError(`error unmarshling decoded ElementsYaml: ${(error as Error).message}`, [
        ...at,
        'elementsYaml',
      ]);
    }
    if (parsed !== undefined && parsed !== null && (!Array.isArray(parsed) || !parsed.every(isMapOrNull)))
      throw new GenerationError('error unmarshling decoded ElementsYaml: it must be a list of maps', [
        ...at,
        'elementsYaml',
      ]);
    for (const element of (parsed as (Params | null)[] | null) ?? []) out.push(element ?? {});
  }
  return out;
}

function notAString(key: string, value: unknown, at: JsonPath): GenerationError {
  const kind = Array.isArray(value) ? 'a list' : isMap(value) ? 'a map' : value === null ? 'null' : `a ${typeof value}`;
  return new GenerationError(
    `error parsing value as string: list element key "${key}" is ${kind}; without goTemplate every value must be a string (quote it)`,
    at,
  );
}

const isMapOrNull = (value: unknown): boolean => value === null || isMap(value);

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
  const prefix = typeof spec.pathParamPrefix === 'string' ? spec.pathParamPrefix : '';
  let out: Params[];
  if (Array.isArray(spec.directories) && spec.directories.length > 0)
    out = gitDirectories(spec.directories, [...at, 'directories'], ctx, prefix);
  else if (Array.isArray(spec.files) && spec.files.length > 0)
    out = gitFiles(spec.files, [...at, 'files'], ctx, prefix);
  else throw new GenerationError('a git generator needs `directories` or `files`', at);
  return out.map((params) => withValues(params, spec.values, [...at, 'values'], ctx));
}

interface PathEntry {
  path: string;
  exclude: boolean;
  index: number;
}

function pathEntries(entries: unknown[], at: JsonPath): PathEntry[] {
  return entries.map((entry, index) => {
    if (!isMap(entry) || typeof entry.path !== 'string' || !entry.path)
      throw new GenerationError(`entry ${index} needs a path`, [...at, index]);
    return { path: entry.path, exclude: entry.exclude === true, index };
  });
}

/** git.go filterApps: every directory of the checkout (hidden ones skipped) against Go's path.Match. */
function gitDirectories(entries: unknown[], at: JsonPath, ctx: GeneratorContext, prefix: string): Params[] {
  const patterns = pathEntries(entries, at);
  const includes = patterns.filter((p) => !p.exclude);
  const excludes = patterns.filter((p) => p.exclude);
  const matches = (p: PathEntry, dir: string) => goPathMatcher(p.path).call(undefined, dir);
  const matched = ctx.repo
    .directories()
    .filter((dir) => !dir.split('/').some((segment) => segment.startsWith('.')))
    .filter((dir) => includes.some((p) => matches(p, dir)))
    // An exclude entry wins wherever it is listed, as in Argo CD.
    .filter((dir) => !excludes.some((p) => matches(p, dir)));
  if (matched.length === 0) {
    ctx.problems.push({
      severity: 'warning',
      message: `no directory of this repository matches ${includes.map((p) => p.path).join(', ') || 'the entries'}${directoryPatternHint(includes)}`,
      path: at,
    });
  }
  return matched.map((dir) => pathParams(dir, undefined, ctx.goTemplate, prefix));
}

/** Why a directory pattern that looks right matches nothing in Argo CD. */
function directoryPatternHint(entries: PathEntry[]): string {
  if (entries.some((p) => /^\.?\//.test(p.path)))
    return ' (Argo CD matches paths relative to the repository root, with no leading "./" or "/")';
  if (entries.some((p) => p.path.includes('**')))
    return ' (Argo CD matches directories with Go\'s path.Match: "**" is "*" and does not cross "/")';
  if (entries.some((p) => hasBraceList(p.path)))
    return " (Argo CD matches directories with Go's path.Match, which has no {a,b} alternatives)";
  return '';
}

/** git.go generateParamsForGitFiles: `git ls-files` per include pattern, minus exclude patterns, sorted. */
function gitFiles(entries: unknown[], at: JsonPath, ctx: GeneratorContext, prefix: string): Params[] {
  const patterns = pathEntries(entries, at);
  const matcher = (p: PathEntry) => {
    if (ctx.newGitFileGlobbing) return doublestarMatcher(p.path);
    const pathspec = gitPathspecMatcher(p.path);
    if (pathspec.unsupportedMagic) {
      ctx.problems.push({
        severity: 'warning',
        message: `git pathspec magic ${pathspec.unsupportedMagic} is not modelled here; the entry matches nothing in this check`,
        path: [...at, p.index, 'path'],
      });
    }
    return pathspec.matches;
  };
  const includes = patterns.filter((p) => !p.exclude).map((p) => ({ entry: p, matches: matcher(p) }));
  const excludes = patterns.filter((p) => p.exclude).map(matcher);
  const matched = ctx.repo
    .files()
    .filter((file) => includes.some((p) => p.matches(file)))
    .filter((file) => !excludes.some((matches) => matches(file)));
  if (matched.length === 0) {
    ctx.problems.push({
      severity: 'warning',
      message: `no file of this repository matches ${includes.map((p) => p.entry.path).join(', ') || 'the entries'}`,
      path: at,
    });
  }
  const out: Params[] = [];
  for (const file of matched) {
    const entryAt = [...at, includes.find((p) => p.matches(file))?.entry.index ?? 0];
    const text = ctx.repo.read(file);
    // Argo CD reads every listed file; one this check cannot read (too large, not a regular file) is not guessed at.
    if (text === undefined)
      throw new GenerationError(
        `unable to read '${file}' (not a regular file inside the repository, or too large)`,
        entryAt,
      );
    const objects = gitFileObjects(file, text, entryAt);
    for (const object of objects) {
      const pathPart = pathParams(path.posix.dirname(file), path.posix.basename(file), ctx.goTemplate, prefix);
      out.push(ctx.goTemplate ? { ...object, ...pathPart } : { ...flattenToStrings(object), ...pathPart });
    }
    ctx.budget.checkParamSets(out.length);
  }
  return out;
}

/** generateParamsFromGitFile: a map (an empty file is one empty map), else a list of maps. */
function gitFileObjects(file: string, text: string, at: JsonPath): Params[] {
  let content: unknown;
  try {
    content = parseGoYaml(text);
  } catch (error) {
    if (!(error instanceof GoYamlError)) throw error;
    throw new GenerationError(`unable to process file '${file}': unable to parse file: ${error.message}`, at);
  }
  if (content === undefined || content === null) return [{}];
  if (isMap(content)) return [content];
  if (Array.isArray(content) && content.every(isMapOrNull)) return content.map((item) => (item ?? {}) as Params);
  throw new GenerationError(`unable to process file '${file}': it must hold a map or a list of maps`, at);
}

/** path, path.basename, path[n]... (fasttemplate) or {path: {path, basename, segments...}} (goTemplate). */
function pathParams(dir: string, filename: string | undefined, goTemplate: boolean, prefix: string): Params {
  const dirPath = dir === '' ? '.' : dir;
  // Go's strings.Split(".", "/") is ["."]: a file at the root has one segment ".".
  const segments = dirPath.split('/');
  const basename = path.posix.basename(dirPath);
  const fields: Record<string, string> = {
    path: dirPath,
    basename,
    ...(filename !== undefined ? { filename } : {}),
    basenameNormalized: normalizeName(basename),
    ...(filename !== undefined ? { filenameNormalized: normalizeName(filename) } : {}),
  };
  if (goTemplate) {
    const value = { ...fields, segments };
    return prefix ? { [prefix]: { path: value } } : { path: value };
  }
  const key = prefix ? `${prefix}.path` : 'path';
  const out: Params = { [key]: dirPath };
  for (const [name, value] of Object.entries(fields)) if (name !== 'path') out[`${key}.${name}`] = value;
  segments.forEach((segment, i) => {
    if (segment !== '') out[`${key}[${i}]`] = segment;
  });
  return out;
}

// ------------------------------------------------------------------ clusters

/**
 * cluster.go: the cluster secrets that match the selector, and in-cluster last when no selector is
 * set and no secret names it. Argo CD adds `argocd.argoproj.io/secret-type: cluster` to every
 * selector (metav1.AddLabelToSelector), and every cluster secret carries that label.
 */
function clustersGenerator(spec: unknown, at: JsonPath, ctx: GeneratorContext): Params[] {
  const clusterSpec = isMap(spec) ? spec : {};
  const selector = isMap(clusterSpec.selector) ? (clusterSpec.selector as LabelSelector) : {};
  const hasSelector =
    Object.keys(selector.matchLabels ?? {}).length > 0 || (selector.matchExpressions ?? []).length > 0;
  const secrets = ctx.clusters.map((cluster) => ({
    ...cluster,
    labels: { ...cluster.labels, ...ARGO_FACTS.clusterSecretLabel.labels },
  }));
  const chosen = secrets.filter((cluster) => matchesSelector(selector, cluster.labels));
  if (hasSelector && chosen.length === 0) {
    ctx.problems.push({
      severity: 'info',
      message:
        'the clusters selector matches no cluster declared in gitops.yaml (environments[].cluster and its labels); Argo CD reads cluster secrets, which this check cannot see',
      path: [...at, 'selector'],
    });
  }
  const params = chosen.map((cluster) => clusterParams(cluster, ctx.goTemplate));
  if (!hasSelector && !ctx.clusters.some((c) => c.server === IN_CLUSTER.server)) {
    params.push({
      name: IN_CLUSTER.name,
      nameNormalized: IN_CLUSTER.name,
      server: IN_CLUSTER.server,
      project: '',
    });
  }
  const withClusterValues = params.map((set) => withValues(set, clusterSpec.values, [...at, 'values'], ctx));
  return clusterSpec.flatList === true ? [{ clusters: withClusterValues }] : withClusterValues;
}

function clusterParams(cluster: ClusterInfo, goTemplate: boolean): Params {
  const params: Params = {
    name: cluster.name,
    nameNormalized: normalizeName(cluster.name),
    server: cluster.server,
    project: '',
  };
  const labels = cluster.labels ?? {};
  const annotations = cluster.annotations ?? {};
  if (goTemplate) {
    params.metadata = {
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
    };
  } else {
    for (const [key, value] of Object.entries(annotations)) params[`metadata.annotations.${key}`] = value;
    for (const [key, value] of Object.entries(labels)) params[`metadata.labels.${key}`] = value;
  }
  return params;
}

// ------------------------------------------------------------------ matrix and merge

function childGenerators(spec: unknown, at: JsonPath, type: string): unknown[] {
  if (!isMap(spec) || !Array.isArray(spec.generators))
    throw new GenerationError(`${type} needs a list of generators`, at);
  return spec.generators;
}

/**
 * matrix.go: the second child runs once per param set of the first, interpolated with it. goTemplate
 * merges with mergo (`b`, then `a` over it: the first child wins a conflict, nested maps merge);
 * fasttemplate combines string maps and fails on a key the two children set differently.
 */
function matrixGenerator(spec: unknown, at: JsonPath, ctx: GeneratorContext, nesting: number): Params[] {
  const children = childGenerators(spec, at, 'matrix');
  if (children.length < 2)
    throw new GenerationError('found less than two generators, Matrix support only two', [...at, 'generators']);
  if (children.length > 2)
    throw new GenerationError('found more than two generators, Matrix support only two', [...at, 'generators']);
  const childAt = (i: number): JsonPath => [...at, 'generators', i];
  const left = runChildGenerator(children[0], childAt(0), ctx, nesting + 1, {});
  const out: Params[] = [];
  const seenProblems = new Set<string>();
  for (const a of left) {
    const problemsBefore = ctx.problems.length;
    const right = runChildGenerator(children[1], childAt(1), ctx, nesting + 1, a);
    // The same problem repeats once per param set of the first child: keep one.
    const fresh = ctx.problems.splice(problemsBefore).filter((p) => {
      const key = `${p.path.join('/')}\u0000${p.message}`;
      if (seenProblems.has(key)) return false;
      seenProblems.add(key);
      return true;
    });
    appendAll(ctx.problems, fresh);
    ctx.budget.checkParamSets(out.length + right.length);
    for (const b of right) {
      if (ctx.goTemplate) out.push(mergoMerge(mergoMerge({}, b), a));
      else out.push(combineStringMaps(a, b, at));
    }
  }
  return out;
}

/** utils.CombineStringMaps: both sides printed with %v; a key with two different values is an error. */
function combineStringMaps(a: Params, b: Params, at: JsonPath): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(a)) out[key] = printJsonValue(value);
  for (const [key, value] of Object.entries(b)) {
    const text = printJsonValue(value);
    if (key in out && out[key] !== text)
      throw new GenerationError(
        `found duplicate key ${key} with different value: both matrix children set it; with goTemplate the first child's value would win`,
        at,
      );
    out[key] = text;
  }
  return out;
}

/**
 * mergo.Merge(dst, src, WithOverride) on map[string]any: src wins; a map merges into a non-empty map
 * of dst key by key; anything else (lists too) replaces. Returns dst.
 */
export function mergoMerge(dst: Params, src: Params): Params {
  for (const [key, value] of Object.entries(src)) {
    const current = dst[key];
    if (isMap(value) && isMap(current) && Object.keys(current).length > 0) {
      dst[key] = mergoMerge({ ...current }, value);
    } else {
      dst[key] = isMap(value) ? mergoMerge({}, value) : value;
    }
  }
  return dst;
}

/**
 * merge.go: every child's param sets keyed by the JSON of their mergeKeys (looked up at the top level
 * only: `values.region` is one key, not a path); a key shared by two sets of one child is
 * ErrNonUniqueParamSets; later children override the base's sets with the same key.
 */
function mergeGenerator(spec: unknown, at: JsonPath, ctx: GeneratorContext, nesting: number): Params[] {
  const children = childGenerators(spec, at, 'merge');
  if (children.length < 2)
    throw new GenerationError('found less than two generators, Merge requires two or more', [...at, 'generators']);
  const mergeKeys = isMap(spec) && Array.isArray(spec.mergeKeys) ? spec.mergeKeys.map(String) : [];
  if (mergeKeys.length === 0)
    throw new GenerationError('no merge keys were specified, Merge requires at least one', [...at, 'mergeKeys']);
  const uniqueKeys = [...new Set(mergeKeys)].sort();
  const byMergeKey = (sets: Params[], childIndex: number): Map<string, Params> => {
    const out = new Map<string, Params>();
    for (const set of sets) {
      const key = JSON.stringify(Object.fromEntries(uniqueKeys.map((k) => [k, canonical(set[k] ?? null)])));
      if (out.has(key))
        throw new GenerationError(
          `the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique (child generator ${childIndex} has two param sets with the same ${uniqueKeys.join(', ')}${uniqueKeys.some((k) => k.includes('.')) && ctx.goTemplate ? '; with goTemplate a merge key is a top-level parameter name, not a path' : ''})`,
          [...at, 'generators', childIndex],
        );
      out.set(key, set);
    }
    return out;
  };
  const base = byMergeKey(runChildGenerator(children[0], [...at, 'generators', 0], ctx, nesting + 1, {}), 0);
  for (let i = 1; i < children.length; i++) {
    const others = byMergeKey(runChildGenerator(children[i], [...at, 'generators', i], ctx, nesting + 1, {}), i);
    for (const [key, set] of base) {
      const other = others.get(key);
      if (!other) continue;
      base.set(key, ctx.goTemplate ? mergoMerge(structuredClone(set), other) : { ...set, ...other });
    }
  }
  return [...base.values()];
}

/** A value with its map keys sorted, so two equal values give the same JSON (as Go's json.Marshal). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isMap(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  return value;
}

// ------------------------------------------------------------------ helpers

/**
 * InterpolateGenerator: every string of a child generator rendered with the given params (map keys
 * too). A generator's `values` are rendered with missingkey=error first, and a missing key there
 * keeps the template for the child's own params (RenderGeneratorParams' filter).
 */
function interpolateGenerator(spec: unknown, params: Params, at: JsonPath, ctx: GeneratorContext): unknown {
  const render = (text: string, where: JsonPath, options?: RenderOptions): string => {
    try {
      return text.includes('{{') ? ctx.render(text, params, options) : text;
    } catch (error) {
      if (error instanceof BudgetExceeded) throw error;
      throw new GenerationError(`failed to replace parameters in generator: ${firstLine(error)}`, where);
    }
  };
  const visit = (value: unknown, where: JsonPath, isGeneratorSpec: boolean): unknown => {
    if (typeof value === 'string') return render(value, where);
    if (Array.isArray(value)) return value.map((item, i) => visit(item, [...where, i], false));
    if (!isMap(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const renderedKey = key.includes('{{') ? render(key, where) : key;
      if (isGeneratorSpec && key === 'values' && isMap(item)) {
        out[renderedKey] = Object.fromEntries(
          Object.entries(item).map(([name, text]) => {
            const template = typeof text === 'string' ? text : printValue(text);
            try {
              return [
                name,
                template.includes('{{') ? ctx.render(template, params, { missingKeyError: true }) : template,
              ];
            } catch (error) {
              if (isMissingKeyError(error)) return [name, template];
              if (error instanceof BudgetExceeded) throw error;
              throw new GenerationError(`failed to pre-resolve Values key "${name}": ${firstLine(error)}`, [
                ...where,
                key,
                name,
              ]);
            }
          }),
        );
      } else {
        // A nested matrix or merge holds generator specs of its own, under their type names.
        out[renderedKey] = visit(item, [...where, key], GENERATOR_TYPES.includes(key));
      }
    }
    return out;
  };
  return visit(spec, at, true);
}

function isMissingKeyError(error: unknown): boolean {
  const message = String((error as Error)?.message ?? error);
  return message.includes('map has no entry for key') || message.includes("can't evaluate field");
}

/** A generator's `values` are templates over its own params, exposed as values.<key>. */
function withValues(params: Params, values: unknown, at: JsonPath, ctx: GeneratorContext): Params {
  if (!isMap(values)) return params;
  const rendered: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const text = typeof value === 'string' ? value : printValue(value);
    try {
      rendered[key] = text.includes('{{') ? ctx.render(text, params) : text;
    } catch (error) {
      if (error instanceof BudgetExceeded) throw error;
      throw new GenerationError(`failed to append templated values: ${firstLine(error)}`, [...at, key]);
    }
  }
  if (ctx.goTemplate) return { ...params, values: rendered };
  const out = { ...params };
  for (const [key, value] of Object.entries(rendered)) out[`values.${key}`] = value;
  return out;
}

/**
 * jeremywohl/flatten with DotStyle, then fmt's %v of each leaf (git files for fasttemplate):
 * {a: {b: 1}, l: [x, [y]]} → a.b=1, l.0=x, l.1.0=y; an empty map or list leaves no key; numbers
 * print as Go prints a float64 (1000000 → "1e+06").
 */
export function flattenToStrings(value: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (item: unknown, name: string) => {
    if (isMap(item)) for (const [key, inner] of Object.entries(item)) visit(inner, name ? `${name}.${key}` : key);
    else if (Array.isArray(item)) item.forEach((inner, i) => visit(inner, name ? `${name}.${i}` : String(i)));
    else out[name] = printJsonValue(item);
  };
  visit(value, '');
  return out;
}

/** Transform's flattenParameters: what a generator's post-selector matches against. */
function flattenParameters(params: Params): Record<string, string> {
  return flattenToStrings(params);
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}

/** A `{` and, before any `}`, a `,`: `/\{[^}]*,/.test(path)`, which read on from every `{`. */
export function hasBraceList(path: string): boolean {
  let open = false;
  for (const char of path) {
    if (char === '{') open = true;
    else if (char === '}') open = false;
    else if (char === ',' && open) return true;
  }
  return false;
}

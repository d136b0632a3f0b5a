// A Helm source of an Application as Argo CD's repo server turns it into `helm template` options
// (reposerver/repository/repository.go helmTemplate and getResolvedValueFiles, argoproj/argo-cd
// 37ee009). Pure: reads the source, the other sources' refs and the repository's file list, never
// runs helm. Value files resolve like pathutil.ResolveValueFilePathOrUrl: relative to the chart folder,
// absolute from the repository root, `$ref/...` from the root of the source whose `ref` is `ref`, a
// URL (http/https) is remote; a path that leaves the repository is refused.
import { cleanPath } from '../argocd/model.ts';
import { globToRegExp } from '../argocd/glob.ts';
import type { JsonPath } from '../types.ts';

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The `spec.source.helm` fields the plan reads, as they stand after .argocd-source.yaml overrides. */
export type HelmBlock = Record<string, unknown>;

/** Where another source of the Application lends its files (`ref: values` → `$values/...`). */
export interface RefSource {
  /** The repository's own (its files are here) or another one (cannot be read offline). */
  local: boolean;
}

/** What Argo CD knows of the Application when it templates (its env: newEnv in repository.go). */
export interface HelmContext {
  appName: string;
  /** spec.destination.namespace. */
  namespace: string;
  project: string;
  repoURL: string;
  sourcePath: string;
  targetRevision: string;
  /** The Kubernetes version the repository targets ("1.32"): Argo CD passes the cluster's. */
  kubernetesVersion: string;
  refs: Map<string, RefSource>;
  hasFile(rel: string): boolean;
  /** Every file of the repository (glob value files). */
  files: readonly string[];
}

export interface HelmPlanProblem {
  /** remote: Argo CD fetches it, validation cannot (the unit is checked in part); invalid: Argo CD fails the render. */
  kind: 'remote' | 'invalid';
  message: string;
  /** Path in the source (relative to its `at`). */
  at: JsonPath;
}

export interface HelmPlan {
  releaseName: string;
  namespace: string;
  kubeVersion: string;
  apiVersions: string[];
  /** Repository-relative value files in helm's order; `at` is the valueFiles entry that named it. */
  valueFiles: { rel: string; at: JsonPath }[];
  /** The source's values / valuesObject as YAML text (written to a file passed last, as Argo CD does). */
  inlineValues?: { text: string; at: JsonPath };
  set: [string, string][];
  setString: [string, string][];
  /** --set-file: the repository-relative file each parameter reads. */
  setFile: [string, string][];
  skipCrds: boolean;
  skipTests: boolean;
  problems: HelmPlanProblem[];
}

/** Env.Envsubst: `$VAR` and `${VAR}` from the Application's env, `$$` is `$`, an unknown name is empty. */
export function envsubst(value: string, env: Record<string, string>): string {
  // What `value.replace(/\$(\$|\{([^}]*)\}|[A-Za-z_][A-Za-z0-9_]*)/g, ...)` gave, in linear time: that
  // regex read to the end from every `${` when no `}` follows. `close` is the first `}` past the last look.
  let out = '';
  let done = 0;
  let close = -1;
  for (let at = value.indexOf('$'); at >= 0 && at < value.length;) {
    const next = value[at + 1];
    let key: string | undefined;
    let end = -1;
    if (next === '$') {
      out += `${value.slice(done, at)}$`;
      done = at + 2;
      at = value.indexOf('$', done);
      continue;
    }
    if (next === '{') {
      if (close !== -2 && close < at + 2) close = value.indexOf('}', at + 2);
      if (close === -1) close = -2; // none: none for any later `${` either
      if (close >= 0) [key, end] = [value.slice(at + 2, close), close + 1];
    } else if (next !== undefined && /[A-Za-z_]/.test(next)) {
      end = at + 2;
      while (end < value.length && /[A-Za-z0-9_]/.test(value[end])) end++;
      key = value.slice(at + 1, end);
    }
    if (key === undefined) {
      at = value.indexOf('$', at + 1);
      continue;
    }
    out += value.slice(done, at) + (env[key] ?? '');
    done = end;
    at = value.indexOf('$', end);
  }
  return out + value.slice(done);
}

function argoEnv(ctx: HelmContext): Record<string, string> {
  return {
    ARGOCD_APP_NAME: ctx.appName,
    ARGOCD_APP_NAMESPACE: ctx.namespace,
    ARGOCD_APP_PROJECT_NAME: ctx.project,
    // The revision is the commit Argo CD resolves at sync time; offline there is none.
    ARGOCD_APP_REVISION: '',
    ARGOCD_APP_REVISION_SHORT: '',
    ARGOCD_APP_REVISION_SHORT_8: '',
    ARGOCD_APP_SOURCE_REPO_URL: ctx.repoURL,
    ARGOCD_APP_SOURCE_PATH: ctx.sourcePath,
    ARGOCD_APP_SOURCE_TARGET_REVISION: ctx.targetRevision,
  };
}

/** "1.32" → "1.32.0" (parseKubeVersion keeps major.minor.patch). */
export function kubeVersionOf(version: string): string {
  const parts = version.replace(/^v/, '').split(/[.+-]/);
  return [parts[0] ?? '1', parts[1] ?? '0', /^\d+$/.test(parts[2] ?? '') ? parts[2] : '0'].join('.');
}

/** Inside the repository: "a/b" (never "../x"); undefined when the path leaves it. */
function insideRepo(base: string, path: string): string | undefined {
  const joined = path.startsWith('/') ? path.slice(1) : base === '.' ? path : `${base}/${path}`;
  const clean = cleanPath(joined || '.');
  if (clean === '..' || clean.startsWith('../')) return undefined;
  return clean;
}

const isGlob = (path: string) => /[*?[]/.test(path);

/** One valueFiles (or fileParameters) entry: the repository file(s) it names, or why it has none. */
function resolveValueFile(
  raw: string,
  chartPath: string,
  ctx: HelmContext,
  env: Record<string, string>,
): { files: string[] } | { problem: Omit<HelmPlanProblem, 'at'> } | { missing: string } {
  let base = chartPath;
  let path = raw;
  if (raw.startsWith('$')) {
    const name = raw.split('/')[0].slice(1);
    const ref = ctx.refs.get(name);
    if (ref) {
      if (!ref.local)
        return {
          problem: { kind: 'remote', message: `value file "${raw}" is in another repository (ref ${name})` },
        };
      base = '.';
      path = `/${raw.split('/').slice(1).join('/')}`;
    }
  }
  path = envsubst(path, env);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(path);
  if (scheme) {
    if (scheme[1] === 'http' || scheme[1] === 'https')
      return { problem: { kind: 'remote', message: `value file ${path} is fetched from the network` } };
    return { problem: { kind: 'invalid', message: `the URL scheme '${scheme[1]}' is not allowed` } };
  }
  const rel = insideRepo(base, path);
  if (rel === undefined)
    return { problem: { kind: 'invalid', message: `value file "${raw}" resolves outside the repository` } };
  if (isGlob(rel)) {
    const pattern = globToRegExp(rel, '/');
    return { files: ctx.files.filter((file) => pattern.matches(file)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
  }
  return ctx.hasFile(rel) ? { files: [rel] } : { missing: rel };
}

/** The YAML Argo CD writes for values/valuesObject (ValuesYAML: valuesObject wins). */
function inlineValuesOf(helm: HelmBlock): { text: string; at: JsonPath } | undefined {
  if (isMap(helm.valuesObject) && Object.keys(helm.valuesObject).length > 0)
    return { text: JSON.stringify(helm.valuesObject), at: ['helm', 'valuesObject'] };
  if (typeof helm.values === 'string' && helm.values !== '') return { text: helm.values, at: ['helm', 'values'] };
  if (isMap(helm.values) && Object.keys(helm.values).length > 0)
    return { text: JSON.stringify(helm.values), at: ['helm', 'values'] };
  return undefined;
}

/** The `helm template` options for a chart at `chartPath` with the source's `helm` block. */
export function planHelm(helmBlock: unknown, chartPath: string, ctx: HelmContext): HelmPlan {
  const helm: HelmBlock = isMap(helmBlock) ? helmBlock : {};
  const env = argoEnv(ctx);
  const problems: HelmPlanProblem[] = [];
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item) => typeof item === 'string') : []);

  // Explicit entries win the position over a glob that also matches them (getResolvedValueFiles).
  const rawFiles = Array.isArray(helm.valueFiles) ? helm.valueFiles : [];
  const explicit = new Set<string>();
  for (const raw of rawFiles) {
    if (typeof raw !== 'string') continue;
    const resolved = resolveValueFile(raw, chartPath, ctx, env);
    if ('files' in resolved && !isGlob(raw)) for (const file of resolved.files) explicit.add(file);
  }
  const valueFiles: HelmPlan['valueFiles'] = [];
  const seen = new Set<string>();
  const ignoreMissing = helm.ignoreMissingValueFiles === true;
  rawFiles.forEach((raw, i) => {
    if (typeof raw !== 'string') return;
    const at: JsonPath = ['helm', 'valueFiles', i];
    const resolved = resolveValueFile(raw, chartPath, ctx, env);
    if ('problem' in resolved) {
      problems.push({ ...resolved.problem, at });
      return;
    }
    if ('missing' in resolved) {
      if (!ignoreMissing)
        problems.push({
          kind: 'invalid',
          message: `value file "${raw}" does not exist (${resolved.missing}); set helm.ignoreMissingValueFiles or fix the path`,
          at,
        });
      return;
    }
    if (isGlob(raw) && resolved.files.length === 0 && !ignoreMissing) {
      problems.push({ kind: 'invalid', message: `value file glob "${raw}" matches no file`, at });
      return;
    }
    for (const file of resolved.files) {
      if (isGlob(raw) && explicit.has(file)) continue;
      if (seen.has(file)) continue;
      seen.add(file);
      valueFiles.push({ rel: file, at });
    }
  });

  const set: [string, string][] = [];
  const setString: [string, string][] = [];
  (Array.isArray(helm.parameters) ? helm.parameters : []).forEach((parameter) => {
    if (!isMap(parameter) || typeof parameter.name !== 'string') return;
    const value = envsubst(
      parameter.value === undefined || parameter.value === null ? '' : String(parameter.value),
      env,
    );
    (parameter.forceString === true ? setString : set).push([parameter.name, value]);
  });
  const setFile: [string, string][] = [];
  (Array.isArray(helm.fileParameters) ? helm.fileParameters : []).forEach((parameter, i) => {
    if (!isMap(parameter) || typeof parameter.name !== 'string' || typeof parameter.path !== 'string') return;
    const at: JsonPath = ['helm', 'fileParameters', i, 'path'];
    const resolved = resolveValueFile(parameter.path, chartPath, ctx, env);
    if ('problem' in resolved) problems.push({ ...resolved.problem, at });
    else if ('missing' in resolved)
      problems.push({ kind: 'invalid', message: `file parameter "${parameter.path}" does not exist`, at });
    else if (resolved.files.length > 0) setFile.push([parameter.name, resolved.files[0]]);
  });

  const inlineValues = inlineValuesOf(helm);
  const apiVersions = strings(helm.apiVersions);
  return {
    // ParseInstanceName keeps the name part of "namespace_name".
    releaseName: text(helm.releaseName) ?? ctx.appName.split('_').pop() ?? ctx.appName,
    namespace: text(helm.namespace) ?? ctx.namespace,
    kubeVersion: kubeVersionOf(text(helm.kubeVersion) ?? ctx.kubernetesVersion),
    apiVersions,
    valueFiles,
    ...(inlineValues ? { inlineValues } : {}),
    set,
    setString,
    setFile,
    skipCrds: helm.skipCrds === true,
    skipTests: helm.skipTests === true,
    problems,
  };
}

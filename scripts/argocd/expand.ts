// ApplicationSet → the Applications Argo CD would create, offline and pure: the ApplicationSet,
// a view of this repository and the known clusters in; Applications and problems out.
//
// It follows applicationset/controllers/template/template.go GenerateApplications: every generator
// (each type of an entry) gives parameter sets; its own `template` is filled in from the
// ApplicationSet's (mergo without override); every string of it (values and map keys) is rendered on
// its own, with fasttemplate or, with goTemplate: true, Go's text/template plus Sprig; the finalizer is
// added; `templatePatch` is rendered and applied as a strategic merge patch, with spec.project kept;
// the namespace becomes the ApplicationSet's. Any error on the way makes Argo CD create or update
// none of the set's Applications, and then none is returned here either.
import { compareText } from '../finding-order.ts';
import { redact, scalarValues } from '../safe/redact.ts';
import type { JsonPath, KubeObject } from '../types.ts';
import { BudgetExceeded, ExpansionBudget, type RepositoryBudget } from './budget.ts';
import { ARGO_FACTS } from './facts.ts';
import { renderFastTemplate } from './fasttemplate.ts';
import {
  GenerationError,
  runTopLevelGenerator,
  type ClusterInfo,
  type ExpansionProblem,
  type GeneratorContext,
  type Params,
  type RenderOptions,
  type RepoView,
} from './generators.ts';
import { parseGoYaml } from './go-yaml.ts';
import { renderGoTemplate, type GoTemplateOptions } from './gotemplate/exec.ts';
import { isMap } from './gotemplate/values.ts';
import { enclosedSpans } from '../safe/text.ts';

export { renderFastTemplate } from './fasttemplate.ts';

export interface ExpandOptions {
  repo: RepoView;
  clusters: ClusterInfo[];
  isLocalRepo(repoURL: string): boolean;
  /** Shared by every ApplicationSet of a repository (argoModel passes one). */
  repositoryBudget?: RepositoryBudget;
  /** argocd-cmd-params-cm `applicationsetcontroller.enable.new.git.file.globbing`. */
  newGitFileGlobbing?: boolean;
  /** argocd-cmd-params-cm `applicationsetcontroller.enable.progressive.syncs` (RollingSync is active). */
  progressiveSyncs?: boolean;
}

export interface ExpandedApplication {
  /** The Application as Argo CD would create it. */
  object: KubeObject;
  params: Params;
  /** Where in the ApplicationSet a field of this Application is written (for findings). */
  sourcePath(applicationPath: JsonPath): JsonPath;
}

export interface Expansion {
  applications: ExpandedApplication[];
  problems: ExpansionProblem[];
}

const SET_FAILS = "Argo CD creates or updates none of this ApplicationSet's Applications";

export function expandApplicationSet(appSet: KubeObject, options: ExpandOptions): Expansion {
  const problems: ExpansionProblem[] = [];
  const spec = isMap(appSet.spec) ? appSet.spec : {};
  const setName = appSet.metadata?.name ?? '(unnamed)';
  const goTemplate = spec.goTemplate === true;
  const goOptions = goTemplateOptions(spec.goTemplateOptions);
  const budget = new ExpansionBudget(undefined, options.repositoryBudget);
  const render = (text: string, params: Params, renderOptions: RenderOptions = {}): string => {
    if (!goTemplate) return renderFastTemplate(text, params, (chars) => budget.chargeOutput(chars));
    const missingKey = renderOptions.missingKeyError ? 'error' : goOptions.missingKey;
    return renderGoTemplate(text, params, { ...goOptions, missingKey, budget });
  };

  if (!isMap(spec.template)) {
    problems.push({ severity: 'error', message: `ApplicationSet ${setName} has no spec.template`, path: ['spec'] });
    return { applications: [], problems };
  }
  if (!Array.isArray(spec.generators) || spec.generators.length === 0) {
    problems.push({
      severity: 'error',
      message: `ApplicationSet ${setName} has no generators`,
      path: ['spec', 'generators'],
    });
    return { applications: [], problems };
  }

  const ctx: GeneratorContext = {
    goTemplate,
    repo: options.repo,
    clusters: options.clusters,
    isLocalRepo: options.isLocalRepo,
    render,
    problems,
    budget,
    newGitFileGlobbing: options.newGitFileGlobbing,
  };
  const applications: ExpandedApplication[] = [];
  let failed = false;
  const reported = new Set<string>();
  const report = (problem: ExpansionProblem) => {
    const key = `${problem.path.join('/')}\u0000${problem.message}`;
    if (!reported.has(key)) {
      reported.add(key);
      problems.push(problem);
    }
  };
  const fail = (problem: ExpansionProblem) => {
    failed = true;
    report({ ...problem, message: `${problem.message}; ${SET_FAILS}` });
  };
  const patchText = typeof spec.templatePatch === 'string' ? spec.templatePatch : undefined;
  const preserveResources = isMap(spec.syncPolicy) && spec.syncPolicy.preserveResourcesOnDeletion === true;
  const namespace = appSet.metadata?.namespace;

  spec.generators.forEach((generator: unknown, generatorIndex: number) => {
    const at: JsonPath = ['spec', 'generators', generatorIndex];
    let results;
    try {
      results = runTopLevelGenerator(generator, at, ctx);
    } catch (error) {
      if (error instanceof GenerationError)
        fail({ severity: 'error', message: `ApplicationSet ${setName}: ${error.message}`, path: error.path });
      else if (error instanceof BudgetExceeded) fail(budgetProblem(setName, error, at));
      else throw error;
      return;
    }
    for (const { type, params: paramSets } of results) {
      const override = isMap(generator) ? generatorTemplate(generator[type], [...at, type]) : undefined;
      const template = override
        ? fillEmpty(structuredClone(override.template), spec.template as Record<string, unknown>)
        : (spec.template as Record<string, unknown>);
      const sourcePathFor =
        (patched: Set<string>) =>
        (appPath: JsonPath): JsonPath => {
          if (patched.has(appPath.slice(0, 2).join('/')) || patched.has(appPath.slice(0, 3).join('/')))
            return ['spec', 'templatePatch'];
          if (override && hasPath(override.template, appPath)) return [...override.path, ...appPath];
          return ['spec', 'template', ...appPath];
        };
      for (const params of paramSets) {
        try {
          const generated = generateApplication(params);
          if (generated) applications.push(generated);
        } catch (error) {
          if (error instanceof BudgetExceeded) {
            fail(budgetProblem(setName, error, ['spec', 'template']));
            return;
          }
          throw error;
        }
      }

      function generateApplication(params: Params): ExpandedApplication | undefined {
        const label = () => describeParams(params);
        let failures = 0;
        // RenderTemplateParams returns the template as it is for an empty param set (and adds no finalizer).
        const hasParams = Object.keys(params).length > 0;
        const rendered = hasParams
          ? (renderTree(template, [], params, render, (path, error) => {
              failures++;
              fail({
                severity: 'error',
                message: `ApplicationSet ${setName}: template ${path.join('.')} fails for ${label()}: ${withoutValues(error, params)}`,
                path: sourcePathFor(new Set())(path),
              });
            }) as Record<string, unknown>)
          : structuredClone(template);
        if (failures > 0) return undefined;
        let metadata = isMap(rendered.metadata) ? { ...rendered.metadata } : {};
        if (hasParams && !preserveResources && !(Array.isArray(metadata.finalizers) && metadata.finalizers.length > 0))
          metadata.finalizers = [ARGO_FACTS.resourcesFinalizer.name];
        let object: Record<string, unknown> = { ...rendered, metadata };
        let patched = new Set<string>();
        if (patchText !== undefined) {
          // Argo CD's docs say templatePatch needs goTemplate; its code renders the patch with the set's
          // syntax either way (template.go renderTemplatePatch) and applies it: the code is followed here.
          let patch: unknown;
          try {
            const text = render(patchText, params);
            patch = text.trim().startsWith('{') ? JSON.parse(text) : parseGoYaml(text);
            if (patch !== null && patch !== undefined && !isMap(patch))
              throw new Error('the rendered patch is not a YAML map');
          } catch (error) {
            if (error instanceof BudgetExceeded) throw error;
            fail({
              severity: 'error',
              message: `ApplicationSet ${setName}: templatePatch fails for ${label()}: ${firstLine(withoutValues(error, params))}`,
              path: ['spec', 'templatePatch'],
            });
            return undefined;
          }
          if (isMap(patch)) {
            patched = patchedPaths(patch);
            const project = isMap(object.spec) ? object.spec.project : undefined;
            object = strategicMerge(object, patch);
            const patchedSpec = isMap(object.spec) ? object.spec : (object.spec = {});
            // patch.go: "Prevent changes to the `project` field".
            if (isMap(patch.spec) && 'project' in patch.spec && patch.spec.project !== project)
              report({
                severity: 'warning',
                message: `ApplicationSet ${setName}: templatePatch sets spec.project, which Argo CD ignores (it keeps the template's project${typeof project === 'string' && project ? ` ${project}` : ''})`,
                path: ['spec', 'templatePatch'],
              });
            if (project === undefined) delete (patchedSpec as Record<string, unknown>).project;
            else (patchedSpec as Record<string, unknown>).project = project;
            metadata = isMap(object.metadata) ? object.metadata : {};
          }
        }
        const sourcePath = sourcePathFor(patched);
        const name = typeof metadata.name === 'string' ? metadata.name : '';
        if (!name) {
          // validateGeneratedApplications: this Application is skipped, the others are still created.
          report({
            severity: 'error',
            message: `ApplicationSet ${setName}: the template gives an empty Application name for ${label()}`,
            path: sourcePath(['metadata', 'name']),
          });
          return undefined;
        }
        reportTemplateLeftovers(object, params, name, sourcePath);
        const templateNamespace = metadata.namespace;
        if (typeof templateNamespace === 'string' && templateNamespace && templateNamespace !== namespace)
          report({
            severity: 'warning',
            message: `ApplicationSet ${setName}: template metadata.namespace ${templateNamespace} is ignored: Argo CD creates generated Applications in the ApplicationSet's namespace${namespace ? ` (${namespace})` : ''}`,
            path: sourcePath(['metadata', 'namespace']),
          });
        const finalMetadata: Record<string, unknown> = { ...metadata, name };
        if (namespace) finalMetadata.namespace = namespace;
        else delete finalMetadata.namespace;
        budget.chargeApplication();
        return {
          object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...object, metadata: finalMetadata },
          params,
          sourcePath,
        };
      }
    }
  });

  function reportTemplateLeftovers(
    object: Record<string, unknown>,
    params: Params,
    name: string,
    sourcePath: (path: JsonPath) => JsonPath,
  ): void {
    if (!goTemplate) {
      for (const [at, tag] of leftoverTags(object, [])) {
        const key = tag.slice(2, -2).trim();
        const reason = Object.prototype.hasOwnProperty.call(params, key)
          ? 'is not a string parameter (fasttemplate only substitutes strings)'
          : 'has no parameter';
        report({
          severity: 'warning',
          message: `ApplicationSet ${setName}: ${tag} in template ${at.join('.')} ${reason} (generated Application ${name} keeps it as text)`,
          path: sourcePath(at),
        });
      }
    } else if (goOptions.missingKey !== 'error') {
      for (const [at] of findText(object, [], '<no value>')) {
        report({
          severity: 'warning',
          message: `ApplicationSet ${setName}: template ${at.join('.')} renders "<no value>" for Application ${name}: a key is missing; goTemplateOptions: ["missingkey=error"] makes that an error`,
          path: sourcePath(at),
        });
      }
    }
  }

  if (!failed && options.progressiveSyncs) failed = !applyRollingSync(spec, applications, problems, setName);
  return { applications: failed ? [] : applications, problems };
}

/**
 * progressive_sync.go: with RollingSync steps, the controller turns automated sync off on every
 * generated Application (it syncs them step by step itself); with no steps it stops with an error.
 * Returns false when the set fails.
 */
function applyRollingSync(
  spec: Record<string, unknown>,
  applications: ExpandedApplication[],
  problems: ExpansionProblem[],
  setName: string,
): boolean {
  const strategy = isMap(spec.strategy) ? spec.strategy : undefined;
  if (strategy?.type !== 'RollingSync' || !isMap(strategy.rollingSync)) return true;
  const steps = strategy.rollingSync.steps;
  if (!Array.isArray(steps) || steps.length === 0) {
    problems.push({
      severity: 'error',
      message: `ApplicationSet ${setName}: No steps defined for rollout (RollingSync needs rollingSync.steps); ${SET_FAILS}`,
      path: ['spec', 'strategy'],
    });
    return false;
  }
  for (const app of applications) {
    const appSpec = isMap(app.object.spec) ? app.object.spec : undefined;
    const policy = appSpec && isMap(appSpec.syncPolicy) ? appSpec.syncPolicy : undefined;
    if (policy && isMap(policy.automated)) policy.automated = { ...policy.automated, enabled: false };
  }
  return true;
}

function budgetProblem(setName: string, error: BudgetExceeded, path: JsonPath): ExpansionProblem {
  return {
    severity: 'error',
    message: `ApplicationSet ${setName}: expansion stopped at ${error.message}; what this set deploys is not checked`,
    path,
  };
}

function goTemplateOptions(value: unknown): GoTemplateOptions {
  const options: GoTemplateOptions = {};
  if (!Array.isArray(value)) return options;
  for (const option of value) {
    const match = typeof option === 'string' ? option.match(/^missingkey=(default|invalid|zero|error)$/) : null;
    if (match) options.missingKey = match[1] as GoTemplateOptions['missingKey'];
  }
  return options;
}

function renderTree(
  value: unknown,
  at: JsonPath,
  params: Params,
  render: (text: string, params: Params) => string,
  fail: (path: JsonPath, error: string) => void,
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    try {
      return render(value, params);
    } catch (error) {
      if (error instanceof BudgetExceeded) throw error;
      fail(at, firstLine(error));
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((item, i) => renderTree(item, [...at, i], params, render, fail));
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // deeplyReplace skips nil map values.
      if (item === null || item === undefined) continue;
      let renderedKey = key;
      if (key.includes('{{')) {
        try {
          renderedKey = render(key, params);
        } catch (error) {
          if (error instanceof BudgetExceeded) throw error;
          fail([...at, key], firstLine(error));
        }
      }
      out[renderedKey] = renderTree(item, [...at, key], params, render, fail);
    }
    return out;
  }
  return value;
}

function generatorTemplate(
  spec: unknown,
  path: JsonPath,
): { template: Record<string, unknown>; path: JsonPath } | undefined {
  return isMap(spec) && isMap(spec.template) ? { template: spec.template, path: [...path, 'template'] } : undefined;
}

/** Go's zero values, which mergo treats as unset: nil, "", false, 0, an empty list or map. */
function isGoEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isMap(value) && Object.keys(value).length === 0;
}

/**
 * mergo.Merge(dst, src) without override (generator_spec_processor.go mergeGeneratorTemplate): the
 * generator's template keeps what it sets, and every field it leaves empty comes from the
 * ApplicationSet's template, map by map. Returns dst.
 */
export function fillEmpty(dst: Record<string, unknown>, src: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(src)) {
    const current = dst[key];
    if (isMap(current) && isMap(value)) fillEmpty(current, value);
    else if (isGoEmpty(current)) dst[key] = structuredClone(value);
  }
  return dst;
}

/**
 * A strategic merge patch over an Application (patch.go: strategicpatch.StrategicMergePatch with the
 * Application type): maps merge, `null` deletes a key, `$patch: replace|delete` on a map, lists
 * replace, except metadata.finalizers, which has patchStrategy merge (a union in order).
 */
export function strategicMerge(
  original: Record<string, unknown>,
  patch: Record<string, unknown>,
  at: string[] = [],
): Record<string, unknown> {
  const directive = patch.$patch;
  if (directive === 'replace') return withoutDirectives(patch);
  const out: Record<string, unknown> = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch') continue;
    const path = [...at, key];
    if (value === null) delete out[key];
    else if (isMap(value) && value.$patch === 'delete') delete out[key];
    else if (isMap(value) && isMap(out[key]))
      out[key] = strategicMerge(out[key] as Record<string, unknown>, value, path);
    else if (path.join('.') === 'metadata.finalizers' && Array.isArray(value) && Array.isArray(out[key]))
      out[key] = [...new Set([...(out[key] as unknown[]), ...value])];
    else out[key] = isMap(value) ? withoutDirectives(value) : value;
  }
  return out;
}

function withoutDirectives(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$patch' || item === null) continue;
    out[key] = isMap(item) ? withoutDirectives(item) : item;
  }
  return out;
}

function hasPath(value: unknown, path: JsonPath): boolean {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (isMap(current) && typeof key === 'string' && key in current) current = current[key];
    else return false;
  }
  return current !== undefined;
}

function patchedPaths(patch: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const [key, value] of Object.entries(patch)) {
    out.add(key);
    if (isMap(value)) for (const inner of Object.keys(value)) out.add(`${key}/${inner}`);
  }
  return out;
}

function* leftoverTags(value: unknown, at: JsonPath): Generator<[JsonPath, string]> {
  for (const [path, text] of findText(value, at, '{{')) {
    for (const tag of enclosedSpans(text, '{{', '}}')) yield [path, tag];
  }
}

function* findText(value: unknown, at: JsonPath, needle: string): Generator<[JsonPath, string]> {
  if (typeof value === 'string') {
    if (value.includes(needle)) yield [at, value];
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* findText(value[i], [...at, i], needle);
  } else if (isMap(value)) {
    for (const [key, item] of Object.entries(value)) yield* findText(item, [...at, key], needle);
  }
}

/** A parameter set by its keys only: values may be credentials (a cluster secret's, a repo URL's). */
function describeParams(params: Params): string {
  const keys = Object.keys(params).sort(compareText);
  const text = keys.join(', ');
  return `the parameter set with keys ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`;
}

/** An engine error without the parameter values it may quote (Go's template errors print them). */
function withoutValues(error: unknown, params: Params): string {
  return redact(String(error instanceof Error ? error.message : error), { secrets: scalarValues(params) });
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}

// ApplicationSet → the Applications Argo CD would create, offline and pure: the ApplicationSet,
// a view of this repository and the known clusters in; Applications and problems out.
//
// Rendering follows Argo CD: every string of the template (values and map keys) is rendered on
// its own, with fasttemplate (`{{path.basename}}`, unknown tags left as they are) or, with
// goTemplate: true, Go's text/template plus Sprig; a generator's own `template` overrides the
// ApplicationSet's; `templatePatch` (goTemplate only) is rendered, parsed as YAML and merged over
// the result.
import yaml from 'js-yaml';
import type { JsonPath, KubeObject } from '../types.ts';
import {
  runGenerator,
  type ClusterInfo,
  type ExpansionProblem,
  type GeneratorContext,
  type Params,
  type RepoView,
} from './generators.ts';
import { renderGoTemplate, type GoTemplateOptions } from './gotemplate/exec.ts';
import { isMap } from './gotemplate/values.ts';

export interface ExpandOptions {
  repo: RepoView;
  clusters: ClusterInfo[];
  isLocalRepo(repoURL: string): boolean;
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

export function expandApplicationSet(appSet: KubeObject, options: ExpandOptions): Expansion {
  const problems: ExpansionProblem[] = [];
  const spec = isMap(appSet.spec) ? appSet.spec : {};
  const setName = appSet.metadata?.name ?? '(unnamed)';
  const goTemplate = spec.goTemplate === true;
  const goOptions = goTemplateOptions(spec.goTemplateOptions);
  const render = (text: string, params: Params): string =>
    goTemplate ? renderGoTemplate(text, params, goOptions) : renderFastTemplate(text, params);

  if (!isMap(spec.template)) {
    problems.push({ severity: 'error', message: `ApplicationSet ${setName} has no spec.template`, path: ['spec'] });
    return { applications: [], problems };
  }
  if (typeof spec.templatePatch === 'string' && !goTemplate) {
    problems.push({
      severity: 'error',
      message: 'templatePatch needs goTemplate: true; Argo CD ignores it here',
      path: ['spec', 'templatePatch'],
    });
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
  };
  const applications: ExpandedApplication[] = [];
  const reported = new Set<string>();
  const report = (problem: ExpansionProblem) => {
    const key = `${problem.path.join('/')}\u0000${problem.message}`;
    if (!reported.has(key)) {
      reported.add(key);
      problems.push(problem);
    }
  };

  spec.generators.forEach((generator: unknown, generatorIndex: number) => {
    const paramSets = runGenerator(generator, ['spec', 'generators', generatorIndex], ctx);
    const override = generatorTemplate(generator, generatorIndex);
    const template = override
      ? mergeObjects(spec.template as Record<string, unknown>, override.template)
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
      const label = () => describeParams(params);
      const failures: ExpansionProblem[] = [];
      const rendered = renderTree(template, [], params, render, (path, error) =>
        failures.push({
          severity: 'error',
          message: `ApplicationSet ${setName}: template ${path.join('.')} fails for ${label()}: ${error}; Argo CD will not create or update this set's Applications`,
          path: sourcePathFor(new Set())(path),
        }),
      ) as Record<string, unknown>;
      let patched = new Set<string>();
      if (goTemplate && typeof spec.templatePatch === 'string' && failures.length === 0) {
        try {
          const patch = yaml.load(renderGoTemplate(spec.templatePatch, params, goOptions));
          if (patch !== null && patch !== undefined && !isMap(patch))
            throw new Error('the rendered patch is not a YAML map');
          if (isMap(patch)) {
            patched = patchedPaths(patch);
            Object.assign(rendered, mergeObjects(rendered, patch));
          }
        } catch (error) {
          failures.push({
            severity: 'error',
            message: `ApplicationSet ${setName}: templatePatch fails for ${label()}: ${firstLine(error)}`,
            path: ['spec', 'templatePatch'],
          });
        }
      }
      failures.forEach(report);
      if (failures.length > 0) continue;
      const metadata = isMap(rendered.metadata) ? rendered.metadata : {};
      const name = typeof metadata.name === 'string' ? metadata.name : '';
      const sourcePath = sourcePathFor(patched);
      if (!name) {
        report({
          severity: 'error',
          message: `ApplicationSet ${setName}: the template gives an empty Application name for ${label()}`,
          path: sourcePath(['metadata', 'name']),
        });
        continue;
      }
      if (!goTemplate) {
        for (const [at, tag] of leftoverTags(rendered, [])) {
          report({
            severity: 'warning',
            message: `ApplicationSet ${setName}: ${tag} in template ${at.join('.')} has no parameter (generated Application ${name} keeps it as text)`,
            path: sourcePath(at),
          });
        }
      } else if (goOptions.missingKey !== 'error') {
        for (const [at] of findText(rendered, [], '<no value>')) {
          report({
            severity: 'warning',
            message: `ApplicationSet ${setName}: template ${at.join('.')} renders "<no value>" for Application ${name}: a key is missing; goTemplateOptions: ["missingkey=error"] makes that an error`,
            path: sourcePath(at),
          });
        }
      }
      const object: KubeObject = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        ...rendered,
        metadata: {
          ...metadata,
          name,
          ...(metadata.namespace || !appSet.metadata?.namespace ? {} : { namespace: appSet.metadata.namespace }),
        },
      };
      applications.push({ object, params, sourcePath });
    }
  });
  return { applications, problems };
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

/** fasttemplate as Argo CD calls it: `{{ key }}` with the key trimmed; an unknown key stays as written. */
export function renderFastTemplate(text: string, params: Params): string {
  return text.replace(/\{\{(.*?)\}\}/gs, (whole, tag: string) => {
    const key = tag.trim();
    if (!Object.prototype.hasOwnProperty.call(params, key)) return whole;
    const value = params[key];
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
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
      fail(at, firstLine(error));
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((item, i) => renderTree(item, [...at, i], params, render, fail));
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      let renderedKey = key;
      if (key.includes('{{')) {
        try {
          renderedKey = render(key, params);
        } catch (error) {
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
  generator: unknown,
  index: number,
): { template: Record<string, unknown>; path: JsonPath } | undefined {
  if (!isMap(generator)) return undefined;
  for (const [type, spec] of Object.entries(generator)) {
    if (type !== 'selector' && isMap(spec) && isMap(spec.template))
      return { template: spec.template, path: ['spec', 'generators', index, type, 'template'] };
  }
  return undefined;
}

/** Maps merge key by key; anything else in `override` replaces. */
export function mergeObjects(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null || value === undefined || (typeof value === 'string' && value === '')) continue; // unset template fields do not override
    out[key] = isMap(value) && isMap(out[key]) ? mergeObjects(out[key] as Record<string, unknown>, value) : value;
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
    const tag = text.match(/\{\{.*?\}\}/s)?.[0];
    if (tag) yield [path, tag];
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

function describeParams(params: Params): string {
  const text = JSON.stringify(params);
  return `params ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}

// What the schema rules (scripts/schema/rules/) report: strict schema verdicts, removed and deprecated
// apiVersions for the target Kubernetes version, and problems in the kustomization files themselves.
import { readRepoFile } from '../safe/files.ts';
import path from 'node:path';
import type { Problem } from '../check/contract.ts';
import { parseSourceFile } from '../manifest/source.ts';
import { describeResource, type KubeObject, type RepoContext, type Resource } from '../types.ts';
import { toolRoot } from '../tool.ts';
import { apiVersionStatus } from './apiVersions.ts';
import { checkKustomizationDocument } from './kustomization.ts';
import { crdSchemasOf } from './crds.ts';
import { objectMetaRef, SchemaValidator, type SchemaValidatorOptions, type SchemaVerdict } from './validator.ts';

const validators = new WeakMap<RepoContext, { config: RepoContext['config']; validator: SchemaValidator }>();

/**
 * One validator per context and config. The repository's CRDs (rendered or loose, any app) are
 * schemas too, ahead of schemas/ and the locations (crds.ts).
 */
export function validatorFor(ctx: RepoContext, crds?: { resource: Resource; env?: string }[]): SchemaValidator {
  let validator = validators.get(ctx)?.config === ctx.config ? validators.get(ctx)?.validator : undefined;
  if (!validator) {
    const options: SchemaValidatorOptions = {
      locations: ctx.config?.lint?.schemaLocations ?? [],
      baseDir: ctx.root,
      kubernetesVersion: ctx.kubernetesVersion,
      skipKinds: ctx.config?.lint?.skipKinds ?? [],
      crds: crdSchemasOf(crds ?? expandedResources(ctx).crds, objectMetaRef),
    };
    validator = new SchemaValidator(options);
    validators.set(ctx, { config: ctx.config, validator });
  }
  return validator;
}

/**
 * Every resource of every app, Lists expanded, in order (one array, not one per resource), and the
 * CustomResourceDefinitions among them: the only resources crdSchemasOf gives schemas for. One pass
 * over the objects for both.
 */
function expandedResources(ctx: RepoContext): { resources: Resource[]; crds: { resource: Resource; env?: string }[] } {
  const resources: Resource[] = [];
  const crds: { resource: Resource; env?: string }[] = [];
  const add = (resource: Resource) => {
    resources.push(resource);
    if (resource.object?.kind === 'CustomResourceDefinition') crds.push({ resource, env: resource.origin.env });
  };
  for (const app of ctx.apps)
    for (const resource of app.resources) {
      if (resource.object.kind === 'List') expandListResource(resource).forEach(add);
      else add(resource);
    }
  return { resources, crds };
}

export interface CheckedResource {
  resource: Resource;
  verdict: SchemaVerdict;
}

const verdicts = new WeakMap<RepoContext, { config: RepoContext['config']; run: Promise<SchemaRun> }>();

export interface SchemaRun {
  /** Downloads that failed (URL schema locations). */
  failures: string[];
  checked: CheckedResource[];
}

/** Every resource (Lists expanded) validated once per context, for schema-valid and missing-schema alike. */
export function schemaRun(ctx: RepoContext): Promise<SchemaRun> {
  const cached = verdicts.get(ctx);
  if (cached && cached.config === ctx.config) return cached.run;
  const run = (async () => {
    const { resources, crds } = expandedResources(ctx);
    const validator = validatorFor(ctx, crds);
    // Without a URL location there is nothing to download, and no list of the objects is made for it;
    // still awaited, so the objects are validated after the rules' synchronous pass, as before.
    const failures = await (validator.downloadsSchemas
      ? validator.prefetch(resources.map((resource) => resource.object))
      : []);
    const checked = resources.map((resource) => ({
      resource,
      verdict: validator.validateObject(resource.object, resource.origin.env),
    }));
    return { failures, checked };
  })();
  verdicts.set(ctx, { config: ctx.config, run });
  return run;
}

/** A `kind: List` resource becomes one resource per item, locating fields under `items[i]`. */
export function expandListResource(resource: Resource): Resource[] {
  const object = resource.object;
  if (object.kind !== 'List' || !Array.isArray(object.items)) return [resource];
  return (object.items as KubeObject[]).map((item, index) => ({
    object: item,
    origin: resource.origin,
    locate: (path) => resource.locate(['items', index, ...path]),
  }));
}

/** The schema-valid problems of one verdict: what is wrong in the object, or a schema that cannot be used. */
export function schemaProblems(verdict: SchemaVerdict, resource: Resource): readonly Problem[] {
  switch (verdict.status) {
    case 'valid':
    case 'skipped':
    case 'missing-schema': // the missing-schema rule's, one per kind and version
      // Every object of a run asks, and most pass: no list and no name made for them.
      return NO_PROBLEMS;
    case 'error':
      return [
        {
          resource,
          location: resource.locate(['kind']),
          message: `${describeResource(resource.object)}: the schema ${shortPath(verdict.schema!)} cannot be used: ${verdict.reason}`,
        },
      ];
    case 'invalid': {
      const label = describeResource(resource.object);
      return verdict.errors.map((error) => ({
        resource,
        path: error.path,
        message: `${label}: ${formatPath(error.path)}: ${error.message}`,
      }));
    }
  }
}

const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

/** Objects without a schema, one problem per kind and apiVersion: how many there are, and the first one. */
export function missingSchemaProblems(checked: CheckedResource[]): Problem[] {
  const byKind = new Map<string, { resource: Resource; tried: readonly string[]; count: number }>();
  for (const { resource, verdict } of checked) {
    if (verdict.status !== 'missing-schema') continue;
    const key = `${resource.object.apiVersion}\u0000${resource.object.kind}`;
    const seen = byKind.get(key);
    if (seen) seen.count++;
    else byKind.set(key, { resource, tried: verdict.tried ?? [], count: 1 });
  }
  return [...byKind.values()].map(({ resource, tried, count }) => {
    const { object } = resource;
    const what =
      count === 1
        ? `${describeResource(object)} is not checked`
        : `${count} objects are not checked (the first: ${describeResource(object)})`;
    return {
      resource,
      location: resource.locate(['kind']),
      message: `no schema for kind ${object.kind} (${object.apiVersion}): ${what}; looked in the repository's CRDs, ${tried.map(shortPath).join(', ')}`,
      hint: 'add its CustomResourceDefinition to the repository or a schema location (lint.schemaLocations, --schema-location), or list the kind under lint.skipKinds; --ignore-missing-schemas turns this off',
    };
  });
}

/** A removed or deprecated apiVersion of the resource, for the target Kubernetes version. */
export function apiVersionProblem(
  resource: Resource,
  kubernetesVersion: string,
): { status: 'removed' | 'deprecated'; problem: Problem } | undefined {
  const object = resource.object;
  if (!object.apiVersion || !object.kind) return undefined;
  const status = apiVersionStatus(object.apiVersion, object.kind, kubernetesVersion);
  if (!status) return undefined;
  const { fact } = status;
  const removed = status.status === 'removed';
  return {
    status: status.status,
    problem: {
      resource,
      path: ['apiVersion'],
      message: removed
        ? `${describeResource(object)}: ${object.apiVersion} ${object.kind} was removed in Kubernetes ${fact.removedIn} (target ${kubernetesVersion}); use ${fact.replacement}`
        : `${describeResource(object)}: ${object.apiVersion} ${object.kind} is deprecated since Kubernetes ${fact.deprecatedIn}${fact.removedIn ? ` and removed in ${fact.removedIn}` : ''}; use ${fact.replacement}`,
    },
  };
}

export interface KustomizationFileProblem {
  ruleId: 'kustomization-valid' | 'kustomize-deprecated-fields';
  problem: Problem;
}

/** Unknown and deprecated fields of every kustomization file, computed once per context for both rules. */
const kustomizationCache = new WeakMap<object, KustomizationFileProblem[]>();

export function kustomizationProblems(ctx: Pick<RepoContext, 'root' | 'kustomizations'>): KustomizationFileProblem[] {
  const cached = kustomizationCache.get(ctx);
  if (cached) return cached;
  const problems: KustomizationFileProblem[] = [];
  for (const file of [...ctx.kustomizations].sort()) {
    // Through the one safe reader (a link to a device or out of the repository is not read).
    const read = readRepoFile(ctx.root, file);
    if (!read.ok) continue; // discovery and rendering report unreadable files
    const text = read.text;
    const source = parseSourceFile(text, file);
    for (const document of source.documents) {
      for (const problem of checkKustomizationDocument(document)) {
        const at = document.locate(problem.path);
        problems.push({
          ruleId: problem.ruleId,
          problem: {
            message: `${file}: ${problem.message}`,
            location: { file, line: at.line, column: at.column },
            path: problem.path,
            ...(problem.hint ? { hint: problem.hint } : {}),
          },
        });
      }
    }
  }
  kustomizationCache.set(ctx, problems);
  return problems;
}

/** spec.template.spec.containers[0].image */
export function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, i) =>
      typeof key === 'number'
        ? `[${key}]`
        : /^[A-Za-z_$][\w$-]*$/.test(key)
          ? `${i ? '.' : ''}${key}`
          : `[${JSON.stringify(key)}]`,
    )
    .join('');
}

function shortPath(location: string): string {
  if (/^[a-z]+:\/\//i.test(location)) return location;
  // Relative to the tool, so messages are the same from any working directory.
  const relative = path.relative(toolRoot, location);
  return (relative.startsWith('..') ? location : relative).split(path.sep).join('/');
}

// What the schema rules (scripts/schema/rules/) report: strict schema verdicts, removed and deprecated
// apiVersions for the target Kubernetes version, and problems in the kustomization files themselves.
import fs from 'node:fs';
import path from 'node:path';
import type { Problem } from '../check/contract.ts';
import { parseSourceFile } from '../manifest/source.ts';
import { describeResource, type KubeObject, type RepoContext, type Resource } from '../types.ts';
import { apiVersionStatus } from './apiVersions.ts';
import { checkKustomizationDocument } from './kustomization.ts';
import { SchemaValidator, toolRoot, type SchemaValidatorOptions } from './validator.ts';

const validators = new WeakMap<RepoContext, { config: RepoContext['config']; validator: SchemaValidator }>();

/** One validator per context and config (compiled schemas are cached across runs too: validator.ts). */
export function validatorFor(ctx: RepoContext): SchemaValidator {
  let validator = validators.get(ctx)?.config === ctx.config ? validators.get(ctx)?.validator : undefined;
  if (!validator) {
    const options: SchemaValidatorOptions = {
      locations: ctx.config?.lint?.schemaLocations ?? [],
      baseDir: ctx.root,
      kubernetesVersion: ctx.kubernetesVersion,
      skipKinds: ctx.config?.lint?.skipKinds ?? [],
    };
    validator = new SchemaValidator(options);
    validators.set(ctx, { config: ctx.config, validator });
  }
  return validator;
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

export function schemaProblems(validator: SchemaValidator, resource: Resource): Problem[] {
  const object = resource.object;
  const verdict = validator.validateObject(object);
  const label = describeResource(object);
  switch (verdict.status) {
    case 'valid':
    case 'skipped':
      return [];
    case 'missing-schema':
      return [
        {
          resource,
          location: resource.locate(['kind']),
          message: `${label}: no schema for kind ${object.kind} (${object.apiVersion}); looked in ${verdict.tried!.map(shortPath).join(', ')}`,
          hint: 'add a schema location for it (lint.schemaLocations or --schema-location), or list the kind under lint.skipKinds',
        },
      ];
    case 'error':
      return [
        {
          resource,
          location: resource.locate(['kind']),
          message: `${label}: the schema ${shortPath(verdict.schema!)} cannot be used: ${verdict.reason}`,
        },
      ];
    case 'invalid':
      return verdict.errors.map((error) => ({
        resource,
        path: error.path,
        message: `${label}: ${formatPath(error.path)}: ${error.message}`,
      }));
  }
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
    let text: string;
    try {
      text = fs.readFileSync(path.join(ctx.root, file), 'utf8');
    } catch {
      continue; // discovery and rendering report unreadable files
    }
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

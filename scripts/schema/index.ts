// The schema stage: strict schema validation (kubeconform's verdicts), removed and deprecated
// apiVersions for the target Kubernetes version, and checks of the kustomization files themselves.
import fs from 'node:fs';
import path from 'node:path';
import { parseSourceFile } from '../manifest/source.ts';
import {
  describeResource,
  resourceRef,
  type Checker,
  type Finding,
  type KubeObject,
  type RepoContext,
  type Resource,
  type RuleMeta,
} from '../types.ts';
import { apiVersionStatus } from './apiVersions.ts';
import { checkKustomizationDocument } from './kustomization.ts';
import { SchemaValidator, toolRoot, type SchemaValidatorOptions } from './validator.ts';

export { SchemaValidator, expandLists, validateYamlStream, type SchemaVerdict, type SchemaError } from './validator.ts';
export { apiVersionStatus, API_VERSION_FACTS } from './apiVersions.ts';

export const schemaRules: RuleMeta[] = [
  {
    id: 'schema-valid',
    description:
      'Every resource matches its Kubernetes or CRD JSON schema, strictly (unknown fields are errors), like kubeconform -strict.',
    defaultSeverity: 'error',
    category: 'api',
    docs: [
      'Each rendered resource is validated against the JSON schema of its kind and apiVersion: the built-in `schemas/`',
      '(Kubernetes and the common CRDs), then the `lint.schemaLocations` of gitops.yaml in order. Unknown fields are',
      'errors, because the API server drops them silently: a misspelled `readinesProbe` means no readiness probe at all.',
      '',
      'A kind with no schema anywhere is an error too; add a schema location for it, or list it under `lint.skipKinds`.',
    ].join('\n'),
    examples: {
      bad: 'containers:\n  - name: web\n    readinesProbe:   # typo: the probe is ignored\n      httpGet: { path: /ready, port: 8080 }',
      good: 'containers:\n  - name: web\n    readinessProbe:\n      httpGet: { path: /ready, port: 8080 }',
    },
  },
  {
    id: 'api-removed',
    description: 'The apiVersion of a resource is no longer served by the target Kubernetes version.',
    defaultSeverity: 'error',
    category: 'api',
    docs: 'Kubernetes removes beta APIs a few releases after their replacement is stable. A resource with a removed apiVersion fails to apply, so Argo CD cannot sync it. The finding names the replacement apiVersion; the target version is `kubernetesVersion` in gitops.yaml.',
    examples: {
      bad: 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget',
      good: 'apiVersion: policy/v1\nkind: PodDisruptionBudget',
    },
  },
  {
    id: 'api-deprecated',
    description: 'The apiVersion of a resource is deprecated in the target Kubernetes version and will be removed.',
    defaultSeverity: 'warning',
    category: 'api',
    docs: 'A deprecated apiVersion still works, but a later Kubernetes release removes it. Move to the replacement the finding names before upgrading the cluster.',
    examples: {
      bad: 'apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler',
      good: 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler',
    },
  },
  {
    id: 'kustomize-deprecated-fields',
    description:
      'A kustomization uses a field kustomize v5 deprecates (bases, patchesStrategicMerge, patchesJson6902, commonLabels, vars, imageTags).',
    defaultSeverity: 'warning',
    category: 'files',
    docs: 'Argo CD ships kustomize v5, which warns about these fields and will drop them. `kustomize edit fix` rewrites most of them. Note that `commonLabels` also changes selectors: its replacement is `labels` with `includeSelectors: true`.',
    examples: {
      bad: 'bases:\n  - ../../base\npatchesStrategicMerge:\n  - replicas.yaml',
      good: 'resources:\n  - ../../base\npatches:\n  - path: replicas.yaml',
    },
  },
  {
    id: 'kustomization-valid',
    description: 'A kustomization file has only fields kustomize knows.',
    defaultSeverity: 'error',
    category: 'files',
    docs: 'kustomize v5 rejects unknown fields in kustomization.yaml, so a typo such as `resource:` or `pathces:` makes the whole app fail to render in Argo CD.',
    examples: { bad: 'resource:\n  - deployment.yaml', good: 'resources:\n  - deployment.yaml' },
  },
];

export const schemaChecker: Checker = {
  name: 'schema',
  rules: schemaRules,
  async check(ctx: RepoContext): Promise<Finding[]> {
    const validator = validatorFor(ctx);
    const resources = ctx.apps.flatMap((app) => app.resources.map((resource) => ({ app: app.id, resource })));
    const findings: Finding[] = [];
    const failures = await validator.prefetch(resources.map((r) => r.resource.object));
    for (const failure of failures) {
      findings.push({
        ruleId: 'schema-valid',
        severity: 'error',
        message: `could not download a schema: ${failure}`,
        file: 'gitops.yaml',
        hint: 'check lint.schemaLocations, or run once with network access to fill the cache',
      });
    }
    for (const { app, resource } of resources) {
      for (const item of expandListResource(resource)) {
        findings.push(...schemaFindings(validator, item, app), ...apiVersionFindings(item, app, ctx.kubernetesVersion));
      }
    }
    findings.push(...kustomizationFindings(ctx));
    return findings;
  },
};

function validatorFor(ctx: RepoContext): SchemaValidator {
  const options: SchemaValidatorOptions = {
    locations: ctx.config?.lint?.schemaLocations ?? [],
    baseDir: ctx.root,
    kubernetesVersion: ctx.kubernetesVersion,
    skipKinds: ctx.config?.lint?.skipKinds ?? [],
  };
  return new SchemaValidator(options);
}

/** A `kind: List` resource becomes one resource per item, locating fields under `items[i]`. */
function expandListResource(resource: Resource): Resource[] {
  const object = resource.object;
  if (object.kind !== 'List' || !Array.isArray(object.items)) return [resource];
  return (object.items as KubeObject[]).map((item, index) => ({
    object: item,
    origin: resource.origin,
    locate: (path) => resource.locate(['items', index, ...path]),
  }));
}

export function schemaFindings(validator: SchemaValidator, resource: Resource, app: string): Finding[] {
  const object = resource.object;
  const verdict = validator.validateObject(object);
  const base = {
    ruleId: 'schema-valid',
    severity: 'error' as const,
    app,
    ...(resource.origin.env ? { env: resource.origin.env } : {}),
    resource: resourceRef(object),
  };
  const label = describeResource(object);
  switch (verdict.status) {
    case 'valid':
    case 'skipped':
      return [];
    case 'missing-schema': {
      const at = resource.locate(['kind']);
      return [
        {
          ...base,
          ...at,
          message: `${label}: no schema for kind ${object.kind} (${object.apiVersion}); looked in ${verdict.tried!.map(shortPath).join(', ')}`,
          hint: 'add a schema location for it (lint.schemaLocations or --schema-location), or list the kind under lint.skipKinds',
        },
      ];
    }
    case 'error':
      return [
        {
          ...base,
          ...resource.locate(['kind']),
          message: `${label}: the schema ${shortPath(verdict.schema!)} cannot be used: ${verdict.reason}`,
        },
      ];
    case 'invalid':
      return verdict.errors.map((error) => ({
        ...base,
        ...resource.locate(error.path),
        path: error.path,
        message: `${label}: ${formatPath(error.path)}: ${error.message}`,
      }));
  }
}

export function apiVersionFindings(resource: Resource, app: string, kubernetesVersion: string): Finding[] {
  const object = resource.object;
  if (!object.apiVersion || !object.kind) return [];
  const status = apiVersionStatus(object.apiVersion, object.kind, kubernetesVersion);
  if (!status) return [];
  const { fact } = status;
  const removed = status.status === 'removed';
  return [
    {
      ruleId: removed ? 'api-removed' : 'api-deprecated',
      severity: removed ? 'error' : 'warning',
      app,
      ...(resource.origin.env ? { env: resource.origin.env } : {}),
      resource: resourceRef(object),
      ...resource.locate(['apiVersion']),
      path: ['apiVersion'],
      message: removed
        ? `${describeResource(object)}: ${object.apiVersion} ${object.kind} was removed in Kubernetes ${fact.removedIn} (target ${kubernetesVersion}); use ${fact.replacement}`
        : `${describeResource(object)}: ${object.apiVersion} ${object.kind} is deprecated since Kubernetes ${fact.deprecatedIn}${fact.removedIn ? ` and removed in ${fact.removedIn}` : ''}; use ${fact.replacement}`,
    },
  ];
}

export function kustomizationFindings(ctx: Pick<RepoContext, 'root' | 'kustomizations'>): Finding[] {
  const findings: Finding[] = [];
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
        findings.push({
          ruleId: problem.ruleId,
          severity: problem.ruleId === 'kustomization-valid' ? 'error' : 'warning',
          message: `${file}: ${problem.message}`,
          file,
          line: at.line,
          column: at.column,
          path: problem.path,
          ...(problem.hint ? { hint: problem.hint } : {}),
        });
      }
    }
  }
  return findings;
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

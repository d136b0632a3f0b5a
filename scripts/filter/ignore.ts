// Ignore annotations: `ignore-check.gitops.dev/<ruleId>: "<reason>"` on a resource turns that rule's
// findings off for that resource. The reason is required; without one nothing is suppressed.
import type { Problem } from '../check/contract.ts';
import { resourceRef, type Finding, type RepoContext, type ResourceRef } from '../types.ts';

export const IGNORE_ANNOTATION_PREFIX = 'ignore-check.gitops.dev/';

export interface IgnoreIndex {
  isIgnored(finding: Finding): boolean;
}

/**
 * Which findings the annotations suppress. Annotations with a problem (see annotationProblems) suppress nothing.
 *
 * A finding names its resource by identity (kind, namespace, name), so an annotation counts only when
 * every object of that identity carries it: a directory source may hold two files with one identity
 * (Argo CD deploys one of them), and the harmless, annotated copy must not switch a rule off for the
 * other one.
 */
export function ignoreIndex(ctx: RepoContext): IgnoreIndex {
  // "app\0kind\0namespace\0name" → how many objects have that identity, and per rule how many of them
  // carry a valid annotation for it. A finding without an app (cross-app rules) matches the resource in
  // any app, under the key with an empty app.
  const annotated = new Map<string, Map<string, number>>();
  for (const { app, resource, ruleId, reason } of ignoreAnnotations(ctx)) {
    if (annotationProblem(ruleId, reason)) continue;
    for (const appKey of [app, '']) {
      const indexKey = keyOf(appKey, resourceRef(resource.object));
      const rules = annotated.get(indexKey) ?? new Map<string, number>();
      rules.set(ruleId, (rules.get(ruleId) ?? 0) + 1);
      annotated.set(indexKey, rules);
    }
  }
  // Most repositories carry no ignore annotation: then no key per object, nor one per finding.
  if (annotated.size === 0) return { isIgnored: () => false };
  const objects = new Map<string, number>();
  for (const app of ctx.apps) {
    for (const resource of app.resources) {
      for (const appKey of [app.id, '']) {
        const indexKey = keyOf(appKey, resourceRef(resource.object));
        if (annotated.has(indexKey)) objects.set(indexKey, (objects.get(indexKey) ?? 0) + 1);
      }
    }
  }
  return {
    isIgnored(finding) {
      if (!finding.resource) return false;
      const indexKey = keyOf(finding.app ?? '', finding.resource);
      const carrying = annotated.get(indexKey)?.get(finding.ruleId) ?? 0;
      return carrying > 0 && carrying === objects.get(indexKey);
    },
  };
}

export interface AnnotationProblem {
  ruleId: 'ignore-reason-missing' | 'ignore-annotation-invalid';
  problem: Problem;
}

/**
 * Annotations without a reason, naming "all", or naming no rule of `ruleIds` (a typo suppresses
 * nothing), on the annotation's line. The rules ignore-reason-missing and ignore-annotation-invalid report them.
 */
export function annotationProblems(ctx: RepoContext, ruleIds: ReadonlySet<string>): AnnotationProblem[] {
  const problems: AnnotationProblem[] = [];
  for (const { app, env, resource, key, ruleId, reason } of ignoreAnnotations(ctx)) {
    const found = annotationProblem(ruleId, reason, ruleIds);
    if (!found) continue;
    problems.push({
      ruleId: found.ruleId,
      problem: {
        resource,
        path: ['metadata', 'annotations', key],
        message: found.message,
        app,
        ...(env !== undefined ? { env } : {}),
      },
    });
  }
  return problems;
}

interface IgnoreAnnotation {
  app: string;
  env?: string;
  resource: RepoContext['apps'][number]['resources'][number];
  key: string;
  ruleId: string;
  reason: unknown;
}

function ignoreAnnotations(ctx: RepoContext): IgnoreAnnotation[] {
  const found: IgnoreAnnotation[] = [];
  for (const app of ctx.apps) {
    for (const resource of app.resources) {
      const annotations = resource.object.metadata?.annotations;
      if (!annotations || typeof annotations !== 'object') continue;
      for (const key of Object.keys(annotations).sort()) {
        if (!key.startsWith(IGNORE_ANNOTATION_PREFIX)) continue;
        const env = app.env ?? resource.origin.env;
        found.push({
          app: app.id,
          ...(env !== undefined ? { env } : {}),
          resource,
          key,
          ruleId: key.slice(IGNORE_ANNOTATION_PREFIX.length),
          reason: annotations[key],
        });
      }
    }
  }
  return found;
}

function annotationProblem(
  ruleId: string,
  reason: unknown,
  ruleIds?: ReadonlySet<string>,
): { ruleId: AnnotationProblem['ruleId']; message: string } | undefined {
  const annotation = `${IGNORE_ANNOTATION_PREFIX}${ruleId}`;
  if (ruleId === 'all') {
    return {
      ruleId: 'ignore-annotation-invalid',
      message: `${annotation} is not supported; name each rule to ignore with its own reason, or exclude the file with lint.ignorePaths.`,
    };
  }
  if (ruleId === '' || (ruleIds && !ruleIds.has(ruleId))) {
    return {
      ruleId: 'ignore-annotation-invalid',
      message: `${annotation} names no known rule, so it suppresses nothing; \`gitops rules\` lists the rule ids.`,
    };
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    return {
      ruleId: 'ignore-reason-missing',
      message: `${annotation} has no reason, so ${ruleId} is not ignored; write why as the annotation's value.`,
    };
  }
  return undefined;
}

/** apiVersion is left out on purpose: api-removed and api-deprecated findings name the old one. */
function keyOf(app: string, ref: ResourceRef): string {
  return [app, ref.kind, ref.namespace ?? '', ref.name].join('\0');
}

// Ignore annotations: `ignore-check.gitops.dev/<ruleId>: "<reason>"` on a resource turns that rule's
// findings off for that resource. The reason is required; without one nothing is suppressed.
import { resourceRef, type App, type Finding, type RepoContext, type Resource, type ResourceRef } from '../types.ts';
import { IGNORE_ANNOTATION_PREFIX, ignoreAnnotationInvalid, ignoreReasonMissing } from './rules.ts';

export interface IgnoreIndex {
  isIgnored(finding: Finding): boolean;
  /** Annotations without a reason or naming no known rule, as findings on the annotation's line. */
  problems: Finding[];
}

/**
 * @param knownRuleIds when given, an annotation naming another rule is reported (a typo suppresses nothing).
 */
export function ignoreIndex(ctx: RepoContext, knownRuleIds?: ReadonlySet<string>): IgnoreIndex {
  // "app\0kind\0namespace\0name" → rules ignored there. A finding without an app (cross-app rules)
  // matches the resource in any app, under the key with an empty app.
  const ignored = new Map<string, Set<string>>();
  const problems: Finding[] = [];
  for (const app of ctx.apps) {
    for (const resource of app.resources) {
      const annotations = resource.object.metadata?.annotations;
      if (!annotations || typeof annotations !== 'object') continue;
      for (const key of Object.keys(annotations).sort()) {
        if (!key.startsWith(IGNORE_ANNOTATION_PREFIX)) continue;
        const ruleId = key.slice(IGNORE_ANNOTATION_PREFIX.length);
        const reason = annotations[key];
        const problem = annotationProblem(ruleId, reason, knownRuleIds);
        if (problem) {
          problems.push(findingOn(resource, app, key, problem));
          continue;
        }
        for (const appKey of [app.id, '']) {
          const indexKey = keyOf(appKey, resourceRef(resource.object));
          const rules = ignored.get(indexKey) ?? new Set<string>();
          rules.add(ruleId);
          ignored.set(indexKey, rules);
        }
      }
    }
  }
  return {
    problems,
    isIgnored(finding) {
      if (!finding.resource) return false;
      return ignored.get(keyOf(finding.app ?? '', finding.resource))?.has(finding.ruleId) ?? false;
    },
  };
}

function annotationProblem(ruleId: string, reason: unknown, knownRuleIds?: ReadonlySet<string>) {
  const annotation = `${IGNORE_ANNOTATION_PREFIX}${ruleId}`;
  if (ruleId === 'all') {
    return {
      rule: ignoreAnnotationInvalid,
      message: `${annotation} is not supported; name each rule to ignore with its own reason, or exclude the file with lint.ignorePaths.`,
    };
  }
  if (ruleId === '' || (knownRuleIds && !knownRuleIds.has(ruleId))) {
    return {
      rule: ignoreAnnotationInvalid,
      message: `${annotation} names no known rule, so it suppresses nothing; \`gitops rules\` lists the rule ids.`,
    };
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    return {
      rule: ignoreReasonMissing,
      message: `${annotation} has no reason, so ${ruleId} is not ignored; write why as the annotation's value.`,
    };
  }
  return undefined;
}

function findingOn(
  resource: Resource,
  app: App,
  key: string,
  problem: { rule: typeof ignoreReasonMissing; message: string },
): Finding {
  const at = resource.locate(['metadata', 'annotations', key]);
  return {
    ruleId: problem.rule.id,
    severity: problem.rule.defaultSeverity,
    message: problem.message,
    file: at.file,
    ...(at.line ? { line: at.line } : {}),
    ...(at.column ? { column: at.column } : {}),
    ...((app.env ?? resource.origin.env) ? { env: app.env ?? resource.origin.env } : {}),
    app: app.id,
    resource: resourceRef(resource.object),
    path: ['metadata', 'annotations', key],
  };
}

/** apiVersion is left out on purpose: api-removed and api-deprecated findings name the old one. */
function keyOf(app: string, ref: ResourceRef): string {
  return [app, ref.kind, ref.namespace ?? '', ref.name].join('\0');
}

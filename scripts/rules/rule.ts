// What a rule is: metadata first, then a small pure check, like an ESLint rule module.
// A rule sees one of three scopes; the runner (index.ts) calls it once per thing in scope.
import type { App, Finding, JsonPath, RepoContext, Resource, RuleMeta } from '../types.ts';
import { resourceRef } from '../types.ts';

interface RuleBase {
  meta: RuleMeta;
}

/** Checks one resource at a time; `app` is the rendered app it belongs to, for lookups. */
export interface ResourceRule extends RuleBase {
  scope: 'resource';
  check(ctx: RepoContext, resource: Resource, app: App): Finding[];
}

/** Checks one rendered app as a whole (objects that must agree with each other). */
export interface AppRule extends RuleBase {
  scope: 'app';
  check(ctx: RepoContext, app: App): Finding[];
}

/** Checks the whole repository (across apps and environments). */
export interface RepositoryRule extends RuleBase {
  scope: 'repository';
  check(ctx: RepoContext): Finding[];
}

export type Rule = ResourceRule | AppRule | RepositoryRule;

/**
 * A finding on the field a person edits: `resource.locate(path)` gives the overlay patch that set
 * the value, or the base file. env and app come from where the resource was rendered.
 */
export function findingAt(meta: RuleMeta, resource: Resource, path: JsonPath, message: string, hint?: string): Finding {
  const location = resource.locate(path);
  const finding: Finding = {
    ruleId: meta.id,
    severity: meta.defaultSeverity,
    message,
    file: location.file,
  };
  if (location.line !== undefined) finding.line = location.line;
  if (location.column !== undefined) finding.column = location.column;
  if (resource.origin.env !== undefined) finding.env = resource.origin.env;
  finding.app = resource.origin.app;
  finding.resource = resourceRef(resource.object);
  finding.path = path;
  if (hint) finding.hint = hint;
  return finding;
}

/** The `options` gitops.yaml gives a rule (lint.rules.<id>.options), or an empty object. */
export function ruleOptions(ctx: RepoContext, id: string): Record<string, unknown> {
  const setting = ctx.config?.lint?.rules?.[id];
  if (setting && typeof setting === 'object' && setting.options && typeof setting.options === 'object')
    return setting.options;
  return {};
}

// The rule contract: every check of every family (policy rules, Argo CD, schemas, the pipeline's own
// render and YAML findings, the filter's) is one module whose default export is `defineRule({ meta, check })`,
// like an ESLint rule module. `meta` says what the rule is (id, category, severity, docs, scope, options);
// `check` looks at one thing of its scope and reports problems through its context. It never builds a
// Finding: the engine (engine.ts) does, with the severity from meta, so every family reads the same way.
import type {
  App,
  JsonPath,
  RepoContext,
  Resource,
  ResourceRef,
  RuleMeta,
  RuleScope,
  Severity,
  SourceLocation,
} from '../types.ts';

export type { RuleMeta, RuleScope, RuleDocs, RuleExamples } from '../types.ts';

/**
 * What a finding is about when it is not a Resource of the RepoContext: an Argo CD Application that an
 * ApplicationSet generates (it lands on the ApplicationSet's lines), for instance.
 */
export interface Subject {
  ref: ResourceRef;
  /** Where a person edits the field at `path`. */
  locate(path: JsonPath): SourceLocation;
  env?: string;
  app?: string;
}

/** One problem a check reports. The engine turns it into a Finding. */
export interface Problem {
  /** One sentence a person can act on. Never contains a secret's value. */
  message: string;
  /** What to do about it, when the message alone does not say. */
  hint?: string;
  /** The object the problem is about; the finding's resource, env, app and location come from it. */
  resource?: Resource | Subject;
  /** The field the problem is about: the finding lands where a person edits it (`resource.locate(path)`). */
  path?: JsonPath;
  /** Where the finding lands when that is not the field `path` of `resource` (a kustomization, gitops.yaml). */
  location?: SourceLocation;
  /** The environment and app, when `resource` does not give them or gives the wrong ones. */
  env?: string;
  app?: string;
  /**
   * Only to lower a finding to context (`info`) below the rule's severity, e.g. "not checked offline".
   * gitops.yaml's `lint.rules` setting still wins.
   */
  severity?: Severity;
}

interface BaseContext {
  /** Everything discovery, rendering and parsing produced. Checks read it and nothing else. */
  repo: RepoContext;
  /** The rule's `lint.rules.<id>.options` from gitops.yaml (validated against meta.options), or {}. */
  options: Readonly<Record<string, unknown>>;
  /** Every rule id of this run (built-in and plugins), for checks about rule names. */
  ruleIds: ReadonlySet<string>;
  report(problem: Problem): void;
}

/** A 'repository' rule is called once with the whole repository (cross-app and cross-environment checks). */
export type RepositoryContext = BaseContext;

/** An 'app' rule is called once per rendered app (objects that must agree with each other). */
export interface AppContext extends BaseContext {
  app: App;
}

/** A 'resource' rule is called once per resource of each app; `app` is the app that rendered it, for lookups. */
export interface ResourceContext extends AppContext {
  resource: Resource;
}

export interface ContextOf {
  resource: ResourceContext;
  app: AppContext;
  repository: RepositoryContext;
}

/** A check may be asynchronous (the schema rule downloads schemas); most are not. */
export type CheckResult = void | Promise<void>;

export interface RuleDefinition<S extends RuleScope> {
  meta: RuleMeta & { scope: S };
  check(context: ContextOf[S]): CheckResult;
}

/** A rule as the registry and the engine hold it. */
export interface Rule {
  readonly meta: RuleMeta;
  check(context: ResourceContext & AppContext & RepositoryContext): CheckResult;
}

export const RULE_SCOPES: readonly RuleScope[] = ['resource', 'app', 'repository'];
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Declares a rule. Throws at import time when the meta is incomplete, so a broken rule never loads. */
export function defineRule<S extends RuleScope>(definition: RuleDefinition<S>): Rule {
  const problems = ruleShapeProblems(definition);
  if (problems.length > 0) throw new Error(`invalid rule ${describeCandidate(definition)}: ${problems.join('; ')}`);
  return Object.freeze({ meta: definition.meta, check: definition.check as Rule['check'] });
}

/** What is wrong with something that should be a rule (a plugin's export, a file in a rules folder). */
export function ruleShapeProblems(candidate: unknown): string[] {
  if (typeof candidate !== 'object' || candidate === null) return ['not an object with meta and check'];
  const { meta, check } = candidate as { meta?: Partial<RuleMeta>; check?: unknown };
  const problems: string[] = [];
  if (typeof check !== 'function') problems.push('check is not a function');
  if (typeof meta !== 'object' || meta === null) return [...problems, 'meta is missing'];
  // The id is also the name part of an ignore annotation (ignore-check.gitops.dev/<id>): at most 63 characters.
  if (typeof meta.id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(meta.id) || meta.id.length > 63)
    problems.push('meta.id must be lower-case words joined by "-", at most 63 characters');
  if (typeof meta.description !== 'string' || meta.description.trim() === '')
    problems.push('meta.description is missing');
  if (typeof meta.category !== 'string' || meta.category === '') problems.push('meta.category is missing');
  if (!SEVERITIES.includes(meta.defaultSeverity as Severity))
    problems.push(`meta.defaultSeverity must be one of ${SEVERITIES.join(', ')}`);
  if (!RULE_SCOPES.includes(meta.scope as RuleScope))
    problems.push(`meta.scope must be one of ${RULE_SCOPES.join(', ')}`);
  if (meta.reach !== undefined && (meta.reach !== 'scope' || meta.scope === 'repository'))
    problems.push("meta.reach is 'scope' (a resource or app rule that reads only its app's scope) or absent");
  if (
    meta.kinds !== undefined &&
    (meta.scope !== 'resource' ||
      !Array.isArray(meta.kinds) ||
      meta.kinds.length === 0 ||
      !meta.kinds.every((kind) => typeof kind === 'string' && kind !== ''))
  )
    problems.push('meta.kinds is a list of object kinds (a resource rule called on those only) or absent');
  const docs = meta.docs as Partial<RuleMeta['docs']> | undefined;
  if (typeof docs !== 'object' || docs === null || typeof docs.why !== 'string' || typeof docs.fix !== 'string')
    problems.push('meta.docs needs why and fix (Markdown)');
  if (meta.options !== undefined && (typeof meta.options !== 'object' || meta.options === null))
    problems.push('meta.options must be a JSON schema object');
  return problems;
}

function describeCandidate(candidate: unknown): string {
  const id = (candidate as { meta?: { id?: unknown } } | null)?.meta?.id;
  return typeof id === 'string' ? `"${id}"` : '(no id)';
}

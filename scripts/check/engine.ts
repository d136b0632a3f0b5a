// The one engine: runs rules of every family over a RepoContext. Each rule is called once per thing in
// its scope (each resource of each app, each app, or the repository), reports through its context, and
// is isolated: a rule that throws becomes one internal-error finding naming the rule and what it was
// checking, the other rules' findings stay, and the run records a fault (the CLI exits 2).
import { compareFindings } from '../finding-order.ts';
import { releaseScope, scopeOf } from '../kube/workloads.ts';
import { describeResource, type App, type Finding, type RepoContext, type Resource } from '../types.ts';
import type { Problem, Rule } from './contract.ts';
import { buildFinding, SharedPieces } from './finding.ts';
import internalError from './rules/internal-error.ts';

export interface RunOptions {
  /** The rules to run, in any order (findings come back in the one order). */
  rules: readonly Rule[];
  /** Measure each rule's time (`--timing`). */
  timing?: boolean;
  /** Every rule id of the run, for checks about rule names; default: the ids of `rules`. */
  ruleIds?: Iterable<string>;
}

/** A rule that threw: the run reports it as an internal-error finding and exits 2. */
export interface RuleFault {
  ruleId: string;
  message: string;
  /** What was thrown (its stack is printed with --debug). */
  error: unknown;
}

export interface RuleTiming {
  ruleId: string;
  /** Time spent in the rule's check (the synchronous part), in milliseconds. */
  ms: number;
  /** How many times the check was called (once per thing in its scope). */
  calls: number;
}

export interface RunResult {
  findings: Finding[];
  faults: RuleFault[];
  /** One entry per rule when `timing` was asked, slowest first; empty otherwise. */
  timings: RuleTiming[];
}

/** Runs the rules; asynchronous checks (schema downloads) are awaited. */
export async function runRules(ctx: RepoContext, options: RunOptions): Promise<RunResult> {
  const run = startRun(ctx, options);
  run.repositoryWide();
  run.scopeRules();
  await Promise.all(run.pending);
  return run.finish();
}

/** The same for callers that know every check is synchronous (tests, benchmarks); throws otherwise. */
export function runRulesSync(ctx: RepoContext, options: RunOptions): RunResult {
  const run = startRun(ctx, options);
  run.repositoryWide();
  run.scopeRules();
  if (run.pending.length > 0) throw new Error(`runRulesSync: ${run.asyncRules().join(', ')} check asynchronously`);
  return run.finish();
}

interface Crash {
  /** "Deployment/shop/web in apps/web", or undefined for a repository rule. */
  where?: string;
  resource?: Resource;
  app?: App;
  error: unknown;
}

interface RuleState {
  rule: Rule;
  crashes: Crash[];
  ms: number;
  calls: number;
  async: boolean;
}

function startRun(ctx: RepoContext, options: RunOptions) {
  const ruleIds: ReadonlySet<string> = new Set(options.ruleIds ?? options.rules.map((rule) => rule.meta.id));
  const pending: Promise<void>[] = [];
  const states: RuleState[] = [];
  // Every rule's findings in the order they were reported: resource by resource, so nearly in the one
  // order already (the sort below finds runs). Ties in that order need the same rule, and each rule's
  // findings keep the order of its own calls, so the sorted result is what sorting rule by rule gave.
  const findings: Finding[] = [];
  const shared = new SharedPieces();
  // Two passes: the repository rules and the resource and app rules that read across scopes, then the
  // scope rules (meta.reach), which need nothing of other scopes: the seam where a run can check a
  // batch of scopes and let it go, or hand scopes to workers (docs/architecture.md, "Performance").
  type Call = (context: { app?: App; resource?: Resource }) => void;
  const repositoryCalls: Call[] = [];
  const wide = new Pass<Call>();
  const local = new Pass<Call>();
  for (const rule of options.rules) {
    const state: RuleState = { rule, crashes: [], ms: 0, calls: 0, async: false };
    states.push(state);
    const pieces = shared.forRule();
    const base = {
      repo: ctx,
      options: ruleOptions(ctx, rule.meta.id),
      ruleIds,
      report: (problem: Problem) => void findings.push(buildFinding(rule.meta, problem, pieces)),
    };
    const { repo, options: ruleOptionsOf, report } = base;
    const { scope: ruleScope, reach } = rule.meta;
    const call: Call = ({ app, resource }) => {
      // A literal of one shape per scope, not a spread: this runs once per rule and resource.
      const context: typeof base & { app?: App; resource?: Resource } =
        rule.meta.scope === 'resource'
          ? { repo, options: ruleOptionsOf, ruleIds, report, app, resource }
          : rule.meta.scope === 'app'
            ? { repo, options: ruleOptionsOf, ruleIds, report, app }
            : base;
      const started = options.timing ? performance.now() : 0;
      try {
        const result = rule.check(context as Parameters<Rule['check']>[0]);
        if (result && typeof (result as Promise<void>).then === 'function') {
          state.async = true;
          pending.push(
            (result as Promise<void>).catch((error: unknown) => void state.crashes.push(crash(context, error))),
          );
        }
      } catch (error) {
        state.crashes.push(crash(context, error));
      }
      if (options.timing) {
        state.ms += performance.now() - started;
        state.calls++;
      }
    };
    if (ruleScope === 'repository') repositoryCalls.push(call);
    else (reach === 'scope' ? local : wide).add(ruleScope, call, rule.meta.kinds);
  }
  // Resource by resource, every rule of a pass on it while it is in the processor's cache (one pass over
  // the objects instead of one per rule). Each rule runs in one pass and its findings keep the order of
  // its own calls, so the sorted result does not depend on the passes.
  const visit = (app: App, pass: Pass<Call>) => {
    for (const call of pass.app) call({ app });
    if (!pass.hasResourceRules) return;
    for (const resource of app.resources) {
      const calls = pass.forKind(resource.object.kind);
      if (calls.length === 0) continue;
      const scope = { app, resource };
      for (const call of calls) call(scope);
    }
  };
  return {
    pending,
    repositoryWide() {
      for (const call of repositoryCalls) call({});
      if (wide.app.length > 0 || wide.hasResourceRules) for (const app of ctx.apps) visit(app, wide);
    },
    /** The scope rules, app by app in the one order; a scope's derived facts go after its last app. */
    scopeRules() {
      const members = new Map<string, App[]>();
      for (const app of ctx.apps) {
        const list = members.get(scopeOf(app));
        if (list) list.push(app);
        else members.set(scopeOf(app), [app]);
      }
      const left = new Map([...members].map(([scope, apps]) => [scope, apps.length]));
      for (const app of ctx.apps) {
        visit(app, local);
        const scope = scopeOf(app);
        const remaining = left.get(scope)! - 1;
        left.set(scope, remaining);
        if (remaining === 0) releaseScope(ctx.apps, members.get(scope)!);
      }
    },
    asyncRules: () => states.filter((state) => state.async).map((state) => state.rule.meta.id),
    finish(): RunResult {
      const faults: RuleFault[] = [];
      for (const state of states) {
        if (state.crashes.length === 0) continue;
        const { finding, fault } = crashFinding(state.rule, state.crashes);
        findings.push(finding);
        faults.push(fault);
      }
      const timings = options.timing
        ? states.map((state) => ({ ruleId: state.rule.meta.id, ms: state.ms, calls: state.calls })).sort(slowestFirst)
        : [];
      return { findings: findings.sort(compareFindings), faults, timings }; // the run's own list: sorted in place
    },
  };
}

/**
 * One pass's calls: the app rules, and the resource rules by the kinds they judge (meta.kinds), so an
 * object meets only the rules that can report on it, in the order the rules were given.
 */
class Pass<Call> {
  readonly app: Call[] = [];
  private readonly resource: { call: Call; kinds: ReadonlySet<string> | undefined }[] = [];
  private readonly byKind = new Map<string, Call[]>();

  add(scope: 'app' | 'resource', call: Call, kinds: readonly string[] | undefined): void {
    if (scope === 'app') this.app.push(call);
    else this.resource.push({ call, kinds: kinds && new Set(kinds) });
  }

  get hasResourceRules(): boolean {
    return this.resource.length > 0;
  }

  /** The resource rules for an object of this kind (worked out once per kind). */
  forKind(kind: unknown): Call[] {
    const key = typeof kind === 'string' ? kind : '';
    let calls = this.byKind.get(key);
    if (!calls) {
      calls = this.resource.filter(({ kinds }) => !kinds || kinds.has(key)).map(({ call }) => call);
      this.byKind.set(key, calls);
    }
    return calls;
  }
}

function slowestFirst(a: RuleTiming, b: RuleTiming): number {
  return b.ms - a.ms || (a.ruleId < b.ruleId ? -1 : 1);
}

/** Several runs' timings (one per folder of a command line) as one row per rule, slowest first. */
export function sumTimings(runs: readonly (readonly RuleTiming[])[]): RuleTiming[] {
  const byRule = new Map<string, RuleTiming>();
  for (const timings of runs)
    for (const { ruleId, ms, calls } of timings) {
      const known = byRule.get(ruleId);
      if (known) {
        known.ms += ms;
        known.calls += calls;
      } else byRule.set(ruleId, { ruleId, ms, calls });
    }
  return [...byRule.values()].sort(slowestFirst);
}

function crash(context: { app?: App; resource?: Resource }, error: unknown): Crash {
  const { app, resource } = context;
  const where = resource ? `${describeResource(resource.object)} in ${app?.id}` : app ? `app ${app.id}` : undefined;
  return { ...(where ? { where } : {}), ...(resource ? { resource } : {}), ...(app ? { app } : {}), error };
}

/** One internal-error finding per crashed rule, on the first thing it crashed on. */
function crashFinding(rule: Rule, crashes: Crash[]): { finding: Finding; fault: RuleFault } {
  const [first] = crashes;
  const reason = first.error instanceof Error ? first.error.message : String(first.error);
  const more = crashes.length > 1 ? ` (and on ${crashes.length - 1} more)` : '';
  const message = `the ${rule.meta.id} rule crashed${first.where ? ` on ${first.where}` : ''}${more}: ${reason}; its findings are incomplete, please report it`;
  const problem: Problem = { message };
  if (first.resource) {
    problem.resource = first.resource;
    problem.location = safeLocation(first.resource);
  } else if (first.app) {
    problem.app = first.app.id;
    if (first.app.env !== undefined) problem.env = first.app.env;
    problem.location = { file: first.app.id };
  }
  return {
    finding: buildFinding(internalError.meta, problem),
    fault: { ruleId: rule.meta.id, message, error: first.error },
  };
}

/** The resource's own place; a resource whose locate throws (the crash may be there) falls back to its origin. */
function safeLocation(resource: Resource) {
  try {
    return resource.locate([]);
  } catch {
    return {
      file: resource.origin.file,
      ...(resource.origin.line !== undefined ? { line: resource.origin.line } : {}),
    };
  }
}

/** The `options` gitops.yaml gives a rule (lint.rules.<id>.options), or an empty object. */
export function ruleOptions(ctx: RepoContext, id: string): Readonly<Record<string, unknown>> {
  const setting = ctx.config?.lint?.rules?.[id];
  if (setting && typeof setting === 'object' && setting.options && typeof setting.options === 'object')
    return setting.options;
  return {};
}

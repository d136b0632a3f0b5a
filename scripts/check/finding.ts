// The one finding builder: a rule's meta plus a reported Problem give the Finding every report prints.
// Severity is the rule's default (gitops.yaml's lint.rules settings are applied by the filter stage,
// per environment); location, env, app and resource come from what the problem is about.
import { resourceRef, type Finding, type JsonPath, type Resource, type ResourceRef, type RuleMeta } from '../types.ts';
import type { Problem, Subject } from './contract.ts';
import { flatString, StringTable } from '../strings.ts';

export function buildFinding(
  meta: Pick<RuleMeta, 'id' | 'defaultSeverity'>,
  problem: Problem,
  pieces?: RulePieces,
): Finding {
  // A Resource is read directly (no subject object, closure or spread copies per finding): a run
  // builds 100,000s of findings and those temporaries were a good share of its garbage.
  const about = problem.resource;
  let ref: ResourceRef | undefined;
  let env = problem.env;
  let app = problem.app;
  let location = problem.location;
  if (about) {
    const resource = isResource(about);
    ref = resource ? sharedRef(about.object) : about.ref;
    env ??= resource ? about.origin.env : about.env;
    app ??= resource ? about.origin.app : about.app;
    location ??= about.locate(problem.path ?? []);
  }
  location ??= { file: '.' };
  const ruleId = meta.id;
  const severity = problem.severity ?? meta.defaultSeverity;
  const message = pieces ? pieces.message(problem.message) : flatString(problem.message);
  const { file, line, column } = location;
  const path = problem.path && (pieces ? pieces.path(problem.path) : problem.path);
  if (ref && app !== undefined && line !== undefined && column !== undefined && !problem.hint) {
    // Nearly every finding: a field of a resource. One literal with every key it has, so V8 keeps
    // them all in the object (keys added after a literal go to a separate array, 60 bytes more a
    // finding at 275,000 findings); the same keys in the same order as below.
    if (env === undefined)
      return path
        ? { ruleId, severity, message, file, line, column, app, resource: ref, path }
        : { ruleId, severity, message, file, line, column, app, resource: ref };
    return path
      ? { ruleId, severity, message, file, line, column, env, app, resource: ref, path }
      : { ruleId, severity, message, file, line, column, env, app, resource: ref };
  }
  // Keys are added in the order the spreads gave them, and only when set (absent, not undefined).
  const finding: Finding = { ruleId, severity, message, file };
  if (line !== undefined) finding.line = line;
  if (column !== undefined) finding.column = column;
  if (env !== undefined) finding.env = env;
  if (app !== undefined) finding.app = app;
  if (ref) finding.resource = ref;
  if (path) finding.path = path;
  if (problem.hint) finding.hint = pieces ? pieces.text(problem.hint) : problem.hint;
  return finding;
}

/**
 * One copy per run of each message, hint and field path its findings repeat. A run holds 100,000s of
 * findings; most repeat a few dozen paths and many repeat a message (one per container, per rule and
 * object), and a path built as `[...base, key]` carries spare capacity (about 250 bytes for six keys,
 * against 100 for an exact copy). Measured at 50,000 loose manifests: see docs/architecture.md,
 * "Performance". Shared paths are frozen: nothing may change a finding's path after it is built.
 */
export class SharedPieces {
  // Bounded: most messages name their object and never repeat, and a table of every one (100,000 at
  // 50,000 manifests) weighed more than it saved. A message that repeats does so from finding to
  // finding (one per container, rule by rule).
  private readonly texts = new StringTable(2048);
  private readonly paths: PathNode = { next: new Map() };

  text(text: string): string {
    return this.texts.own(text);
  }

  /** The pieces one rule's findings use (its messages tried against its last one first). */
  forRule(): RulePieces {
    return new RulePieces(this);
  }

  /** A trie over the path's keys (a Map keeps 0 and "0" apart): no key string is built per finding. */
  path(path: JsonPath): JsonPath {
    let node = this.paths;
    for (const key of path) {
      let child = node.next.get(key);
      if (!child) node.next.set(key, (child = { next: new Map() }));
      node = child;
    }
    return (node.path ??= Object.freeze(path.slice()) as JsonPath);
  }
}

/**
 * One rule's view of the run's SharedPieces. A rule that names no object in its message gives the same
 * message from object to object ("Container "app" does not drop all capabilities", one per workload):
 * comparing with its last message finds those without hashing each new string into the table (most
 * of the interning's cost; the new string is dropped, as the table would drop it).
 */
export class RulePieces {
  private last: string | undefined;

  constructor(private readonly shared: SharedPieces) {}

  text(text: string): string {
    return this.shared.text(text);
  }

  message(message: string): string {
    if (message === this.last) return this.last;
    return (this.last = this.shared.text(message));
  }

  path(path: JsonPath): JsonPath {
    return this.shared.path(path);
  }
}

interface PathNode {
  next: Map<string | number, PathNode>;
  path?: JsonPath;
}

export function isResource(value: Resource | Subject): value is Resource {
  return 'object' in value && 'origin' in value;
}

// One reference per object, shared (frozen) by all of its findings.
const refs = new WeakMap<object, ResourceRef>();

function sharedRef(object: Resource['object']): ResourceRef {
  let ref = refs.get(object);
  if (!ref) {
    ref = Object.freeze(resourceRef(object));
    refs.set(object, ref);
  }
  return ref;
}

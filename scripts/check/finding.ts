// The one finding builder: a rule's meta plus a reported Problem give the Finding every report prints.
// Severity is the rule's default (gitops.yaml's lint.rules settings are applied by the filter stage,
// per environment); location, env, app and resource come from what the problem is about.
import { resourceRef, type Finding, type Resource, type ResourceRef, type RuleMeta } from '../types.ts';
import type { Problem, Subject } from './contract.ts';

export function buildFinding(meta: Pick<RuleMeta, 'id' | 'defaultSeverity'>, problem: Problem): Finding {
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
  // Keys are added in the order the spreads gave them, and only when set (absent, not undefined).
  const finding: Finding = {
    ruleId: meta.id,
    severity: problem.severity ?? meta.defaultSeverity,
    message: flat(problem.message),
    file: location.file,
  };
  if (location.line !== undefined) finding.line = location.line;
  if (location.column !== undefined) finding.column = location.column;
  if (env !== undefined) finding.env = env;
  if (app !== undefined) finding.app = app;
  if (ref) finding.resource = ref;
  if (problem.path) finding.path = problem.path;
  if (problem.hint) finding.hint = problem.hint;
  return finding;
}

export function isResource(value: Resource | Subject): value is Resource {
  return 'object' in value && 'origin' in value;
}

/**
 * A message built from many pieces is a tree of string pieces in V8 (several times its text in
 * memory); reading a character flattens it to one string. A run can hold 100,000s of findings.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
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

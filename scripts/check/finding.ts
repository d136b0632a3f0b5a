// The one finding builder: a rule's meta plus a reported Problem give the Finding every report prints.
// Severity is the rule's default (gitops.yaml's lint.rules settings are applied by the filter stage,
// per environment); location, env, app and resource come from what the problem is about.
import {
  resourceRef,
  type Finding,
  type Resource,
  type ResourceRef,
  type RuleMeta,
  type SourceLocation,
} from '../types.ts';
import type { Problem, Subject } from './contract.ts';

export function buildFinding(meta: Pick<RuleMeta, 'id' | 'defaultSeverity'>, problem: Problem): Finding {
  const subject = problem.resource ? subjectOf(problem.resource) : undefined;
  const location: SourceLocation = problem.location ?? subject?.locate(problem.path ?? []) ?? { file: '.' };
  const env = problem.env ?? subject?.env;
  const app = problem.app ?? subject?.app;
  return {
    ruleId: meta.id,
    severity: problem.severity ?? meta.defaultSeverity,
    message: flat(problem.message),
    file: location.file,
    ...(location.line !== undefined ? { line: location.line } : {}),
    ...(location.column !== undefined ? { column: location.column } : {}),
    ...(env !== undefined ? { env } : {}),
    ...(app !== undefined ? { app } : {}),
    ...(subject ? { resource: subject.ref } : {}),
    ...(problem.path ? { path: problem.path } : {}),
    ...(problem.hint ? { hint: problem.hint } : {}),
  };
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

/** A Resource as a finding's subject: its reference, where it was rendered and how to locate its fields. */
export function subjectOf(value: Resource | Subject): Subject {
  if (!isResource(value)) return value;
  return {
    ref: sharedRef(value.object),
    locate: (path) => value.locate(path),
    ...(value.origin.env !== undefined ? { env: value.origin.env } : {}),
    app: value.origin.app,
  };
}

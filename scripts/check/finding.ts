// The one finding builder: a rule's meta plus a reported Problem give the Finding every report prints.
// Severity is the rule's default (gitops.yaml's lint.rules settings are applied by the filter stage,
// per environment); location, env, app and resource come from what the problem is about.
import { resourceRef, type Finding, type Resource, type RuleMeta, type SourceLocation } from '../types.ts';
import type { Problem, Subject } from './contract.ts';

export function buildFinding(meta: Pick<RuleMeta, 'id' | 'defaultSeverity'>, problem: Problem): Finding {
  const subject = problem.resource ? subjectOf(problem.resource) : undefined;
  const location: SourceLocation = problem.location ?? subject?.locate(problem.path ?? []) ?? { file: '.' };
  const env = problem.env ?? subject?.env;
  const app = problem.app ?? subject?.app;
  return {
    ruleId: meta.id,
    severity: problem.severity ?? meta.defaultSeverity,
    message: problem.message,
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

/** A Resource as a finding's subject: its reference, where it was rendered and how to locate its fields. */
export function subjectOf(value: Resource | Subject): Subject {
  if (!isResource(value)) return value;
  return {
    ref: resourceRef(value.object),
    locate: (path) => value.locate(path),
    ...(value.origin.env !== undefined ? { env: value.origin.env } : {}),
    app: value.origin.app,
  };
}

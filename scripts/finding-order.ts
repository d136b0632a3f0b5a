// The one order of findings, shared by every stage (checks, filter, reports) so the same input gives
// byte-identical output. The filter stage returns findings in it and every report format prints
// in it.
import { describeRef, type Finding } from './types.ts';

/** By file, then position, then rule, environment, app, resource and message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.env ?? '', b.env ?? '') ||
    compareText(a.app ?? '', b.app ?? '') ||
    compareText(a.resource ? describeRef(a.resource) : '', b.resource ? describeRef(b.resource) : '') ||
    compareText(a.message, b.message)
  );
}

/**
 * The findings in the one order: the list itself when it already is (the stages hand each other
 * sorted lists, and a copy of 275,000 findings is 2 MB for nothing), else a sorted copy. So a caller
 * that changes the result may change its argument: callers read it.
 */
export function sortFindings<List extends readonly Finding[]>(findings: List): List {
  for (let i = 1; i < findings.length; i++)
    if (compareFindings(findings[i - 1], findings[i]) > 0)
      return [...findings].sort(compareFindings) as unknown as List;
  return findings;
}

/** Code-unit comparison, not localeCompare: the order must not depend on the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

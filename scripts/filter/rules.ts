// The findings the filter stage itself emits: problems with the ways of turning findings down.
import type { RuleMeta } from '../types.ts';

export const IGNORE_ANNOTATION_PREFIX = 'ignore-check.gitops.dev/';

export const ignoreReasonMissing: RuleMeta = {
  id: 'ignore-reason-missing',
  description: 'A finding is turned off (ignore annotation or severity off in gitops.yaml) without saying why.',
  defaultSeverity: 'error',
  category: 'files',
  docs: [
    'Turning a check off is a decision the next person must be able to read. An ignore annotation',
    '`ignore-check.gitops.dev/<rule>` needs a non-empty reason as its value, and a rule set to `off` in',
    "gitops.yaml's `lint.rules` needs a `reason`. Without one, nothing is suppressed: the original findings",
    'are still reported, and this finding points at the annotation or the setting.',
    '',
    'Fix: write the reason, e.g. `ignore-check.gitops.dev/run-as-non-root: "vendor image runs as root; tracked in OPS-123"`,',
    'or `lint: { rules: { pdb-present: { severity: off, reason: "single-replica batch jobs" } } }`.',
  ].join('\n'),
  examples: {
    bad: 'metadata:\n  annotations:\n    ignore-check.gitops.dev/run-as-non-root: ""',
    good: 'metadata:\n  annotations:\n    ignore-check.gitops.dev/run-as-non-root: "vendor image runs as root; tracked in OPS-123"',
  },
};

export const ignoreAnnotationInvalid: RuleMeta = {
  id: 'ignore-annotation-invalid',
  description: 'An ignore annotation names no rule, an unknown rule, or "all".',
  defaultSeverity: 'warning',
  category: 'files',
  docs: [
    '`ignore-check.gitops.dev/<rule>` suppresses one rule on one resource. An annotation that names no known',
    'rule suppresses nothing, which is almost always a typo. `ignore-check.gitops.dev/all` is deliberately',
    'not supported: silencing every present and future check on a resource hides the next real problem.',
    'Name each rule with its own reason, or exclude the file with `lint.ignorePaths` in gitops.yaml.',
  ].join('\n'),
  examples: {
    bad: 'metadata:\n  annotations:\n    ignore-check.gitops.dev/all: "legacy"',
    good: 'metadata:\n  annotations:\n    ignore-check.gitops.dev/resources-set: "legacy job, sized by the vendor"',
  },
};

export const lintConfigInvalid: RuleMeta = {
  id: 'lint-config-invalid',
  description: 'A `lint.rules` setting in gitops.yaml is not a severity the tool knows.',
  defaultSeverity: 'error',
  category: 'files',
  docs: [
    "Each entry of gitops.yaml's `lint.rules` is `error`, `warning`, `info` or `off`, or an object",
    '`{ severity, env: { <environment>: <severity> }, reason, options }`. A value outside that list is',
    'ignored (the rule keeps its default severity) and reported here, so a typo such as `warn` does not',
    'silently change nothing.',
  ].join('\n'),
  examples: {
    bad: 'lint:\n  rules:\n    replicas-minimum: warn',
    good: 'lint:\n  rules:\n    replicas-minimum: { severity: warning, env: { prod: error } }',
  },
};

/** Metadata of every ruleId the filter stage emits (for `gitops rules`, `explain` and SARIF). */
export const filterRules: RuleMeta[] = [ignoreAnnotationInvalid, ignoreReasonMissing, lintConfigInvalid];

// The policy rules: every rule module, and the checker that runs them over a repository.
// Adding a rule = one file in its category folder + one line in `rules` below (docs/rules.md is
// generated from the metadata: `gitops rules --markdown > docs/rules.md`).
import type { Checker, Finding, RepoContext, RuleMeta } from '../types.ts';
import type { Rule } from './rule.ts';
import { probesDiffer } from './reliability/probes-differ.ts';
import { probesPresent } from './reliability/probes-present.ts';
import { requestsWithinLimits } from './resources/requests-within-limits.ts';
import { resourcesSet } from './resources/resources-set.ts';
import { noPlaintextSecrets } from './secrets/no-plaintext-secrets.ts';
import { noSecretLiterals } from './secrets/no-secret-literals.ts';

export type { Rule } from './rule.ts';

export const rules: Rule[] = [
  // reliability
  probesPresent,
  probesDiffer,
  // resources
  resourcesSet,
  requestsWithinLimits,
  // secrets
  noPlaintextSecrets,
  noSecretLiterals,
];

/** Runs `selected` rules over the context: each resource of each app, each app, then the repository. */
export function runRules(ctx: RepoContext, selected: Rule[] = rules): Finding[] {
  const findings: Finding[] = [];
  for (const rule of selected) {
    if (rule.scope === 'repository') findings.push(...rule.check(ctx));
    for (const app of ctx.apps) {
      if (rule.scope === 'app') findings.push(...rule.check(ctx, app));
      if (rule.scope === 'resource') for (const resource of app.resources) findings.push(...rule.check(ctx, resource, app));
    }
  }
  return sortFindings(findings);
}

/** Deterministic order: file, line, column, rule, env, message. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      compare(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compare(a.ruleId, b.ruleId) ||
      compare(a.env ?? '', b.env ?? '') ||
      compare(a.app ?? '', b.app ?? '') ||
      compare(a.message, b.message),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function findRule(id: string): Rule | undefined {
  return rules.find((rule) => rule.meta.id === id);
}

export const rulesChecker: Checker = {
  name: 'rules',
  rules: rules.map((rule): RuleMeta => rule.meta),
  check: (ctx) => runRules(ctx),
};

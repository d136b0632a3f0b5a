// Every family of checks `validate` runs, in order. `gitops rules` lists their rules.
import { argocdChecker } from './argocd/index.ts';
import { filterRules } from './filter/index.ts';
import { rulesChecker } from './rules/index.ts';
import { schemaChecker } from './schema/index.ts';
import type { Checker, RuleMeta } from './types.ts';

export const checkers: Checker[] = [schemaChecker, rulesChecker, argocdChecker];

export function allRuleMetas(): RuleMeta[] {
  // The filter stage reports problems with ignore annotations and lint settings under its own rule ids.
  return [...checkers.flatMap((checker) => checker.rules), ...filterRules];
}

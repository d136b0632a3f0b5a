// Every family of checks `validate` runs, in order. `gitops rules` lists their rules.
import { argocdChecker } from './argocd/index.ts';
import { filterRules } from './filter/index.ts';
import { rulesChecker } from './rules/index.ts';
import { schemaChecker } from './schema/index.ts';
import type { Checker, RuleMeta } from './types.ts';
import { pipelineRules } from './validate/rules.ts';

export const checkers: Checker[] = [schemaChecker, rulesChecker, argocdChecker];

export function allRuleMetas(): RuleMeta[] {
  // The pipeline (render, YAML) and the filter stage (ignore annotations, lint settings) report under their own rule ids.
  return [...pipelineRules, ...checkers.flatMap((checker) => checker.rules), ...filterRules];
}

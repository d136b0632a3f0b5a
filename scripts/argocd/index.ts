// The Argo CD stage: expands ApplicationSets into the Applications Argo CD would create and checks
// every Application (generated or written by hand) against its AppProject and the repository.
//
//   RepoContext ─argoModel─► projects + Applications (expand.ts, generators.ts, gotemplate/)
//               ─rules/*───► Finding[]   (rule modules on the one contract: scripts/check/contract.ts)
import { runRulesSync } from '../check/engine.ts';
import type { Rule } from '../check/contract.ts';
import { builtinRulesIn } from '../check/registry.ts';
import type { Finding, RepoContext } from '../types.ts';
import type { RepoView } from './generators.ts';
import { argoModel } from './model.ts';

export { argoModel, type ArgoApplication, type ArgoModel } from './model.ts';
export { expandApplicationSet } from './expand.ts';

/** The Argo CD rules (scripts/argocd/rules/). */
export const argocdRules: readonly Rule[] = builtinRulesIn('argocd/rules');

/**
 * Runs Argo CD rules alone (tests, benchmarks). `repo` replaces the repository on disk for the git
 * generators; the model is built once per context, so the rules see it.
 */
export function runArgocdRules(ctx: RepoContext, rules: readonly Rule[] = argocdRules, repo?: RepoView): Finding[] {
  argoModel(ctx, repo);
  return runRulesSync(ctx, { rules }).findings;
}

// The Argo CD stage: expands ApplicationSets into the Applications Argo CD would create and checks
// every Application (generated or written by hand) against its AppProject and the repository.
//
//   RepoContext ─argoModel─► projects + Applications (expand.ts, generators.ts, gotemplate/)
//               ─rules/*───► Finding[]
import type { Checker, Finding, RepoContext } from '../types.ts';
import { argoModel } from './model.ts';
import { appprojectLeastPrivilege } from './rules/appproject-least-privilege.ts';
import { applicationsetExpands } from './rules/applicationset-expands.ts';
import { argocdDestinationAllowed } from './rules/argocd-destination-allowed.ts';
import { argocdNoDefaultProject } from './rules/argocd-no-default-project.ts';
import { argocdPathRenders } from './rules/argocd-path-renders.ts';
import { argocdProjectExists } from './rules/argocd-project-exists.ts';
import { argocdResourcesAllowed } from './rules/argocd-resources-allowed.ts';
import { argocdSourceAllowed } from './rules/argocd-source-allowed.ts';
import { argocdUniqueName } from './rules/argocd-unique-name.ts';
import type { RepoView } from './generators.ts';
import type { ArgoRule } from './rules/rule.ts';
import { syncPolicyPerEnv } from './rules/sync-policy-per-env.ts';
import { syncWaves } from './rules/sync-waves.ts';

export { argoModel, type ArgoApplication, type ArgoModel } from './model.ts';
export { expandApplicationSet } from './expand.ts';

export const argocdRules: ArgoRule[] = [
  applicationsetExpands,
  argocdProjectExists,
  argocdNoDefaultProject,
  argocdSourceAllowed,
  argocdDestinationAllowed,
  argocdResourcesAllowed,
  argocdPathRenders,
  argocdUniqueName,
  appprojectLeastPrivilege,
  syncPolicyPerEnv,
  syncWaves,
];

/** `repo` replaces the repository on disk for the git generators (benchmarks, callers with no disk). */
export function runArgocdRules(ctx: RepoContext, rules: ArgoRule[] = argocdRules, repo?: RepoView): Finding[] {
  const model = argoModel(ctx, repo);
  const findings = rules.flatMap((rule) => {
    // One rule's bug must not take the other Argo CD findings with it.
    try {
      return rule.check(model, ctx);
    } catch (error) {
      return [
        {
          ruleId: 'internal-error',
          severity: 'error' as const,
          message: `the ${rule.meta.id} check crashed: ${(error as Error)?.message ?? String(error)}; please report it`,
          file: '.',
        },
      ];
    }
  });
  return findings.sort(
    (a, b) =>
      compare(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compare(a.ruleId, b.ruleId) ||
      compare(a.message, b.message),
  );
}

export const argocdChecker: Checker = {
  name: 'argocd',
  rules: argocdRules.map((rule) => rule.meta),
  check: (ctx) => runArgocdRules(ctx),
};

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

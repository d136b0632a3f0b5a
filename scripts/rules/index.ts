// The policy rules: every rule module, and the checker that runs them over a repository.
// Adding a rule = one file in its category folder + one line in `rules` below (docs/rules.md is
// generated from the metadata: `gitops rules --markdown > docs/rules.md`).
import type { Checker, Finding, RepoContext, RuleMeta } from '../types.ts';
import { sortFindings } from '../finding-order.ts';
import type { Rule } from './rule.ts';
import { dropAllCapabilities } from './security/drop-all-capabilities.ts';
import { duplicateEnvVar } from './reliability/duplicate-env-var.ts';
import { duplicateResource } from './cross-resource/duplicate-resource.ts';
import { envConsistency } from './environments/env-consistency.ts';
import { gracefulShutdown } from './reliability/graceful-shutdown.ts';
import { hpaReplicasConflict } from './reliability/hpa-replicas-conflict.ts';
import { hpaTargetExists } from './reliability/hpa-target-exists.ts';
import { imageRegistryAllowed } from './images/image-registry-allowed.ts';
import { imageTagPinned } from './images/image-tag-pinned.ts';
import { ingressBackendExists } from './cross-resource/ingress-backend-exists.ts';
import { ingressTls } from './cross-resource/ingress-tls.ts';
import { jvmHeapFitsLimit } from './resources/jvm-heap-fits-limit.ts';
import { namespaceQuotaFits } from './resources/namespace-quota-fits.ts';
import { networkpolicyDefaultDeny } from './cross-resource/networkpolicy-default-deny.ts';
import { noDefaultNamespace } from './security/no-default-namespace.ts';
import { noHostNamespaces } from './security/no-host-namespaces.ts';
import { noHostPath } from './security/no-host-path.ts';
import { noPlaintextSecrets } from './secrets/no-plaintext-secrets.ts';
import { noPrivilegeEscalation } from './security/no-privilege-escalation.ts';
import { noPrivileged } from './security/no-privileged.ts';
import { noSecretLiterals } from './secrets/no-secret-literals.ts';
import { pdbNotBlocking } from './reliability/pdb-not-blocking.ts';
import { pdbPresent } from './reliability/pdb-present.ts';
import { probePortExists } from './reliability/probe-port-exists.ts';
import { probesDiffer } from './reliability/probes-differ.ts';
import { probesPresent } from './reliability/probes-present.ts';
import { rbacNoWildcards } from './security/rbac-no-wildcards.ts';
import { readOnlyRootFs } from './security/read-only-root-fs.ts';
import { replicasMinimum } from './reliability/replicas-minimum.ts';
import { requestsWithinLimits } from './resources/requests-within-limits.ts';
import { resourcesSet } from './resources/resources-set.ts';
import { runAsNonRoot } from './security/run-as-non-root.ts';
import { secretRefExists } from './secrets/secret-ref-exists.ts';
import { selectorMatchesTemplate } from './reliability/selector-matches-template.ts';
import { serviceAccountToken } from './security/service-account-token.ts';
import { serviceSelectsPods } from './cross-resource/service-selects-pods.ts';
import { serviceTargetPortExists } from './cross-resource/service-target-port-exists.ts';

export type { Rule } from './rule.ts';

export const rules: Rule[] = [
  // reliability
  duplicateEnvVar,
  gracefulShutdown,
  hpaReplicasConflict,
  hpaTargetExists,
  pdbNotBlocking,
  pdbPresent,
  probePortExists,
  probesDiffer,
  probesPresent,
  replicasMinimum,
  selectorMatchesTemplate,
  // resources
  jvmHeapFitsLimit,
  namespaceQuotaFits,
  requestsWithinLimits,
  resourcesSet,
  // images
  imageRegistryAllowed,
  imageTagPinned,
  // security
  dropAllCapabilities,
  noDefaultNamespace,
  noHostNamespaces,
  noHostPath,
  noPrivilegeEscalation,
  noPrivileged,
  rbacNoWildcards,
  readOnlyRootFs,
  runAsNonRoot,
  serviceAccountToken,
  // secrets
  noPlaintextSecrets,
  noSecretLiterals,
  secretRefExists,
  // cross-resource
  duplicateResource,
  ingressBackendExists,
  ingressTls,
  networkpolicyDefaultDeny,
  serviceSelectsPods,
  serviceTargetPortExists,
  // environments
  envConsistency,
];

/** Runs `selected` rules over the context: each resource of each app, each app, then the repository. */
export function runRules(ctx: RepoContext, selected: Rule[] = rules): Finding[] {
  const findings: Finding[] = [];
  for (const rule of selected) {
    if (rule.scope === 'repository') findings.push(...rule.check(ctx));
    for (const app of ctx.apps) {
      if (rule.scope === 'app') findings.push(...rule.check(ctx, app));
      if (rule.scope === 'resource')
        for (const resource of app.resources) findings.push(...rule.check(ctx, resource, app));
    }
  }
  return sortFindings(findings);
}

export function findRule(id: string): Rule | undefined {
  return rules.find((rule) => rule.meta.id === id);
}

export const rulesChecker: Checker = {
  name: 'rules',
  rules: rules.map((rule): RuleMeta => rule.meta),
  check: (ctx) => runRules(ctx),
};

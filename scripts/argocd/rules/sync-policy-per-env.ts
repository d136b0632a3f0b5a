import type { JsonPath, LintConfig } from '../../types.ts';
import { isMap } from '../gotemplate/values.ts';
import { isProductionEnv, type ArgoApplication } from '../model.ts';
import { applicationSubject, describeApplication } from '../describe.ts';
import { defineRule } from '../../check/contract.ts';
import { argoModel } from '../model.ts';

type Expected = NonNullable<NonNullable<LintConfig['environments']>[number]['syncPolicy']>;

interface ActualPolicy {
  automated: boolean;
  prune: boolean;
  selfHeal: boolean;
  syncOptions: string[];
}

function actualPolicy(app: ArgoApplication): ActualPolicy {
  const spec = isMap(app.object.spec) ? app.object.spec : {};
  const policy = isMap(spec.syncPolicy) ? spec.syncPolicy : {};
  const automated = isMap(policy.automated) ? policy.automated : undefined;
  const on = automated !== undefined && automated.enabled !== false;
  return {
    automated: on,
    prune: on && automated?.prune === true,
    selfHeal: on && automated?.selfHeal === true,
    syncOptions: Array.isArray(policy.syncOptions) ? policy.syncOptions.map(String) : [],
  };
}

const FIELD: Record<keyof Expected, JsonPath> = {
  automated: ['spec', 'syncPolicy', 'automated'],
  prune: ['spec', 'syncPolicy', 'automated', 'prune'],
  selfHeal: ['spec', 'syncPolicy', 'automated', 'selfHeal'],
};

export default defineRule({
  meta: {
    id: 'sync-policy-per-env',
    description:
      "Each Application's sync policy matches its environment: prod syncs automatically with selfHeal unless gitops.yaml says otherwise, and prune comes with PruneLast.",
    defaultSeverity: 'warning',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `The environment of an Application comes from its destination cluster (gitops.yaml
\`environments[].cluster\`), or an environment name in its source path, name or namespace.

- When gitops.yaml sets \`environments[].syncPolicy\` (automated, prune, selfHeal), every Application of
  that environment must match it.
- Otherwise a production environment (prod, production, prod-*) must sync automatically with
  \`selfHeal: true\`: without it, a manual change in the cluster stays until someone notices, and the
  repository stops being the truth.
- \`prune: true\` without the \`PruneLast=true\` sync option deletes removed resources before the new ones
  are healthy; PruneLast deletes them at the end of the sync.`,
      fix: `Set \`spec.syncPolicy\` (in the ApplicationSet template for generated Applications) to
what the environment expects, or record the exception in gitops.yaml \`environments[].syncPolicy\`.`,
    },
    examples: {
      bad: `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-prod, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/prod/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop-prod}
  syncPolicy: {}   # prod is never synced automatically`,
      good: `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-prod, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/prod/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop-prod}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
    syncOptions: [PruneLast=true]`,
    },
  },
  check({ repo, report }) {
    const model = argoModel(repo);
    for (const app of model.applications) {
      const actual = actualPolicy(app);
      const envConfig = app.env ? repo.config?.environments?.find((env) => env.name === app.env) : undefined;
      const expected = envConfig?.syncPolicy;
      if (expected) {
        for (const key of ['automated', 'prune', 'selfHeal'] as const) {
          if (expected[key] === undefined || expected[key] === actual[key]) continue;
          report({
            resource: applicationSubject(app),
            path: actual.automated || key === 'automated' ? FIELD[key] : ['spec', 'syncPolicy'],
            message: `${describeApplication(app)} has ${key} ${actual[key] ? 'on' : 'off'}, but gitops.yaml sets ${key}: ${expected[key]} for environment ${app.env}`,
          });
        }
      } else if (isProductionEnv(app.env) && !(actual.automated && actual.selfHeal)) {
        report({
          resource: applicationSubject(app),
          path: actual.automated ? FIELD.selfHeal : ['spec', 'syncPolicy'],
          message: `${describeApplication(app)} deploys to ${app.env} without ${actual.automated ? 'selfHeal' : 'automated sync with selfHeal'}: drift in the cluster would stay`,
          hint: `Set syncPolicy.automated.selfHeal: true, or set environments[].syncPolicy for ${app.env} in gitops.yaml to record the exception.`,
        });
      }
      if (actual.prune && !actual.syncOptions.includes('PruneLast=true')) {
        report({
          resource: applicationSubject(app),
          path: FIELD.prune,
          message: `${describeApplication(app)} prunes without the PruneLast=true sync option: removed resources are deleted before the new ones are healthy`,
          hint: 'Add PruneLast=true to syncPolicy.syncOptions.',
        });
      }
    }
    return;
  },
});

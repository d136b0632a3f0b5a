import { get, isRecord } from '../../kube/values.ts';
import { defineRule } from '../../check/contract.ts';
import { ARGO_FACTS } from '../facts.ts';
import { argoModel } from '../model.ts';

const appSet = (syncPolicy: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: web, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - list:
        elements: [{env: dev}, {env: prod}]
  strategy:
    type: RollingSync
    rollingSync:
      steps:
        - matchExpressions: [{key: env, operator: In, values: [dev]}]
        - matchExpressions: [{key: env, operator: In, values: [prod]}]
  template:
    metadata:
      name: "web-{{.env}}"
      labels: {env: "{{.env}}"}
    spec:
      project: default
      source: {repoURL: https://github.com/acme/gitops.git, targetRevision: HEAD, path: "overlays/{{.env}}/web"}
      destination: {server: https://kubernetes.default.svc, namespace: web}${syncPolicy}`;

export default defineRule({
  meta: {
    id: 'rollingsync-automated-sync',
    description: 'Applications a RollingSync strategy owns do not ask for automated sync in their template.',
    defaultSeverity: 'warning',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `With a RollingSync strategy (and \`${ARGO_FACTS.rollingSync.enableKey}: "true"\` in
argocd-cmd-params-cm, without which RollingSync does nothing), the ApplicationSet controller turns
automated sync off on every Application it generates and syncs them step by step itself
(${ARGO_FACTS.rollingSync.source}). A \`syncPolicy.automated\` block in the template is therefore
overridden: a reader expects self-healing and pruning that never happen between rollouts. Without the
controller setting, the reverse: automated sync applies and the steps are ignored. Either way the
manifest says two contradictory things.`,
      fix: `Remove \`syncPolicy.automated\` from the template of a RollingSync ApplicationSet (keep
\`syncOptions\`), or drop the strategy if every Application should sync on its own.`,
    },
    examples: {
      bad: appSet('\n      syncPolicy: {automated: {prune: true, selfHeal: true}}'),
      good: appSet('\n      syncPolicy: {syncOptions: [CreateNamespace=true]}'),
    },
  },
  check({ repo, report }) {
    const model = argoModel(repo);
    for (const set of model.appSets) {
      const strategy = get(set.object, 'spec', 'strategy');
      if (!isRecord(strategy) || strategy.type !== 'RollingSync') continue;
      const automated = get(set.object, 'spec', 'template', 'spec', 'syncPolicy', 'automated');
      if (automated === undefined || automated === null || get(automated, 'enabled') === false) continue;
      report({
        resource: set,
        path: ['spec', 'template', 'spec', 'syncPolicy', 'automated'],
        message: model.settings.progressiveSyncs
          ? `ApplicationSet "${set.object.metadata?.name ?? '?'}" uses RollingSync, which turns automated sync off on its Applications: the template's syncPolicy.automated never applies.`
          : `ApplicationSet "${set.object.metadata?.name ?? '?'}" asks for RollingSync and for automated sync: with progressive syncs enabled the automated block is turned off, without them the steps are ignored.`,
      });
    }
  },
});

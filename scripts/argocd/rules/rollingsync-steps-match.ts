import type { Resource } from '../../types.ts';
import { array, get, isRecord, stringMap } from '../../kube/values.ts';
import { labelSelectorMatches } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';
import { argoModel } from '../model.ts';

const appSet = (stepEnvs: string[]) => `apiVersion: argoproj.io/v1alpha1
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
${stepEnvs.map((env) => `        - matchExpressions: [{key: env, operator: In, values: [${env}]}]`).join('\n')}
  template:
    metadata:
      name: "web-{{.env}}"
      labels: {env: "{{.env}}"}
    spec:
      project: default
      source: {repoURL: https://github.com/acme/gitops.git, targetRevision: HEAD, path: "overlays/{{.env}}/web"}
      destination: {server: https://kubernetes.default.svc, namespace: web}`;

export default defineRule({
  meta: {
    id: 'rollingsync-steps-match',
    description:
      "A RollingSync ApplicationSet's steps each select a generated Application, and every Application is in a step.",
    defaultSeverity: 'warning',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `A RollingSync strategy syncs an ApplicationSet's Applications step by step, each step selecting
Applications by their labels (\`matchExpressions\`). Argo CD turns automated sync off on every
Application the ApplicationSet generates, so an Application that no step selects is never synced by
the rollout at all: a new environment added to the generator silently stays out of date. A step that
selects nothing is a label typo (\`envirnoment\`), and the rollout moves on without the Applications it
was meant for. The Applications are the ones the ApplicationSet generates, with their labels as the
template renders them.`,
      fix: `Make each step's \`matchExpressions\` match the labels the template gives the Applications, and
add a step for every Application (a last step without a match for "the rest" is not allowed: list the
values).`,
    },
    examples: { bad: appSet(['dev', 'staging']), good: appSet(['dev', 'prod']) },
  },
  check({ repo, report }) {
    const model = argoModel(repo);
    for (const set of model.appSets) {
      const strategy = get(set.object, 'spec', 'strategy');
      if (!isRecord(strategy) || strategy.type !== 'RollingSync') continue;
      const steps = array(get(strategy, 'rollingSync', 'steps'));
      const generated = model.applications.filter((app) => app.resource === set);
      if (steps.length === 0 || generated.length === 0) continue; // applicationset-expands reports no steps
      const labelsOf = (app: (typeof generated)[number]) => stringMap(app.object.metadata?.labels);
      const inStep = new Set<string>();
      steps.forEach((step, index) => {
        const selector = { matchExpressions: array(get(step, 'matchExpressions')) };
        const selected = generated.filter((app) => labelSelectorMatches(selector, labelsOf(app)));
        selected.forEach((app) => inStep.add(app.name));
        if (selected.length === 0) report(stepProblem(set, index));
      });
      const left = generated.filter((app) => !inStep.has(app.name)).map((app) => app.name);
      if (left.length > 0)
        report({
          resource: set,
          path: ['spec', 'strategy', 'rollingSync', 'steps'],
          message: `ApplicationSet "${set.object.metadata?.name ?? '?'}" generates ${left.join(', ')}, which no RollingSync step selects: the rollout never syncs ${left.length === 1 ? 'it' : 'them'}.`,
        });
    }
  },
});

function stepProblem(set: Resource, index: number) {
  return {
    resource: set,
    path: ['spec', 'strategy', 'rollingSync', 'steps', index],
    message: `RollingSync step ${index + 1} of ApplicationSet "${set.object.metadata?.name ?? '?'}" selects none of the Applications it generates.`,
  };
}

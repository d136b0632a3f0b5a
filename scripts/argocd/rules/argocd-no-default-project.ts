import { applicationFinding, describeApplication, projectName, type ArgoRule } from './rule.ts';

export const argocdNoDefaultProject: ArgoRule = {
  meta: {
    id: 'argocd-no-default-project',
    description:
      "Applications use a dedicated AppProject, not Argo CD's built-in `default` project, which allows everything.",
    defaultSeverity: 'warning',
    category: 'argocd',
    docs: [
      'The `default` project permits every source repository, every cluster and namespace and every kind,',
      'so nothing limits what an Application in it deploys. An empty `spec.project` also means `default`.',
      '',
      '**How to fix:** create an AppProject that lists the repository, the destinations and the kinds the',
      'Applications need, and set `spec.project` to it.',
    ].join('\n'),
    examples: {
      bad: 'kind: Application\nspec:\n  project: default',
      good: 'kind: Application\nspec:\n  project: shop',
    },
  },
  check(model) {
    return model.applications
      .filter((app) => projectName(app) === 'default')
      .map((app) =>
        applicationFinding(
          this.meta,
          app,
          ['spec', 'project'],
          `${describeApplication(app)} uses the default project, which allows every source, destination and kind`,
        ),
      );
  },
};

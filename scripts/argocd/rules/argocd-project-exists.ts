import { applicationFinding, describeApplication, projectName, type ArgoRule } from './rule.ts';

export const argocdProjectExists: ArgoRule = {
  meta: {
    id: 'argocd-project-exists',
    description: "The AppProject an Application names is defined in the repository (or is Argo CD's built-in default).",
    defaultSeverity: 'error',
    category: 'argocd',
    docs: [
      'Argo CD refuses to sync an Application whose project does not exist. Projects are part of the',
      "repository's Argo CD configuration, so a project missing from it is a typo or a file not committed.",
      'The built-in `default` project always exists (see argocd-no-default-project).',
      '',
      '**How to fix:** name an AppProject the repository defines, or add the AppProject to argocd/.',
    ].join('\n'),
    examples: {
      bad: 'kind: Application\nspec:\n  project: shop   # no AppProject named shop in the repository',
      good: 'kind: AppProject\nmetadata: {name: shop}\n---\nkind: Application\nspec:\n  project: shop',
    },
  },
  check(model) {
    return model.applications
      .filter((app) => projectName(app) !== 'default' && !model.projects.has(projectName(app)))
      .map((app) => {
        const known = [...model.projects.keys()].sort();
        return applicationFinding(
          this.meta,
          app,
          ['spec', 'project'],
          `${describeApplication(app)} names project "${projectName(app)}", which the repository does not define`,
          known.length
            ? `Projects defined: ${known.join(', ')}.`
            : 'The repository defines no AppProject: add one to argocd/.',
        );
      });
  },
};

import { applicationSubject, describeApplication, projectName } from '../describe.ts';
import { defineRule } from '../../check/contract.ts';
import { argoModel } from '../model.ts';

export default defineRule({
  meta: {
    id: 'argocd-project-exists',
    description: "The AppProject an Application names is defined in the repository (or is Argo CD's built-in default).",
    defaultSeverity: 'error',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `Argo CD refuses to sync an Application whose project does not exist. Projects are part of the
repository's Argo CD configuration, so a project missing from it is a typo or a file not committed.
The built-in \`default\` project always exists (see argocd-no-default-project). When part of the
repository could not be rendered offline (a remote base, \`helmCharts\`: app-of-apps charts often
define the projects), the project may be defined there: the finding is then a warning that says so.`,
      fix: `Name an AppProject the repository defines, or add the AppProject to argocd/.`,
    },
    examples: {
      bad: `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-prod, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/prod/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop-prod}   # no AppProject named shop`,
      good: `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: shop, namespace: argocd}
spec:
  sourceRepos: [https://github.com/acme/gitops.git]
  destinations: [{server: https://kubernetes.default.svc, namespace: shop-prod}]
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-prod, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/prod/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop-prod}`,
    },
  },
  check({ repo, report }) {
    const model = argoModel(repo);
    const known = [...model.projects.keys()].sort();
    // A unit rendered only in part (a remote base, helmCharts: an app-of-apps chart often defines the
    // projects) may define the project: then the absence is context, not an error.
    const unrendered = repo.apps.filter((unit) => unit.partial || unit.notRendered).map((unit) => unit.path ?? unit.id);
    for (const app of model.applications) {
      if (projectName(app) === 'default' || model.projects.has(projectName(app))) continue;
      report({
        resource: applicationSubject(app),
        path: ['spec', 'project'],
        ...(unrendered.length
          ? {
              severity: 'warning' as const,
              message: `${describeApplication(app)} names project "${projectName(app)}", which nothing rendered here defines; ${unrendered.length === 1 ? 'a unit' : `${unrendered.length} units`} could not be rendered whole (${unrendered[0]}${unrendered.length > 1 ? '...' : ''}) and may define it`,
              hint: 'Check the project exists where that unit renders, or render it whole (vendor the remote base or chart).',
            }
          : {
              message: `${describeApplication(app)} names project "${projectName(app)}", which the repository does not define`,
              hint: known.length
                ? `Projects defined: ${known.join(', ')}.`
                : 'The repository defines no AppProject: add one to argocd/.',
            }),
      });
    }
  },
});

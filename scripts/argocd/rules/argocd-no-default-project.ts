import { applicationSubject, describeApplication, projectName } from '../describe.ts';
import { defineRule } from '../../check/contract.ts';
import { argoModel } from '../model.ts';

export default defineRule({
  meta: {
    id: 'argocd-no-default-project',
    description:
      "Applications use a dedicated AppProject, not Argo CD's built-in `default` project, which allows everything.",
    defaultSeverity: 'warning',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `The \`default\` project permits every source repository, every cluster and namespace and every kind,
so nothing limits what an Application in it deploys. An empty \`spec.project\` also means \`default\`.`,
      fix: `Create an AppProject that lists the repository, the destinations and the kinds the
Applications need, and set \`spec.project\` to it.`,
    },
    examples: {
      bad: `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-prod, namespace: argocd}
spec:
  project: default
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/prod/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop-prod}`,
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
    for (const app of model.applications) {
      if (projectName(app) !== 'default') continue;
      report({
        resource: applicationSubject(app),
        path: ['spec', 'project'],
        message: `${describeApplication(app)} uses the default project, which allows every source, destination and kind`,
      });
    }
  },
});

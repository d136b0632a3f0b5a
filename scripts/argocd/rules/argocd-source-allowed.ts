import { projectSpec, isSourcePermitted } from '../project.ts';
import { applicationSources } from '../model.ts';
import { applicationSubject, describeApplication, projectName } from '../describe.ts';
import { defineRule } from '../../check/contract.ts';
import { argoModel } from '../model.ts';

export default defineRule({
  meta: {
    id: 'argocd-source-allowed',
    description: "Each source repository of an Application is allowed by its AppProject's sourceRepos.",
    defaultSeverity: 'error',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `Argo CD compares each source's repoURL with the project's \`sourceRepos\` the way it does at sync:
URLs normalised (lower case, no \`.git\`, no trailing slash), globs where \`*\` stays within one path
segment and \`**\` crosses them, \`*\` alone allows every repository, and an entry starting with \`!\`
denies what it matches.`,
      fix: `Add the repository (or a glob that covers it) to the project's sourceRepos, or point
the Application at an allowed repository.`,
    },
    examples: {
      bad: `apiVersion: argoproj.io/v1alpha1
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
  source: {repoURL: https://github.com/other/gitops.git, path: overlays/prod/web, targetRevision: main}
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
      const project = model.projects.get(projectName(app));
      if (!project) continue; // argocd-project-exists reports it; default allows everything
      const spec = projectSpec(project.object);
      for (const source of applicationSources(app.object)) {
        const repoURL = typeof source.repoURL === 'string' ? source.repoURL : '';
        if (isSourcePermitted(spec, repoURL)) continue;
        report({
          resource: applicationSubject(app),
          path: [...source.at, 'repoURL'],
          message: `${describeApplication(app)} reads ${repoURL || 'no repoURL'}, which project ${projectName(app)} does not allow`,
          hint: `sourceRepos of ${projectName(app)}: ${spec.sourceRepos.join(', ') || '(none)'} (${project.origin.file}).`,
        });
      }
    }
    return;
  },
});

import { isClusterListed, isDestinationPermitted, projectSpec } from '../project.ts';
import { resolvedDestination } from '../model.ts';
import { applicationSubject, describeApplication, projectName } from '../describe.ts';
import { defineRule } from '../../check/contract.ts';
import { argoModel } from '../model.ts';

export default defineRule({
  meta: {
    id: 'argocd-destination-allowed',
    description:
      "An Application's destination cluster (server or name) and namespace are allowed by its AppProject's destinations.",
    defaultSeverity: 'error',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `Argo CD checks \`spec.destination\` against the project's \`destinations\` at sync: the server or the
name must match an entry's glob and the namespace must match the same entry; an entry whose server,
name or namespace starts with \`!\` denies what it matches. A cluster named rather than addressed is
resolved through the clusters gitops.yaml declares (and \`in-cluster\`).`,
      fix: `Deploy to a namespace and cluster the project lists, or add the destination to the
project (as narrowly as possible: see appproject-least-privilege).`,
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
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/prod/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: kube-system}`,
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
      if (!project) continue;
      const spec = projectSpec(project.object);
      const { server, name: resolvedName, namespace, both } = resolvedDestination(model, app.object);
      const name = (app.object.spec as { destination?: { name?: unknown } }).destination?.name as string | undefined;
      if (both) {
        report({
          resource: applicationSubject(app),
          path: ['spec', 'destination', 'name'],
          message: `${describeApplication(app)} sets both destination.name and destination.server; Argo CD rejects that`,
          hint: 'Keep one of them.',
        });
        continue;
      }
      if (isDestinationPermitted(spec, { server, name: resolvedName, namespace })) continue;
      const where = name ?? server ?? '(no cluster)';
      // When some entry takes the cluster, the namespace is what the person should look at.
      const namespaceOnly = isClusterListed(spec, { server, name: resolvedName, namespace });
      report({
        resource: applicationSubject(app),
        path: ['spec', 'destination', namespaceOnly ? 'namespace' : name ? 'name' : 'server'],
        message: `${describeApplication(app)} deploys to namespace "${namespace}" on ${where}, which project ${projectName(app)} does not allow`,
        hint: `destinations of ${projectName(app)}: ${spec.destinations.map((d) => `${d.name ?? d.server ?? '?'}/${d.namespace ?? ''}`).join(', ') || '(none)'} (${project.origin.file}).`,
      });
    }
  },
});

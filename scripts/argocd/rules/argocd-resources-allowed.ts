import { describeResource } from '../../types.ts';
import { renderedResources, resolvedDestination } from '../model.ts';
import {
  clusterScopedCRDs,
  groupOf,
  isClusterScoped,
  isDestinationPermitted,
  isGroupKindPermitted,
  projectSpec,
} from '../project.ts';
import { applicationSubject, describeApplication, projectName } from '../describe.ts';
import { defineRule } from '../../check/contract.ts';
import { argoModel } from '../model.ts';

export default defineRule({
  meta: {
    id: 'argocd-resources-allowed',
    description:
      "The kinds an Application renders are allowed by its AppProject's cluster and namespace resource allow and deny lists.",
    defaultSeverity: 'error',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `Argo CD refuses to sync a resource whose group and kind the project does not permit. Cluster-scoped
kinds (Namespace, ClusterRole, CustomResourceDefinition...) are denied unless \`clusterResourceWhitelist\`
lists them and \`clusterResourceBlacklist\` does not; namespaced kinds are allowed unless
\`namespaceResourceWhitelist\` is set and leaves them out, or \`namespaceResourceBlacklist\` lists them.
A namespaced resource that sets its own namespace must also land in a namespace the project's
destinations allow. The kinds come from the rendered output of the Application's path.`,
      fix: `Add the group and kind to the project's list (as narrowly as the app needs), or move
the resource to an Application whose project allows it (cluster-wide objects often belong to a
platform project).`,
    },
    examples: {
      bad: `# file: argocd/web-prod.yaml
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: shop, namespace: argocd}
spec:
  sourceRepos: [https://github.com/acme/gitops.git]
  destinations: [{server: https://kubernetes.default.svc, namespace: shop-prod}]
  clusterResourceWhitelist: []
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-prod, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/prod/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop-prod}
# file: overlays/prod/web/clusterrole.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: web-reader}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]`,
      good: `# file: argocd/web-prod.yaml
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: shop, namespace: argocd}
spec:
  sourceRepos: [https://github.com/acme/gitops.git]
  destinations: [{server: https://kubernetes.default.svc, namespace: shop-prod}]
  clusterResourceWhitelist: [{group: rbac.authorization.k8s.io, kind: ClusterRole}]
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-prod, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/prod/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop-prod}
# file: overlays/prod/web/clusterrole.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: web-reader}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]`,
    },
  },
  check({ repo, report }) {
    const model = argoModel(repo);
    const crds = clusterScopedCRDs(repo);
    for (const app of model.applications) {
      const project = model.projects.get(projectName(app));
      if (!project) continue;
      const spec = projectSpec(project.object);
      const destination = resolvedDestination(model, app.object);
      const reported = new Set<string>();
      for (const resource of renderedResources(repo, model, app.object)) {
        const kind = { group: groupOf(resource.object.apiVersion), kind: resource.object.kind ?? '' };
        const namespaced = !isClusterScoped(kind, crds);
        const verdict = isGroupKindPermitted(spec, kind, namespaced);
        const label = `${kind.group || 'core'}/${kind.kind}`;
        // origin.line is lazy (it parses the source file): compute it only for a finding.
        const where = () =>
          `${describeResource(resource.object)} (${resource.origin.file}${resource.origin.line ? `:${resource.origin.line}` : ''})`;
        if (!verdict.permitted) {
          if (reported.has(label)) continue;
          reported.add(label);
          report({
            resource: applicationSubject(app),
            path: ['spec', 'project'],
            message: `${describeApplication(app)} renders ${where()}, a ${namespaced ? 'namespaced' : 'cluster-scoped'} ${label} that project ${projectName(app)} does not allow: ${verdict.reason}`,
            hint: `Edit ${project.origin.file}, or move the resource to an Application of a project that allows it.`,
          });
          continue;
        }
        const namespace = resource.object.metadata?.namespace;
        if (!namespaced || !namespace) continue;
        if (isDestinationPermitted(spec, { server: destination.server, name: destination.name, namespace })) continue;
        const key = `ns:${namespace}`;
        if (reported.has(key)) continue;
        reported.add(key);
        report({
          resource: applicationSubject(app),
          path: ['spec', 'project'],
          message: `${describeApplication(app)} renders ${where()} into namespace "${namespace}", which project ${projectName(app)}'s destinations do not allow`,
        });
      }
    }
    return;
  },
});

import { appsForPath, cleanPath, localPathSources, repoPathKind } from '../model.ts';
import { isMap } from '../gotemplate/values.ts';
import { applicationSubject, describeApplication } from '../describe.ts';
import { defineRule } from '../../check/contract.ts';
import { OFFLINE_REASONS } from '../../types.ts';
import { argoModel } from '../model.ts';

export default defineRule({
  meta: {
    id: 'argocd-path-renders',
    description:
      "Each source path of an Application exists in the repository and renders (through the render stage's kustomize build).",
    defaultSeverity: 'error',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `Argo CD builds the Application's \`source.path\` (or each of \`sources[].path\`) at every sync. A path
that does not exist, or a kustomization that fails to build, leaves the Application in
\`ComparisonError\` and nothing deploys. The check looks up the app discovery found at that path and
its render result; paths in other repositories, Helm chart sources and plugin sources are not checked.
A folder of plain manifests is an Argo CD directory source and counts as rendering.`,
      fix: `Correct the path (for an ApplicationSet, the template or the generator that builds it),
or fix the kustomization the render error names.`,
    },
    examples: {
      bad: `# file: argocd/payment-prod.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: payment-prod, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/prod/paymnet, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop-prod}   # typo: no such folder
# file: overlays/prod/payment/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: payment, namespace: shop}
spec:
  selector: {matchLabels: {app: payment}}
  template:
    metadata: {labels: {app: payment}}
    spec:
      containers:
        - name: payment
          image: ghcr.io/acme/web:1.4.2`,
      good: `# file: argocd/payment-prod.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: payment-prod, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/prod/payment, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop-prod}
# file: overlays/prod/payment/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: payment, namespace: shop}
spec:
  selector: {matchLabels: {app: payment}}
  template:
    metadata: {labels: {app: payment}}
    spec:
      containers:
        - name: payment
          image: ghcr.io/acme/web:1.4.2`,
    },
  },
  check({ repo, report }) {
    const model = argoModel(repo);
    for (const app of model.applications) {
      for (const source of localPathSources(model, app.object)) {
        const sourcePath = cleanPath(source.path);
        const at = [...source.at, 'path'];
        if (repoPathKind(model.repo, sourcePath) === undefined) {
          report({
            resource: applicationSubject(app),
            path: at,
            message: `${describeApplication(app)} points at path "${sourcePath}", which does not exist in the repository`,
          });
          continue;
        }
        if (isMap(source.plugin)) continue; // a config management plugin renders it: nothing to check offline
        const recurse = isMap(source.directory) && source.directory.recurse === true;
        // The unit rendered for this Application (its overrides, its Helm release), else what discovery found there.
        const own = repo.apps.filter((rendered) => rendered.applications?.includes(app.name));
        const apps = own.length > 0 ? own : appsForPath(repo, sourcePath, recurse);
        const failed = apps.find((rendered) => rendered.renderError);
        if (failed?.notRendered && OFFLINE_REASONS.has(failed.notRendered)) {
          // The render stage already reports why (a remote base, helmCharts): context, not a second error.
          report({
            resource: applicationSubject(app),
            path: at,
            message: `${describeApplication(app)} points at "${sourcePath}", which cannot be rendered offline, so its resources are not checked`,
            severity: 'info',
          });
          continue;
        }
        if (failed) {
          report({
            resource: applicationSubject(app),
            path: at,
            message: `${describeApplication(app)} points at "${sourcePath}", which does not render: ${failed.renderError!.split('\n')[0]}`,
          });
          continue;
        }
        if (apps.length > 0) continue;
        if (repoPathKind(model.repo, `${sourcePath}/Chart.yaml`) === 'file') {
          report({
            resource: applicationSubject(app),
            path: at,
            message: `${describeApplication(app)} points at the Helm chart "${sourcePath}", which this check does not render`,
            severity: 'info',
          });
          continue;
        }
        report({
          resource: applicationSubject(app),
          path: at,
          message: `${describeApplication(app)} points at "${sourcePath}", which holds no kustomization, chart or manifest Argo CD would render`,
          hint: 'Point the path at a folder with a kustomization.yaml or manifests.',
        });
      }
    }
    return;
  },
});

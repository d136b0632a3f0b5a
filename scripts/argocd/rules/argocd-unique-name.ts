import type { ArgoApplication } from '../model.ts';
import { applicationSubject, describeApplication } from '../describe.ts';
import { defineRule } from '../../check/contract.ts';
import { argoModel } from '../model.ts';

export default defineRule({
  meta: {
    id: 'argocd-unique-name',
    description: 'No two Applications (written by hand or generated) share a name in the same namespace.',
    defaultSeverity: 'error',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `An Application is identified by its namespace and name. Two definitions of the same name overwrite
each other in turn (every sync flips the Application between them), and when an ApplicationSet's
template gives two parameter sets the same name, Argo CD creates the first and reports the second.`,
      fix: `Rename one of them; in an ApplicationSet put every parameter that varies (service and
environment, usually) into \`metadata.name\`.`,
    },
    examples: {
      bad: `# file: argocd/web.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/staging/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop-staging}
# file: argocd/web-prod.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/prod/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop-prod}   # the same name again`,
      good: `# file: argocd/web-staging.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-staging, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: overlays/staging/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop-staging}
# file: argocd/web-prod.yaml
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
    const byName = new Map<string, ArgoApplication[]>();
    for (const app of model.applications) {
      const key = `${app.object.metadata?.namespace ?? 'argocd'}/${app.name}`;
      byName.set(key, [...(byName.get(key) ?? []), app]);
    }
    for (const apps of byName.values()) {
      if (apps.length < 2) continue;
      const first = apps[0];
      const firstAt = first.locate(['metadata', 'name']);
      for (const other of apps.slice(1)) {
        report({
          resource: applicationSubject(other),
          path: ['metadata', 'name'],
          message: `${describeApplication(other)} has the same name as ${describeApplication(first)} at ${firstAt.file}${firstAt.line ? `:${firstAt.line}` : ''}`,
        });
      }
    }
    return;
  },
});

import { defineRule } from '../../check/contract.ts';
import { appliedResources, type AppliedResource } from '../applied.ts';
import { describeApplication } from '../describe.ts';
import { ARGO_FACTS } from '../facts.ts';
import { argoModel, type ArgoApplication } from '../model.ts';
import { clusterScopedCRDs } from '../project.ts';

export default defineRule({
  meta: {
    id: 'argocd-shared-resource',
    description: 'No resource is deployed by two Applications (same cluster, kind, namespace and name).',
    defaultSeverity: 'warning',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `Argo CD marks every resource it applies with the Application that owns it: the
\`${ARGO_FACTS.resourceTracking.annotation}\` annotation since Argo CD ${ARGO_FACTS.resourceTracking.since} (the
\`app.kubernetes.io/instance\` label before, or with \`application.resourceTrackingMethod: label\`). Two
Applications rendering the same object take it from each other on every sync: both show
SharedResourceWarning and OutOfSync, and pruning one deletes what the other still needs. With the
\`FailOnSharedResource=true\` sync option the sync fails instead.`,
      fix: `Keep the object in one Application only (a shared Namespace belongs to a platform Application, or
use \`CreateNamespace=true\`); or give the copies different names or namespaces.`,
    },
    examples: {
      bad: `# file: argocd/api.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: api, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: apps/api, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop}
# file: argocd/web.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: apps/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop}
# file: apps/api/namespace.yaml
apiVersion: v1
kind: Namespace
metadata: {name: shop}
# file: apps/web/namespace.yaml
apiVersion: v1
kind: Namespace
metadata: {name: shop}   # the same Namespace, from a second Application`,
      good: `# file: argocd/platform.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: platform, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: platform, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop}
# file: argocd/web.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: apps/web, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop}
# file: platform/namespace.yaml
apiVersion: v1
kind: Namespace
metadata: {name: shop}
# file: apps/web/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
    },
  },
  check({ repo, report }) {
    const model = argoModel(repo);
    const crds = clusterScopedCRDs(repo);
    const owners = new Map<string, { app: ArgoApplication; applied: AppliedResource }>();
    const reported = new Set<string>();
    for (const app of model.applications) {
      for (const applied of appliedResources(repo, model, app, crds)) {
        if (applied.key.startsWith(' ')) continue; // no known destination cluster: nothing to compare
        const first = owners.get(applied.key);
        if (!first) {
          owners.set(applied.key, { app, applied });
          continue;
        }
        if (first.app === app || first.app.name === app.name) continue; // one Application reaching a file twice
        const pair = `${applied.key} ${app.name}`;
        if (reported.has(pair)) continue;
        reported.add(pair);
        const object = applied.object;
        const origin = first.applied.resource.origin;
        const fails = [first.app, app].some(failsOnSharedResource)
          ? ' (FailOnSharedResource=true: the sync fails)'
          : '';
        report({
          resource: applied.resource,
          path: ['metadata', 'name'],
          message: `${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name ?? ''} is deployed by ${describeApplication(app)} and by ${describeApplication(first.app)} (${origin.file}${origin.line ? `:${origin.line}` : ''}): each sync takes it from the other${fails}`,
          hint: 'keep the resource in one Application, or give the copies different names or namespaces',
          ...(app.env ? { env: app.env } : {}),
        });
      }
    }
  },
});

function failsOnSharedResource(app: ArgoApplication): boolean {
  const spec = app.object.spec as { syncPolicy?: { syncOptions?: unknown } } | undefined;
  const options = spec?.syncPolicy?.syncOptions;
  return Array.isArray(options) && options.includes('FailOnSharedResource=true');
}

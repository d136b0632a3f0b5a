import type { App, RepoContext } from '../../types.ts';
import type { ArgoApplication } from '../model.ts';
import { scopeOf } from '../../kube/workloads.ts';
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
template gives two parameter sets the same name, Argo CD creates the first and reports the second.

That happens when one Argo CD gets both: one ApplicationSet, one environment, or one folder or
kustomization on their way up the repository's app-of-apps chain. Two definitions in unrelated
folders that nothing in the repository deploys (an examples repository's alternative versions of one
demo, each applied by hand) conflict only if someone applies both: that is information.`,
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
        const together = appliedTogether(repo, model.applications, first, other);
        const same = `${describeApplication(other)} has the same name as ${describeApplication(first)} at ${firstAt.file}${firstAt.line ? `:${firstAt.line}` : ''}`;
        report({
          resource: applicationSubject(other),
          path: ['metadata', 'name'],
          ...(together
            ? {}
            : {
                severity: 'info' as const,
                hint: 'Nothing in the repository applies both (separate folders, applied by hand): if both reach one Argo CD, rename one.',
              }),
          message: together ? same : `${same}; they conflict only if both are applied to one Argo CD`,
        });
      }
    }
    return;
  },
});

/** The deploy unit a resource was rendered in. */
function unitOf(repo: RepoContext, app: ArgoApplication): App | undefined {
  return repo.apps.find((unit) => unit.id === app.resource.origin.app);
}

/**
 * The scopes a unit is applied from: its own, and up the chain of the repository's Applications that
 * deploy it (app of apps) to the units applied by hand.
 */
function appliedFrom(repo: RepoContext, applications: ArgoApplication[], start: App): Set<string> {
  const scopes = new Set<string>();
  const queue = [start];
  const seen = new Set<App>();
  while (queue.length > 0) {
    const unit = queue.shift() as App;
    if (seen.has(unit)) continue;
    seen.add(unit);
    scopes.add(scopeOf(unit));
    for (const name of unit.applications ?? [])
      for (const deployer of applications.filter((app) => app.name === name)) {
        const parent = unitOf(repo, deployer);
        if (parent) queue.push(parent);
      }
  }
  return scopes;
}

/**
 * Whether one Argo CD is known to get both definitions: one ApplicationSet generating both, one
 * environment, or one scope (a kustomization, a folder of manifests applied together) on their way up
 * the repository's app-of-apps chain. Two root files in unrelated folders (an examples repository:
 * alternative versions of one demo) are each applied by hand, and whether both reach one Argo CD
 * cannot be told from the repository.
 */
function appliedTogether(
  repo: RepoContext,
  applications: ArgoApplication[],
  a: ArgoApplication,
  b: ArgoApplication,
): boolean {
  if (a.resource === b.resource) return true;
  if (a.resource.origin.env !== undefined && a.resource.origin.env === b.resource.origin.env) return true;
  const [unitA, unitB] = [unitOf(repo, a), unitOf(repo, b)];
  if (!unitA || !unitB) return true;
  const fromB = appliedFrom(repo, applications, unitB);
  return [...appliedFrom(repo, applications, unitA)].some((scope) => fromB.has(scope));
}

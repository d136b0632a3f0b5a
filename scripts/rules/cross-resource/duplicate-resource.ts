import type { App, RepoContext, Resource } from '../../types.ts';
import { serviceKey } from '../../kube/env-services.ts';
import { isClusterScopedObject } from '../../kube/cluster-scope.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'duplicate-resource',
    description: 'No two apps deploy the same object (kind, namespace, name) to the same cluster.',
    defaultSeverity: 'error',
    category: 'cross-resource',
    scope: 'repository',
    docs: {
      why: `When two Argo CD Applications manage the same object, each sync overwrites the other's version:
the object flaps, both apps show OutOfSync forever, and pruning one app deletes the object the other
still needs. The usual cause is a shared object (a Namespace, a ClusterRole, a ConfigMap) copied into
two services' folders.

Objects are compared per cluster: environments that gitops.yaml maps to the same cluster share one.
Without a cluster in gitops.yaml, apps side by side in one environment's folder
(\`overlays/prod/web\` and \`overlays/prod/api\`) are taken to share a cluster. Namespaced objects without a namespace are not compared (Argo
CD puts them in each Application's destination namespace).`,
      fix: `Keep the object in one app (the environment's shared namespaces folder for
Namespaces and shared RBAC) and remove the copies.`,
    },
    examples: {
      bad: `# file: overlays/prod/web/kustomization.yaml
resources: [namespace.yaml]
# file: overlays/prod/web/namespace.yaml
apiVersion: v1
kind: Namespace
metadata: {name: shop}
# file: overlays/prod/api/kustomization.yaml
resources: [namespace.yaml]
# file: overlays/prod/api/namespace.yaml
apiVersion: v1
kind: Namespace
metadata: {name: shop}   # the same Namespace again`,
      good: `# file: overlays/prod/namespaces/kustomization.yaml
resources: [namespace.yaml]
# file: overlays/prod/namespaces/namespace.yaml
apiVersion: v1
kind: Namespace
metadata: {name: shop}
# file: overlays/prod/web/kustomization.yaml
resources: [deployment.yaml]
# file: overlays/prod/web/deployment.yaml
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
    const owners = new Map<string, { app: string; resource: Resource }[]>();
    for (const app of repo.apps) {
      if (!app.env) continue;
      const cluster = clusterOf(repo, app);
      for (const resource of app.resources) {
        const object = resource.object;
        // cluster-scoped kinds: two apps deploying one of these to a cluster always collide
        const clusterScoped = isClusterScopedObject(object, repo);
        const namespace = object.metadata?.namespace;
        if (!clusterScoped && !namespace) continue;
        const group = (object.apiVersion ?? '').includes('/') ? (object.apiVersion ?? '').split('/')[0] : '';
        const key = [cluster, group, object.kind, clusterScoped ? '' : namespace, object.metadata?.name].join('\0');
        const list = owners.get(key) ?? [];
        list.push({ app: app.id, resource });
        owners.set(key, list);
      }
    }
    for (const list of owners.values()) {
      if (list.length < 2) continue; // one object: no other app to collide with
      const apps = [...new Set(list.map((o) => o.app))].sort();
      if (apps.length < 2) continue;
      for (const { app, resource } of list) {
        const others = apps.filter((a) => a !== app);
        report({
          resource,
          path: ['metadata', 'name'],
          message: `${resource.object.kind} "${resource.object.metadata?.name ?? '?'}" is also deployed by ${others.join(', ')} to the same cluster; the apps will overwrite each other.`,
        });
      }
    }
    return;
  },
});

/**
 * The cluster an app deploys to: gitops.yaml's cluster server or name for its environment. Without
 * one, the environment within the app's folder family (overlays/<env>/<service> apps share
 * "overlays/<env>"): an environment name inferred from a path is weak evidence of a shared cluster,
 * and repositories of examples reuse names like "dev" for unrelated demos.
 */
function clusterOf(repo: RepoContext, app: App): string {
  const cluster = repo.config?.environments?.find((e) => e.name === app.env)?.cluster;
  if (cluster?.server ?? cluster?.name) return `cluster:${cluster?.server ?? cluster?.name}`;
  const key = serviceKey(app) ?? app.id;
  return `env:${app.env}:${key.split('/').slice(0, -1).join('/')}`;
}

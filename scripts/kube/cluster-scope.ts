// Whether an object lives outside namespaces: the built-in cluster-scoped kinds (argocd/project.ts
// keeps that list, with the group, for AppProjects' cluster resource whitelists) and the kinds of the
// repository's own CustomResourceDefinitions with `scope: Cluster`.
import type { KubeObject, RepoContext } from '../types.ts';
import { groupOf, isClusterScoped } from '../argocd/project.ts';
import { get, str } from './values.ts';

const crdCache = new WeakMap<RepoContext['apps'], Set<string>>();

/** "group/Kind" of every CRD in the repository that declares `scope: Cluster`. */
function clusterScopedCrdKinds(repo: RepoContext): Set<string> {
  let kinds = crdCache.get(repo.apps);
  if (!kinds) {
    kinds = new Set();
    for (const app of repo.apps)
      for (const { object } of app.resources) {
        if (object.kind !== 'CustomResourceDefinition' || get(object, 'spec', 'scope') !== 'Cluster') continue;
        const kind = str(get(object, 'spec', 'names', 'kind'));
        if (kind) kinds.add(`${str(get(object, 'spec', 'group')) ?? ''}/${kind}`);
      }
    crdCache.set(repo.apps, kinds);
  }
  return kinds;
}

export function isClusterScopedObject(object: KubeObject, repo: RepoContext): boolean {
  return isClusterScoped({ group: groupOf(object.apiVersion), kind: object.kind ?? '' }, clusterScopedCrdKinds(repo));
}

import { isMap } from '../gotemplate/values.ts';

import { defineRule } from '../../check/contract.ts';
import { argoModel } from '../model.ts';

export default defineRule({
  meta: {
    id: 'appproject-least-privilege',
    description:
      'AppProjects list the repositories, destinations and cluster-scoped kinds their Applications need, not `*`.',
    defaultSeverity: 'warning',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `A project is the fence around what its Applications may do. \`*\` in \`sourceRepos\` lets an Application
deploy from any repository, a \`*\` server, name or namespace in \`destinations\` lets it deploy anywhere,
and a \`*\` kind in \`clusterResourceWhitelist\` lets it create ClusterRoles, webhooks and CRDs. A PR that
only changes an overlay should not be able to reach that far.`,
      fix: `List the repository URL, the clusters and namespaces of the environments, and the
cluster-scoped kinds the Applications render (often just Namespace).`,
    },
    examples: {
      bad: `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: shop, namespace: argocd}
spec:
  sourceRepos: ['*']
  destinations: [{server: '*', namespace: '*'}]
  clusterResourceWhitelist: [{group: '*', kind: '*'}]`,
      good: `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: shop, namespace: argocd}
spec:
  sourceRepos: [https://github.com/acme/gitops.git]
  destinations: [{server: https://kubernetes.default.svc, namespace: shop-prod}]
  clusterResourceWhitelist: [{group: '', kind: Namespace}]`,
    },
  },
  check({ repo, report }) {
    const model = argoModel(repo);
    for (const project of model.projects.values()) {
      const name = project.object.metadata?.name ?? '';
      const spec = isMap(project.object.spec) ? project.object.spec : {};
      (Array.isArray(spec.sourceRepos) ? spec.sourceRepos : []).forEach((repo, i) => {
        if (repo === '*')
          report({
            resource: project,
            path: ['spec', 'sourceRepos', i],
            message: `AppProject ${name} allows every source repository ('*')`,
          });
      });
      (Array.isArray(spec.destinations) ? spec.destinations : []).forEach((destination, i) => {
        if (!isMap(destination)) return;
        const wild = [];
        if (destination.server === '*') wild.push('every cluster (server: *)');
        if (destination.name === '*') wild.push('every cluster (name: *)');
        if (destination.namespace === '*') wild.push('every namespace');
        if (wild.length)
          report({
            resource: project,
            path: ['spec', 'destinations', i],
            message: `AppProject ${name} allows ${wild.join(' and ')} as a destination`,
          });
      });
      (Array.isArray(spec.clusterResourceWhitelist) ? spec.clusterResourceWhitelist : []).forEach((entry, i) => {
        if (isMap(entry) && entry.kind === '*') {
          const group = entry.group === '*' ? 'of every API group' : `of group "${String(entry.group ?? '')}"`;
          report({
            resource: project,
            path: ['spec', 'clusterResourceWhitelist', i],
            message: `AppProject ${name} allows every cluster-scoped kind ${group}`,
          });
        }
      });
    }
    return;
  },
});

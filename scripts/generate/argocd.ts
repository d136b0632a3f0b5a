// argocd/: one AppProject fenced to this repository, the declared clusters and namespaces, and one
// ApplicationSet per environment (sync policy differs by environment: prod syncs by hand).
import { AppProject, ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import type { EnvironmentConfig, GitopsConfig } from '../config/types.ts';
import { environmentsOf } from './effective.ts';
import { built, type BuiltObject } from './objects.ts';
import { compareText } from '../finding-order.ts';

export const NAMESPACES_APP = 'namespaces';

export function argocdNamespace(config: GitopsConfig): string {
  return config.argocd?.namespace ?? 'argocd';
}

/** group/kind of every namespaced object the generator writes (and ConfigMap from configMapGenerator). */
function namespacedKinds(objectKinds: { group: string; kind: string }[]): { group: string; kind: string }[] {
  // Namespace is cluster-scoped: it is in clusterResourceWhitelist, the only cluster-scoped kind allowed.
  const unique = new Map(
    objectKinds
      .filter((entry) => !(entry.group === '' && entry.kind === 'Namespace'))
      .map((entry) => [`${entry.group}/${entry.kind}`, entry]),
  );
  return [...unique.values()].sort((a, b) => compareText(a.group, b.group) || compareText(a.kind, b.kind));
}

export function appProject(config: GitopsConfig, objectKinds: { group: string; kind: string }[]): BuiltObject {
  const destinations = config.environments.flatMap((env) =>
    config.namespaces.map((namespace) => ({
      name: env.cluster.name,
      server: env.cluster.server,
      namespace: namespace.name,
    })),
  );
  return built(
    new AppProject({
      metadata: { name: config.project.name, namespace: argocdNamespace(config) },
      spec: {
        description: `${config.project.name}: generated from gitops.yaml`,
        sourceRepos: [config.project.repoURL],
        destinations: destinations.map(({ server, namespace }) => ({ server, namespace })),
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
        namespaceResourceWhitelist: namespacedKinds(objectKinds),
      },
    }),
  );
}

export interface AppElement {
  name: string;
  namespace: string;
  path: string;
}

export function appElements(config: GitopsConfig, env: EnvironmentConfig): AppElement[] {
  const services = config.services.filter((service) => environmentsOf(config, service).includes(env));
  return [
    // The namespaces app has objects in several namespaces; its destination namespace is only the default.
    { name: NAMESPACES_APP, namespace: config.namespaces[0].name, path: `overlays/${env.name}/${NAMESPACES_APP}` },
    ...services.map((service) => ({
      name: service.name,
      namespace: service.namespace,
      path: `overlays/${env.name}/${service.name}`,
    })),
  ];
}

export function applicationSet(config: GitopsConfig, env: EnvironmentConfig): BuiltObject {
  const policy = env.syncPolicy;
  return built(
    new ApplicationSet({
      metadata: { name: `${config.project.name}-${env.name}`, namespace: argocdNamespace(config) },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{ list: { elements: appElements(config, env).map((element) => ({ ...element })) } }],
        // Deleting the ApplicationSet must not delete what runs in the clusters.
        syncPolicy: { preserveResourcesOnDeletion: true },
        template: {
          metadata: {
            name: `{{.name}}-${env.name}`,
            labels: {
              'app.kubernetes.io/part-of': config.project.name,
              'gitops.dev/environment': env.name,
              'gitops.dev/service': '{{.name}}',
            },
          },
          spec: {
            project: config.project.name,
            source: {
              repoURL: config.project.repoURL,
              targetRevision: config.project.targetRevision ?? 'main',
              path: '{{.path}}',
            },
            destination: { server: env.cluster.server, namespace: '{{.namespace}}' },
            syncPolicy: {
              ...(policy.automated ? { automated: { prune: policy.prune, selfHeal: policy.selfHeal } } : {}),
              syncOptions: ['CreateNamespace=true', 'PruneLast=true'],
              retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
            },
          },
        },
      },
    }),
  );
}

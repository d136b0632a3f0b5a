// argocd/: per environment, one AppProject fenced to this repository, that environment's cluster and
// namespaces (a dev Application cannot point at the prod cluster), with a read-only and a deployer role
// and its sync windows; and one ApplicationSet (sync policy differs by environment: prod syncs by hand).
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

/** The AppProject of an environment: `<project>-<env>`. */
export function projectName(config: GitopsConfig, env: EnvironmentConfig): string {
  return `${config.project.name}-${env.name}`;
}

export function appProject(
  config: GitopsConfig,
  env: EnvironmentConfig,
  objectKinds: { group: string; kind: string }[],
): BuiltObject {
  const name = projectName(config, env);
  const project = env.project ?? {};
  const everyApp = `${name}/*`;
  const role = (role: string, description: string, actions: string[], groups: string[] | undefined) => ({
    name: role,
    description,
    policies: actions.map((action) => `p, proj:${name}:${role}, applications, ${action}, ${everyApp}, allow`),
    ...(groups && groups.length > 0 ? { groups } : {}),
  });
  return built(
    new AppProject({
      metadata: { name, namespace: argocdNamespace(config) },
      spec: {
        description: `${config.project.name} in ${env.name}: generated from gitops.yaml`,
        sourceRepos: [config.project.repoURL],
        destinations: config.namespaces.map((namespace) => ({
          server: env.cluster.server,
          namespace: namespace.name,
        })),
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
        namespaceResourceWhitelist: namespacedKinds(objectKinds),
        roles: [
          role('read-only', `sees the ${env.name} applications`, ['get'], project.readers),
          role('deployer', `syncs the ${env.name} applications`, ['get', 'sync'], project.deployers),
        ],
        ...(project.syncWindows && project.syncWindows.length > 0
          ? {
              syncWindows: project.syncWindows.map((window) => ({
                kind: window.kind,
                schedule: window.schedule,
                duration: window.duration,
                applications: ['*'],
                ...(window.manualSync !== undefined ? { manualSync: window.manualSync } : {}),
                ...(window.timeZone ? { timeZone: window.timeZone } : {}),
              })),
            }
          : {}),
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
            project: projectName(config, env),
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

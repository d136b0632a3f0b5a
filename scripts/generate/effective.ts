// What one service looks like in one environment: the environment's defaults, then the service's own
// settings, then its override for that environment.
import type { EnvironmentConfig, GitopsConfig, ReplicasConfig, Resources, ServiceConfig } from '../config/types.ts';

export interface EffectiveService {
  replicas: ReplicasConfig;
  resources: Resources;
  imageTag: string;
  /** When set, the environment runs this digest (the tag only documents it). */
  imageDigest?: string;
  /** Only the keys the environment adds or changes on top of the service's config. */
  configOverride: Record<string, string>;
}

export function effective(service: ServiceConfig, env: EnvironmentConfig): EffectiveService {
  const override = service.overrides?.[env.name] ?? {};
  return {
    replicas: override.replicas ?? service.replicas ?? env.defaults.replicas,
    resources: override.resources ?? service.resources,
    imageTag: override.imageTag ?? service.image.tag,
    // The most specific setting wins: an environment's own tag replaces the service's digest.
    imageDigest: override.imageDigest ?? (override.imageTag === undefined ? service.image.digest : undefined),
    configOverride: override.config ?? {},
  };
}

/** The storage class of a volume claim in an environment: the service's override, the claim's own, the environment's. */
export function storageClassOf(
  service: ServiceConfig,
  claim: NonNullable<ServiceConfig['volumeClaims']>[number],
  env: EnvironmentConfig,
): string | undefined {
  return service.overrides?.[env.name]?.storageClassName ?? claim.storageClassName ?? env.storageClassName;
}

/** How a container's image is written: `repo@digest` when pinned, else `repo:tag`. */
export function imageReference(image: { repository: string; tag: string; digest?: string }): string {
  return image.digest ? `${image.repository}@${image.digest}` : `${image.repository}:${image.tag}`;
}

/** The environments a service runs in, in gitops.yaml's order. */
export function environmentsOf(config: GitopsConfig, service: ServiceConfig): EnvironmentConfig[] {
  return config.environments.filter((env) => !service.environments || service.environments.includes(env.name));
}

/**
 * Deployments and Workers scale with an HPA; a StatefulSet keeps a fixed count (its data does not
 * rebalance); a DaemonSet runs one pod per node.
 */
export function isAutoscaled(service: ServiceConfig): boolean {
  return service.workload === 'Deployment' || service.workload === 'Worker';
}

/** Only a StatefulSet carries a replica count of its own (set per environment by the overlay). */
export function hasReplicaCount(service: ServiceConfig): boolean {
  return service.workload === 'StatefulSet';
}

/** The replica count a base carries before an overlay says otherwise: the first environment's. */
export function baseReplicas(config: GitopsConfig, service: ServiceConfig): ReplicasConfig {
  const first = environmentsOf(config, service)[0] ?? config.environments[0];
  return effective(service, first).replicas;
}

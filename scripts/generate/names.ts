// The names the generated objects of a service share: one place, so the base, the overlays and the
// checks of people's overlays agree.
import type { ServiceConfig } from '../config/types.ts';

/** The kind of the service's workload object (a Worker is a Deployment without a Service). */
export function workloadKind(service: ServiceConfig): 'Deployment' | 'StatefulSet' | 'DaemonSet' {
  return service.workload === 'StatefulSet' || service.workload === 'DaemonSet' ? service.workload : 'Deployment';
}

/** A service gets a generated ConfigMap when it or any environment sets config. */
export function hasConfig(service: ServiceConfig): boolean {
  return (
    service.config !== undefined ||
    Object.values(service.overrides ?? {}).some((override) => override.config !== undefined)
  );
}

export function configMapName(service: ServiceConfig): string {
  return `${service.name}-config`;
}

/** The ConfigMap of the service's configFiles (application.yml, logback.xml...). */
export function configFilesName(service: ServiceConfig): string {
  return `${service.name}-files`;
}

export function externalSecretName(service: ServiceConfig, secret: string): string {
  return `${service.name}-${secret}`;
}

export function tlsSecretName(service: ServiceConfig): string {
  return `${service.name}-tls`;
}

/** Deployments and DaemonSets with ports get a Service; a Worker never does. */
export function hasService(service: ServiceConfig): boolean {
  return service.workload !== 'Worker' && service.ports.length > 0;
}

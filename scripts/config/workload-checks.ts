// The checks of a service's workload settings that a schema cannot express: what each workload kind
// allows, a disruption budget that would block drains, hooks, metrics and config files. Each failure is
// an InputError at the line that wrote the setting (the service entry or its template).
import type { DeliveryConfig, EnvironmentConfig, HookConfig, ServiceConfig, VerticalScalingConfig } from './types.ts';
import type { JsonPath } from '../types.ts';
import { checkSecretSources } from './sealed-secrets.ts';

type Fail = (path: JsonPath, message: string) => never;
type At = (rest: JsonPath) => JsonPath;

export const DEFAULT_PRESTOP_SECONDS = 5;
export const DEFAULT_GRACE_SECONDS = 30;

/** The environments a service runs in, in gitops.yaml's order. */
function environmentsOf(service: ServiceConfig, environments: EnvironmentConfig[]): EnvironmentConfig[] {
  return environments.filter((env) => !service.environments || service.environments.includes(env.name));
}

function minReplicas(service: ServiceConfig, env: EnvironmentConfig): number {
  return (service.overrides?.[env.name]?.replicas ?? service.replicas ?? env.defaults.replicas).min;
}

/** The pods a budget keeps: minAvailable as a count, or its percentage of `pods` rounded up (as the eviction API does). */
function keptPods(minAvailable: number | string, pods: number): number {
  return typeof minAvailable === 'number' ? minAvailable : Math.ceil((pods * Number.parseInt(minAvailable, 10)) / 100);
}

/** The main container's preStop hook: `preStop`, or the older `preStopSleepSeconds`, or the default sleep. */
export function preStopOf(service: ServiceConfig): HookConfig {
  return service.preStop ?? { sleepSeconds: service.preStopSleepSeconds ?? DEFAULT_PRESTOP_SECONDS };
}

/** The environments a Rollout releases in: delivery.environments, or prod. */
export function deliveryEnvironments(delivery: DeliveryConfig): string[] {
  return delivery.environments ?? ['prod'];
}

function checkDelivery(
  service: ServiceConfig,
  delivery: DeliveryConfig,
  runsIn: EnvironmentConfig[],
  at: At,
  fail: Fail,
) {
  const who = `service "${service.name}"`;
  if (service.workload !== 'Deployment')
    fail(
      at(['delivery']),
      `${who} is a ${service.workload}: only a Deployment is released through Argo Rollouts. Remove delivery`,
    );
  if (delivery.trafficRouting === 'nginx' && !service.ingress)
    fail(
      at(['delivery', 'trafficRouting']),
      `${who} has no ingress, so NGINX has no Ingress to split: declare ingress, use trafficRouting: istio, or remove trafficRouting`,
    );
  for (const [index, name] of deliveryEnvironments(delivery).entries())
    if (!runsIn.some((env) => env.name === name))
      fail(
        at(['delivery', ...(delivery.environments ? ['environments', index] : [])]),
        `${who} does not run in environment "${name}", so it cannot be released there as a ${delivery.strategy}: list environments it runs in (${runsIn.map((env) => env.name).join(', ')})`,
      );
  const steps = delivery.steps ?? [];
  for (let index = 1; index < steps.length; index++)
    if (steps[index] <= steps[index - 1])
      fail(
        at(['delivery', 'steps', index]),
        `${who}: canary weight ${steps[index]} follows ${steps[index - 1]}; weights must go up (Argo Rollouts sends traffic back only on an abort)`,
      );
}

/** The resources the HPA scales on: CPU by default, memory when listed (autoscaling's utilisation targets). */
function hpaResources(service: ServiceConfig): string[] {
  if (service.eventScaling)
    return service.eventScaling.triggers.flatMap((trigger) =>
      trigger.type === 'cpu' || trigger.type === 'memory' ? [trigger.type] : [],
    );
  const scaling = service.autoscaling ?? {};
  const cpu = scaling.cpu ?? service.targetCPUUtilizationPercentage;
  const listed = [...(cpu !== undefined ? ['cpu'] : []), ...(scaling.memory !== undefined ? ['memory'] : [])];
  return listed.length > 0 || (scaling.metrics ?? []).length > 0 ? listed : ['cpu'];
}

function checkVerticalScaling(service: ServiceConfig, vertical: VerticalScalingConfig, at: At, fail: Fail) {
  if (service.workload !== 'Deployment' && service.workload !== 'Worker') return; // no HPA
  const shared = hpaResources(service).filter((resource) =>
    (vertical.controlledResources ?? ['cpu', 'memory']).includes(resource as 'cpu' | 'memory'),
  );
  if (shared.length > 0)
    fail(
      at(['verticalScaling', 'mode']),
      `service "${service.name}": its HPA scales on ${shared.join(' and ')}, which a VPA in auto mode would set too, and the two undo each other. Use mode: recommend, or controlledResources without ${shared.join(' and ')}`,
    );
}

export function checkWorkloadSettings(
  service: ServiceConfig,
  environments: EnvironmentConfig[],
  at: At,
  fail: Fail,
): void {
  const who = `service "${service.name}"`;
  const kind = service.workload;
  const portNames = new Set(service.ports.map((port) => port.name));

  if (kind === 'DaemonSet') {
    for (const key of ['replicas', 'autoscaling', 'disruptionBudget'] as const) {
      if (service[key] !== undefined)
        fail(at([key]), `${who} is a DaemonSet (one pod per node): it has no ${key}. Remove it`);
    }
    for (const env of environmentsOf(service, environments)) {
      if (env.nodes === undefined)
        fail(
          at(['workload']),
          `${who} is a DaemonSet, which runs one pod on every node of ${env.name}: declare environments "${env.name}" nodes (the most nodes that cluster scales to), so the namespace quota has room for them`,
        );
    }
  }
  checkSecretSources(service, environmentsOf(service, environments), at, fail);
  if (service.delivery) checkDelivery(service, service.delivery, environmentsOf(service, environments), at, fail);
  if (service.verticalScaling?.mode === 'auto') checkVerticalScaling(service, service.verticalScaling, at, fail);
  if (service.eventScaling) {
    if (service.workload !== 'Deployment' && service.workload !== 'Worker')
      fail(
        at(['eventScaling']),
        `service "${service.name}" is a ${service.workload}: only Deployments and Workers scale on events. Remove eventScaling`,
      );
    if (service.autoscaling || service.targetCPUUtilizationPercentage !== undefined)
      fail(
        at(['eventScaling']),
        `service "${service.name}" sets both autoscaling and eventScaling: KEDA's ScaledObject replaces the HPA, and two autoscalers on one workload fight. Keep one (CPU and memory can be cpu or memory triggers)`,
      );
  }
  if (kind === 'StatefulSet' && service.autoscaling)
    fail(at(['autoscaling']), `${who} is a StatefulSet, which keeps a fixed count: it has no autoscaling. Remove it`);

  const budget = service.disruptionBudget?.minAvailable;
  if (budget !== undefined) {
    for (const env of environmentsOf(service, environments)) {
      const pods = minReplicas(service, env);
      if (keptPods(budget, pods) >= pods)
        fail(
          at(['disruptionBudget', 'minAvailable']),
          `${who}: minAvailable ${budget} keeps all of its ${pods} pod(s) in ${env.name}, so no node holding one can be drained. Lower it, use maxUnavailable, or raise replicas.min in ${env.name}`,
        );
    }
  }

  if (service.preStop && service.preStopSleepSeconds !== undefined)
    fail(at(['preStopSleepSeconds']), `${who} sets both preStop and preStopSleepSeconds. Keep preStop`);
  const hook = preStopOf(service);
  const handlers = (['sleepSeconds', 'exec', 'http'] as const).filter((handler) => hook[handler] !== undefined);
  if (handlers.length !== 1)
    fail(
      at(['preStop']),
      `${who}: preStop needs exactly one of sleepSeconds, exec or http (has ${handlers.length}). Keep one`,
    );
  if (typeof hook.http?.port === 'string' && !portNames.has(hook.http.port))
    fail(
      at(['preStop', 'http', 'port']),
      `${who}: preStop port "${hook.http.port}" is not one of its ports. Use a port name from ports`,
    );
  const grace = service.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  if (hook.sleepSeconds !== undefined && hook.sleepSeconds >= grace)
    fail(
      at([service.preStop ? 'preStop' : 'preStopSleepSeconds']),
      `${who}: the preStop sleep (${hook.sleepSeconds}s) must be shorter than terminationGracePeriodSeconds (${grace}s). Lower one or raise the other`,
    );

  for (const [index, metric] of (service.autoscaling?.metrics ?? []).entries()) {
    const where = at(['autoscaling', 'metrics', index]);
    const targets = (['value', 'averageValue'] as const).filter((key) => metric[key] !== undefined);
    if (metric.type === 'Pods' && (metric.averageValue === undefined || metric.value !== undefined))
      fail(where, `${who}: a Pods metric's target is an averageValue (per pod). Set averageValue only`);
    if (metric.type !== 'Pods' && targets.length !== 1)
      fail(where, `${who}: an ${metric.type} metric needs exactly one of value or averageValue. Keep one`);
    if ((metric.type === 'Object') !== (metric.describedObject !== undefined))
      fail(where, `${who}: describedObject belongs to Object metrics, and every Object metric needs one`);
  }

  const seen = new Map<string, number>();
  for (const [index, file] of (service.configFiles ?? []).entries()) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const first = seen.get(name);
    if (first !== undefined)
      fail(
        at(['configFiles', index, 'path']),
        `${who}: configFiles ${first} and ${index} are both named "${name}": each file needs its own name (the ConfigMap key)`,
      );
    seen.set(name, index);
  }
}

/**
 * What Flagger (gitops.yaml `delivery.controller: flagger`) can release: a canary through Istio. It
 * copies the Deployment to <service>-primary, so a VPA of the Deployment would size the canary only,
 * and it writes the Services itself, exposing the first port by its name.
 */
export function checkFlaggerDelivery(service: ServiceConfig, delivery: DeliveryConfig, at: At, fail: Fail): void {
  const who = `service "${service.name}"`;
  if (delivery.strategy !== 'canary')
    fail(
      at(['delivery', 'strategy']),
      `${who}: delivery.controller is flagger, which releases canaries here; use strategy: canary, or delivery.controller: argo-rollouts for blueGreen`,
    );
  if (delivery.trafficRouting && delivery.trafficRouting !== 'istio')
    fail(
      at(['delivery', 'trafficRouting']),
      `${who}: Flagger moves the traffic through Istio here; use trafficRouting: istio, or remove it`,
    );
  if (service.verticalScaling)
    fail(
      at(['verticalScaling']),
      `${who}: Flagger runs the pods as ${service.name}-primary, which a VerticalPodAutoscaler of the Deployment does not follow. Remove verticalScaling, or use delivery.controller: argo-rollouts`,
    );
  if (service.metrics && service.metrics.port !== service.ports[0]?.name)
    fail(
      at(['metrics', 'port']),
      `${who}: Flagger's Services expose the first port (${service.ports[0]?.name}) by name, and the others under names of its own, so the ServiceMonitor could not find port "${service.metrics.port}". Serve metrics on ${service.ports[0]?.name}, or list ${service.metrics.port} first`,
    );
}

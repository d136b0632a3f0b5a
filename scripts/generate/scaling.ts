// How a service scales and how far it may be disrupted: the HorizontalPodAutoscaler (CPU, memory,
// custom and external metrics, behavior) and the PodDisruptionBudget.
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IHPAScalingRules, IMetricSpec } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IPodDisruptionBudgetSpec } from 'kubernetes-models/policy/v1/PodDisruptionBudgetSpec';
import type { GitopsConfig, MetricConfig, ScalingRulesConfig, ServiceConfig } from '../config/types.ts';
import { baseReplicas, isAutoscaled } from './effective.ts';
import { built, type BuiltObject } from './objects.ts';

const DEFAULT_CPU_PERCENT = 70;

type Meta = { name: string; namespace: string; labels: Record<string, string> };

function utilisation(name: 'cpu' | 'memory', percent: number): IMetricSpec {
  return { type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization: percent } } };
}

function target(metric: MetricConfig) {
  return metric.value !== undefined
    ? { type: 'Value', value: String(metric.value) }
    : { type: 'AverageValue', averageValue: String(metric.averageValue) };
}

function metricSpec(metric: MetricConfig): IMetricSpec {
  const identifier = {
    name: metric.metric,
    ...(metric.selector ? { selector: { matchLabels: metric.selector } } : {}),
  };
  switch (metric.type) {
    case 'Pods':
      return { type: 'Pods', pods: { metric: identifier, target: target(metric) } };
    case 'Object':
      return {
        type: 'Object',
        object: {
          metric: identifier,
          describedObject: metric.describedObject as NonNullable<MetricConfig['describedObject']>,
          target: target(metric),
        },
      };
    case 'External':
      return { type: 'External', external: { metric: identifier, target: target(metric) } };
  }
}

/** The metrics the HPA scales on: CPU by default, or what autoscaling lists. */
export function hpaMetrics(service: ServiceConfig): IMetricSpec[] {
  const scaling = service.autoscaling ?? {};
  const cpu = scaling.cpu ?? service.targetCPUUtilizationPercentage;
  const metrics: IMetricSpec[] = [
    ...(cpu !== undefined ? [utilisation('cpu', cpu)] : []),
    ...(scaling.memory !== undefined ? [utilisation('memory', scaling.memory)] : []),
    ...(scaling.metrics ?? []).map(metricSpec),
  ];
  return metrics.length > 0 ? metrics : [utilisation('cpu', DEFAULT_CPU_PERCENT)];
}

function rules(config: ScalingRulesConfig): IHPAScalingRules {
  return {
    ...(config.stabilizationWindowSeconds !== undefined
      ? { stabilizationWindowSeconds: config.stabilizationWindowSeconds }
      : {}),
    ...(config.selectPolicy ? { selectPolicy: config.selectPolicy } : {}),
    ...(config.policies ? { policies: config.policies } : {}),
  };
}

export function hpa(config: GitopsConfig, service: ServiceConfig, metadata: Meta): BuiltObject {
  const replicas = baseReplicas(config, service);
  const behavior = service.autoscaling?.behavior;
  return built(
    new HorizontalPodAutoscaler({
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
        minReplicas: replicas.min,
        maxReplicas: replicas.max,
        metrics: hpaMetrics(service),
        ...(behavior
          ? {
              behavior: {
                ...(behavior.scaleUp ? { scaleUp: rules(behavior.scaleUp) } : {}),
                ...(behavior.scaleDown ? { scaleDown: rules(behavior.scaleDown) } : {}),
              },
            }
          : {}),
      },
    }),
  );
}

/**
 * Autoscaled workloads may run more than one pod in any environment; a StatefulSet only when told to;
 * a DaemonSet never needs one (a drain does not evict DaemonSet pods).
 */
export function needsDisruptionBudget(config: GitopsConfig, service: ServiceConfig): boolean {
  if (service.workload === 'DaemonSet') return false;
  if (isAutoscaled(service) || service.disruptionBudget) return true;
  return config.environments.some(
    (env) => (service.overrides?.[env.name]?.replicas ?? service.replicas ?? env.defaults.replicas).min > 1,
  );
}

export function pdb(service: ServiceConfig, metadata: Meta, pods: IPodDisruptionBudgetSpec['selector']): BuiltObject {
  // maxUnavailable by default, not minAvailable: with one replica (dev) a drain still succeeds. The
  // config stage refuses a minAvailable that would keep every pod of an environment.
  const budget = service.disruptionBudget ?? { maxUnavailable: 1 };
  return built(
    new PodDisruptionBudget({
      metadata,
      spec: { ...budget, selector: pods },
    }),
  );
}

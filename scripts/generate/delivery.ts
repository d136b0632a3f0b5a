// Progressive delivery (issue 19): where gitops.yaml gives a service `delivery: {strategy: canary}`, that
// environment's overlay releases it through Argo Rollouts. The Rollout borrows the base Deployment's
// pod template (`workloadRef`, scaled down by the controller as the Rollout comes up: argo-rollouts
// docs/migrating.md), so the base stays one Deployment for every environment and only the overlays of
// the canary environments change. The HPA follows the Rollout, which now owns the pods; the PDB,
// Service, ServiceMonitor and NetworkPolicy select the pods by label and need no change.
import { AnalysisTemplate, Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import type { DeliveryConfig, EnvironmentConfig, ServiceConfig } from '../config/types.ts';
import { deliveryEnvironments } from '../config/workload-checks.ts';
import { selectorLabels } from './labels.ts';
import { built, type BuiltObject } from './objects.ts';

export const DEFAULT_CANARY_STEPS = [20, 50];
export const DEFAULT_PAUSE_SECONDS = 300;
export const DEFAULT_SUCCESS_RATE = 0.99;
export const DEFAULT_REQUESTS_METRIC = 'http_requests_total';

/** The service's canary settings in this environment, when it is released as a canary there. */
export function canaryIn(service: ServiceConfig, env: EnvironmentConfig): DeliveryConfig | undefined {
  const delivery = service.delivery;
  return delivery && deliveryEnvironments(delivery).includes(env.name) ? delivery : undefined;
}

/** The AnalysisTemplate's name: one per service, in its namespace. */
export function analysisName(service: ServiceConfig): string {
  return `${service.name}-success-rate`;
}

/** What the HPA scales in a canary environment: the Rollout, by its own API group. */
export function rolloutTargetRef(service: ServiceConfig) {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: service.name };
}

/**
 * The Rollout and its AnalysisTemplate. The analysis runs in the background from the first step and
 * aborts (rolling back to the stable pods) after `failureLimit` measurements below the success rate;
 * the query reads the requests Prometheus scrapes through the service's ServiceMonitor.
 */
export function canaryObjects(service: ServiceConfig, delivery: DeliveryConfig): BuiltObject[] {
  const metadata = { name: service.name, namespace: service.namespace };
  const steps = (delivery.steps ?? DEFAULT_CANARY_STEPS).flatMap((weight) => [
    { setWeight: weight },
    { pause: { duration: `${delivery.pauseSeconds ?? DEFAULT_PAUSE_SECONDS}s` } },
  ]);
  const rollout = new Rollout({
    metadata,
    spec: {
      selector: { matchLabels: selectorLabels(service) },
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name, scaleDown: 'progressively' },
      strategy: {
        canary: {
          steps,
          analysis: {
            templates: [{ templateName: analysisName(service) }],
            args: [
              { name: 'service', value: service.name },
              { name: 'namespace', value: service.namespace },
            ],
          },
        },
      },
    },
  });
  const selector = 'namespace="{{args.namespace}}",service="{{args.service}}"';
  const requests = delivery.analysis.requestsMetric ?? DEFAULT_REQUESTS_METRIC;
  const template = new AnalysisTemplate({
    metadata: { name: analysisName(service), namespace: service.namespace },
    spec: {
      args: [{ name: 'service' }, { name: 'namespace' }],
      metrics: [
        {
          name: 'success-rate',
          interval: '1m',
          failureLimit: delivery.analysis.failureLimit ?? 1,
          successCondition: `result[0] >= ${delivery.analysis.successRate ?? DEFAULT_SUCCESS_RATE}`,
          provider: {
            prometheus: {
              address: delivery.analysis.prometheus,
              query: `sum(rate(${requests}{${selector},status!~"5.."}[2m])) / sum(rate(${requests}{${selector}}[2m]))`,
            },
          },
        },
      ],
    },
  });
  return [built(rollout), built(template)];
}

// Progressive delivery (issue 19): where gitops.yaml gives a service `delivery`, that environment's
// overlay releases it through Argo Rollouts, as a canary or blue-green. The Rollout borrows the base
// Deployment's pod template (`workloadRef`, scaled down by the controller as the Rollout comes up:
// argo-rollouts docs/migrating.md), so the base stays one Deployment for every environment and only the
// overlays of those environments change. The HPA (or ScaledObject, VPA) follows the Rollout, which now
// owns the pods; the PDB, Service, ServiceMonitor and NetworkPolicy select the pods by label and need
// no change.
import { AnalysisTemplate, Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import type { IRolloutStrategy } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/RolloutStrategy';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1';
import { Service } from 'kubernetes-models/v1';
import type {
  DeliveryAnalysisConfig,
  DeliveryConfig,
  EnvironmentConfig,
  GitopsConfig,
  ServiceConfig,
} from '../config/types.ts';
import { deliveryEnvironments } from '../config/workload-checks.ts';
import { selectorLabels, serviceLabels, NAME_LABEL } from './labels.ts';
import { built, type BuiltObject } from './objects.ts';
import { serviceSpec } from './workload.ts';

export const DEFAULT_CANARY_STEPS = [20, 50];
export const DEFAULT_PAUSE_SECONDS = 300;
export const DEFAULT_SUCCESS_RATE = 0.99;
export const DEFAULT_REQUESTS_METRIC = 'http_requests_total';
export const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;
/** The VirtualService route the controller re-weights. */
export const ISTIO_ROUTE = 'primary';

/** The service's delivery settings in this environment, when a Rollout releases it there. */
export function deliveryIn(service: ServiceConfig, env: EnvironmentConfig): DeliveryConfig | undefined {
  const delivery = service.delivery;
  return delivery && deliveryEnvironments(delivery).includes(env.name) ? delivery : undefined;
}

/** The AnalysisTemplate's name: one per service, in its namespace. */
export function analysisName(service: ServiceConfig): string {
  return `${service.name}-success-rate`;
}

/** What the HPA scales where a Rollout releases the service: the Rollout, by its own API group. */
export function rolloutTargetRef(service: ServiceConfig) {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: service.name };
}

/** The Services the controller steers by selector: blue-green's preview, a routed canary's stable and canary. */
export function roleServices(service: ServiceConfig, delivery: DeliveryConfig): string[] {
  if (delivery.strategy === 'blueGreen') return [`${service.name}-preview`];
  return delivery.trafficRouting ? [`${service.name}-stable`, `${service.name}-canary`] : [];
}

/**
 * At the end of a blue-green release, and of a canary with traffic routing (the stable pods stay at
 * full size until the canary is promoted), the new pods run beside all the old ones: twice the pods.
 * A canary without routing replaces pods step by step (one surge pod, as a rolling update). Flagger
 * scales the canary up beside the primary, as a routed canary.
 */
export function runsTwiceOver(config: GitopsConfig, service: ServiceConfig, env: EnvironmentConfig): boolean {
  const delivery = deliveryIn(service, env);
  if (delivery && config.delivery?.controller === 'flagger') return true; // the primary, and the canary scaled up
  return delivery !== undefined && (delivery.strategy === 'blueGreen' || delivery.trafficRouting !== undefined);
}

/** The Rollout and what it names: AnalysisTemplate, the role Services, the Istio VirtualService. */
export function deliveryObjects(config: GitopsConfig, service: ServiceConfig, delivery: DeliveryConfig): BuiltObject[] {
  const metadata = { name: service.name, namespace: service.namespace };
  const rollout = new Rollout({
    metadata,
    spec: {
      selector: { matchLabels: selectorLabels(service) },
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name, scaleDown: 'progressively' },
      strategy: delivery.strategy === 'blueGreen' ? blueGreen(service, delivery) : canary(service, delivery),
    },
  });
  return [
    built(rollout),
    ...(delivery.analysis ? [built(analysisTemplate(service, delivery.analysis))] : []),
    ...roleServices(service, delivery).map((name) => built(roleService(config, service, name))),
    ...(delivery.trafficRouting === 'istio' ? [built(virtualService(service))] : []),
  ];
}

/** The analysis the Rollout runs: the template, the service and the new pods' template hash. */
function analysisRef(service: ServiceConfig) {
  return {
    templates: [{ templateName: analysisName(service) }],
    args: [
      { name: 'service', value: service.name },
      { name: 'namespace', value: service.namespace },
      // The new ReplicaSet's hash: its pods are named <rollout>-<hash>-<suffix>.
      { name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } },
    ],
  };
}

/**
 * Weighted steps with a pause after each; the analysis runs in the background from the first step
 * and aborts (back to the stable pods) after `failureLimit` failed measurements. With traffic routing,
 * the weight is the share of requests Istio or NGINX sends to the canary Service.
 */
function canary(service: ServiceConfig, delivery: DeliveryConfig): IRolloutStrategy {
  const steps = (delivery.steps ?? DEFAULT_CANARY_STEPS).flatMap((weight) => [
    { setWeight: weight },
    { pause: { duration: `${delivery.pauseSeconds ?? DEFAULT_PAUSE_SECONDS}s` } },
  ]);
  const routing =
    delivery.trafficRouting === 'istio'
      ? { istio: { virtualService: { name: service.name, routes: [ISTIO_ROUTE] } } }
      : delivery.trafficRouting === 'nginx'
        ? { nginx: { stableIngress: service.name } }
        : undefined;
  return {
    canary: {
      ...(routing
        ? { stableService: `${service.name}-stable`, canaryService: `${service.name}-canary`, trafficRouting: routing }
        : {}),
      steps,
      ...(delivery.analysis ? { analysis: analysisRef(service) } : {}),
    },
  };
}

/**
 * The new pods start behind <service>-preview while <service> (the base Service, active) keeps the
 * old ones. The switch is a person's (`kubectl argo rollouts promote`) unless autoPromotion. The
 * analysis runs after the switch, on the traffic the new pods now serve (a preview serves none to
 * measure); a failure switches back to the old pods, which stay until it succeeds.
 */
function blueGreen(service: ServiceConfig, delivery: DeliveryConfig): IRolloutStrategy {
  return {
    blueGreen: {
      activeService: service.name,
      previewService: `${service.name}-preview`,
      autoPromotionEnabled: delivery.autoPromotion ?? false,
      scaleDownDelaySeconds: delivery.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS,
      ...(delivery.analysis ? { postPromotionAnalysis: analysisRef(service) } : {}),
    },
  };
}

/**
 * The share of the new pods' requests that are not 5xx. The requests are those Prometheus scrapes
 * through the service's ServiceMonitor, narrowed to the new ReplicaSet's pods by name, so the stable
 * pods' requests do not dilute the canary's errors.
 */
function analysisTemplate(service: ServiceConfig, analysis: DeliveryAnalysisConfig): AnalysisTemplate {
  const selector = 'namespace="{{args.namespace}}",pod=~"{{args.service}}-{{args.hash}}-.*"';
  const requests = analysis.requestsMetric ?? DEFAULT_REQUESTS_METRIC;
  return new AnalysisTemplate({
    metadata: { name: analysisName(service), namespace: service.namespace },
    spec: {
      args: [{ name: 'service' }, { name: 'namespace' }, { name: 'hash' }],
      metrics: [
        {
          name: 'success-rate',
          interval: '1m',
          failureLimit: analysis.failureLimit ?? 1,
          successCondition: `result[0] >= ${analysis.successRate ?? DEFAULT_SUCCESS_RATE}`,
          provider: {
            prometheus: {
              address: analysis.prometheus,
              query: `sum(rate(${requests}{${selector},status!~"5.."}[2m])) / sum(rate(${requests}{${selector}}[2m]))`,
            },
          },
        },
      ],
    },
  });
}

/**
 * A copy of the service's Service whose selector the controller narrows to one ReplicaSet. Its labels
 * leave out the name label the ServiceMonitor selects by, so Prometheus does not scrape the pods twice.
 */
function roleService(config: GitopsConfig, service: ServiceConfig, name: string): Service {
  const { [NAME_LABEL]: _name, ...labels } = serviceLabels(config.project.name, service);
  return new Service({
    metadata: {
      name,
      namespace: service.namespace,
      labels: { ...labels, 'app.kubernetes.io/component': name.slice(service.name.length + 1) },
    },
    spec: serviceSpec(service),
  });
}

/**
 * In-mesh traffic to the service's host, split between the stable and canary Services (Istio's
 * host-level splitting: no DestinationRule subsets to keep in step with the pod hashes). The weights
 * are the controller's from the first step on; these are the at-rest ones.
 */
function virtualService(service: ServiceConfig): VirtualService {
  return new VirtualService({
    metadata: { name: service.name, namespace: service.namespace },
    spec: {
      hosts: [service.name],
      http: [
        {
          name: ISTIO_ROUTE,
          route: [
            { destination: { host: `${service.name}-stable` }, weight: 100 },
            { destination: { host: `${service.name}-canary` }, weight: 0 },
          ],
        },
      ],
    },
  });
}

// Progressive delivery through Flagger (gitops.yaml `delivery: {controller: flagger}`), in place of
// Argo Rollouts for the whole repository. Flagger works beside the Deployment instead of replacing it:
// it copies the Deployment to <service>-primary (relabelled app.kubernetes.io/name=<service>-primary,
// since two Deployments cannot select the same pods), which runs the traffic; the Deployment itself
// becomes the canary, scaled to zero between releases. It writes the apex Service <service> (selecting
// the primary), <service>-primary and <service>-canary, and with Istio the VirtualService and
// DestinationRules that move the weight. So in a Flagger environment the overlay adds the Canary and
// its MetricTemplate and drops the base Service (Flagger rewrites an apex Service it finds, which Argo CD
// would then put back, forever); the base's label selectors take both pod labels (`podSelector`).
// Flagger's kinds have no kubernetes-models package: they are checked against the built-in schemas
// written from its CRDs (scripts/schema/flagger.ts), as `validate` checks them.
import { Ajv } from 'ajv';
import type { DeliveryConfig, DeliveryAnalysisConfig, GitopsConfig, ServiceConfig } from '../config/types.ts';
import { crdVersionSchema } from '../schema/crds.ts';
import { FLAGGER_KINDS } from '../schema/flagger.ts';
import { isAutoscaled } from './effective.ts';
import { NAME_LABEL } from './labels.ts';
import { built, type BuiltObject } from './objects.ts';
import {
  analysisName,
  DEFAULT_CANARY_STEPS,
  DEFAULT_PAUSE_SECONDS,
  DEFAULT_REQUESTS_METRIC,
  DEFAULT_SUCCESS_RATE,
} from './delivery.ts';

/** Is Flagger the repository's delivery controller (rather than Argo Rollouts)? */
export function usesFlagger(config: GitopsConfig): boolean {
  return config.delivery?.controller === 'flagger';
}

/**
 * The pods of a service, for selectors of policies and budgets: where Flagger releases it, its primary's
 * pods too (their name label is <service>-primary). A Deployment's own selector stays matchLabels.
 */
export function podSelector(config: GitopsConfig, service: ServiceConfig) {
  if (!usesFlagger(config) || !service.delivery)
    return { matchLabels: { [NAME_LABEL]: service.name } } as { matchLabels?: Record<string, string> };
  return {
    matchExpressions: [{ key: NAME_LABEL, operator: 'In', values: [service.name, `${service.name}-primary`] }],
  };
}

/** The Services a ServiceMonitor scrapes: Flagger's apex (the primary's pods) and canary Services, not the primary one too. */
export function monitoredServices(config: GitopsConfig, service: ServiceConfig) {
  if (!usesFlagger(config) || !service.delivery) return { matchLabels: { [NAME_LABEL]: service.name } };
  return {
    matchExpressions: [{ key: NAME_LABEL, operator: 'In', values: [service.name, `${service.name}-canary`] }],
  };
}

const ajv = new Ajv({ allErrors: false, strict: false });
const validators = new Map(
  FLAGGER_KINDS.map(({ kind, openAPIV3Schema }) => [
    kind,
    ajv.compile({
      definitions: { meta: { type: 'object' } },
      ...crdVersionSchema(openAPIV3Schema, '#/definitions/meta'),
    }),
  ]),
);

/** A Flagger object, validated against the built-in schema as `built` validates a typed model. */
function flaggerObject(kind: string, object: Record<string, unknown>): BuiltObject {
  const validate = validators.get(kind);
  return built({
    toJSON: () => ({ apiVersion: 'flagger.app/v1beta1', kind, ...object }),
    validate: () => {
      if (validate && !validate({ apiVersion: 'flagger.app/v1beta1', kind, ...object }))
        throw new Error(ajv.errorsText(validate.errors));
    },
  });
}

/**
 * The Canary: Istio moves the weight through the steps, one step per interval (the pause), while the
 * success rate of the canary's pods holds; `threshold` failed checks roll back (Argo Rollouts'
 * failureLimit counts the failures it tolerates, Flagger's threshold the one that aborts).
 */
export function flaggerObjects(service: ServiceConfig, delivery: DeliveryConfig): BuiltObject[] {
  const metadata = { name: service.name, namespace: service.namespace };
  const [port] = service.ports;
  const analysis = delivery.analysis as DeliveryAnalysisConfig;
  const autoscaler = !isAutoscaled(service)
    ? undefined
    : service.eventScaling
      ? { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: service.name }
      : { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: service.name };
  const canary = flaggerObject('Canary', {
    metadata,
    spec: {
      provider: 'istio',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
      ...(autoscaler ? { autoscalerRef: autoscaler } : {}),
      progressDeadlineSeconds: 600,
      service: { port: port.port, portName: port.name, targetPort: port.name, portDiscovery: true },
      analysis: {
        interval: `${Math.max(delivery.pauseSeconds ?? DEFAULT_PAUSE_SECONDS, 1)}s`,
        threshold: (analysis.failureLimit ?? 1) + 1,
        stepWeights: delivery.steps ?? DEFAULT_CANARY_STEPS,
        metrics: [
          {
            name: 'success-rate',
            templateRef: { name: analysisName(service) },
            thresholdRange: { min: analysis.successRate ?? DEFAULT_SUCCESS_RATE },
            interval: '1m',
          },
        ],
      },
    },
  });
  // The canary's pods are the Deployment's own: <service>-<replicaset hash>-<suffix>, not the primary's.
  const requests = analysis.requestsMetric ?? DEFAULT_REQUESTS_METRIC;
  const selector = 'namespace="{{ namespace }}",pod=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"';
  const template = flaggerObject('MetricTemplate', {
    metadata: { name: analysisName(service), namespace: service.namespace },
    spec: {
      provider: { type: 'prometheus', address: analysis.prometheus },
      query: `sum(rate(${requests}{${selector},status!~"5.."}[{{ interval }}])) / sum(rate(${requests}{${selector}}[{{ interval }}]))`,
    },
  });
  return [canary, template];
}

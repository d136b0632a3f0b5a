// Flagger's kinds (flagger.app/v1beta1: Canary, MetricTemplate, AlertProvider) for the built-in
// schemas. No npm package ships Flagger's CRDs (there is no @kubernetes-models/flagger), so their
// structural schemas are written here from what Flagger's CRDs define (fluxcd/flagger,
// artifacts/flagger/crd.yaml), in the CRD's own language (openAPIV3Schema), and converted by the same
// code as a repository's CRDs (crds.ts: strict objects, int-or-string, preserve-unknown-fields).
// Where Flagger passes a block through to a mesh (the Istio traffic policy, CORS, retries, header
// rewrites, A/B match conditions), its fields are kept open here: the mesh checks them, and a stale
// copy of them would give false errors.
type Node = Record<string, unknown>;

const string = (extra: Node = {}): Node => ({ type: 'string', ...extra });
const number: Node = { type: 'number' };
const integer: Node = { type: 'integer' };
const boolean: Node = { type: 'boolean' };
const open: Node = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const strings: Node = { type: 'array', items: string() };
const stringMap: Node = { type: 'object', additionalProperties: string() };
const object = (properties: Record<string, Node>, required?: string[]): Node => ({
  type: 'object',
  properties,
  ...(required ? { required } : {}),
});
/** Flagger's durations: a number of seconds or minutes ("1m", "30s"). */
const duration = string({ pattern: '^[0-9]+(m|s)' });
const reference = (kinds: string[], more: Record<string, Node> = {}) =>
  object({ apiVersion: string(), kind: string({ enum: kinds }), name: string(), ...more }, [
    'apiVersion',
    'kind',
    'name',
  ]);
const labelsAndAnnotations = object({ labels: stringMap, annotations: stringMap });

/** The Services Flagger writes (apex, primary, canary) and the route in front of them. */
const service: Node = {
  ...object(
    {
      name: string(),
      port: number,
      portName: string(),
      targetPort: { 'x-kubernetes-int-or-string': true },
      portDiscovery: boolean,
      appProtocol: string(),
      headless: boolean,
      timeout: string(),
      hosts: strings,
      gateways: strings,
      delegation: boolean,
      apex: labelsAndAnnotations,
      primary: labelsAndAnnotations,
      canary: labelsAndAnnotations,
    },
    ['port'],
  ),
  // Mesh-specific blocks (trafficPolicy, match, retries, headers, corsPolicy, rewrite, meshName, backends...).
  'x-kubernetes-preserve-unknown-fields': true,
};

const metric = object(
  {
    name: string(),
    interval: duration,
    threshold: number,
    thresholdRange: object({ min: number, max: number }),
    query: string(),
    templateRef: object({ name: string(), namespace: string() }, ['name']),
    templateVariables: stringMap,
  },
  ['name'],
);

const WEBHOOK_TYPES = [
  '',
  'confirm-rollout',
  'pre-rollout',
  'rollout',
  'confirm-promotion',
  'post-rollout',
  'event',
  'rollback',
  'confirm-traffic-increase',
];

const analysis: Node = {
  ...object({
    interval: duration,
    iterations: number,
    threshold: number,
    maxWeight: number,
    stepWeight: number,
    stepWeights: { type: 'array', items: number },
    stepWeightPromotion: number,
    mirror: boolean,
    mirrorWeight: number,
    primaryReadyThreshold: number,
    canaryReadyThreshold: number,
    match: { type: 'array', items: open },
    metrics: { type: 'array', items: metric },
    alerts: {
      type: 'array',
      items: object(
        {
          name: string(),
          severity: string({ enum: ['', 'info', 'warn', 'error'] }),
          providerRef: object({ name: string(), namespace: string() }, ['name']),
        },
        ['name', 'providerRef'],
      ),
    },
    webhooks: {
      type: 'array',
      items: object(
        {
          name: string(),
          type: string({ enum: WEBHOOK_TYPES }),
          muteAlert: boolean,
          url: string(),
          timeout: duration,
          retries: number,
          disableTLS: boolean,
          metadata: stringMap,
        },
        ['name', 'url'],
      ),
    },
    sessionAffinity: open,
  }),
  // A canary moves by stepWeight(s); A/B testing and blue-green run a number of iterations.
  oneOf: [
    { required: ['interval', 'threshold', 'iterations'] },
    { required: ['interval', 'threshold', 'stepWeight'] },
    { required: ['interval', 'threshold', 'stepWeights'] },
  ],
};

const PROVIDERS = [
  'apisix',
  'appmesh',
  'appmesh:v1beta2',
  'contour',
  'gatewayapi:v1',
  'gatewayapi:v1beta1',
  'gloo',
  'istio',
  'knative',
  'kubernetes',
  'kuma',
  'linkerd',
  'nginx',
  'osm',
  'skipper',
  'smi:v1alpha1',
  'smi:v1alpha2',
  'smi:v1alpha3',
  'traefik',
];

const canary = object({
  spec: object(
    {
      provider: string({ enum: PROVIDERS }),
      metricsServer: string(),
      progressDeadlineSeconds: number,
      targetRef: reference(['DaemonSet', 'Deployment', 'Service']),
      autoscalerRef: reference(['HorizontalPodAutoscaler', 'ScaledObject'], {
        primaryScalerQueries: stringMap,
        primaryScalerReplicas: object({
          minReplicas: { ...integer, minimum: 1 },
          maxReplicas: { ...integer, minimum: 1 },
        }),
      }),
      ingressRef: reference(['Ingress']),
      routeRef: reference(['ApisixRoute']),
      upstreamRef: reference(['Upstream'], { namespace: string() }),
      service,
      skipAnalysis: boolean,
      revertOnDeletion: boolean,
      suspend: boolean,
      analysis,
    },
    ['targetRef', 'analysis'],
  ),
  // Written by Flagger, never by a person; open so a copy exported from a cluster still validates.
  status: open,
});

const METRIC_PROVIDERS = [
  'prometheus',
  'influxdb',
  'datadog',
  'externalmetrics',
  'stackdriver',
  'cloudwatch',
  'newrelic',
  'graphite',
  'dynatrace',
  'keptn',
  'splunk',
];

const metricTemplate = object({
  spec: object(
    {
      provider: object(
        {
          type: string({ enum: METRIC_PROVIDERS }),
          address: string(),
          headers: { type: 'object', additionalProperties: strings },
          secretRef: object({ name: string() }, ['name']),
          region: string(),
          insecureSkipVerify: boolean,
        },
        ['type'],
      ),
      query: string(),
    },
    ['provider', 'query'],
  ),
  status: open,
});

const alertProvider = object({
  spec: {
    ...object({
      type: string({ enum: ['slack', 'msteams', 'discord', 'rocket', 'gchat'] }),
      channel: string(),
      username: string(),
      address: string(),
      proxy: string(),
      secretRef: object({ name: string() }, ['name']),
    }),
    // Where to send: the hook's address, or a Secret holding it.
    oneOf: [{ required: ['type', 'address'] }, { required: ['type', 'secretRef'] }],
  },
  status: open,
});

/** Each Flagger kind's openAPIV3Schema, as its CRD's served version holds it. */
export const FLAGGER_KINDS: { apiVersion: string; kind: string; openAPIV3Schema: Node }[] = [
  { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', openAPIV3Schema: canary },
  { apiVersion: 'flagger.app/v1beta1', kind: 'MetricTemplate', openAPIV3Schema: metricTemplate },
  { apiVersion: 'flagger.app/v1beta1', kind: 'AlertProvider', openAPIV3Schema: alertProvider },
];

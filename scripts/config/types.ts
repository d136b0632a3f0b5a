// The shape of gitops.yaml. schemas/gitops.schema.json is the same shape for editors and ajv; keep
// them in step. `GitopsConfig` is what the loader returns: templates merged, `names` expanded.
import type { LintSettings } from '../types.ts';

export interface Quantities {
  cpu: string;
  memory: string;
}

export interface Resources {
  requests: Quantities;
  limits: Quantities;
}

/** Exactly one of http, tcp, exec or grpc. */
export interface ProbeConfig {
  http?: { path: string; port: string | number };
  tcp?: { port: string | number };
  exec?: string[];
  grpc?: { port: number };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface Probes {
  liveness: ProbeConfig;
  readiness: ProbeConfig;
  startup?: ProbeConfig;
}

export interface PortConfig {
  name: string;
  /** The Service port (and the container's, unless targetPort says otherwise). */
  port: number;
  /** The port the container listens on when it differs from the Service port (80 -> 8080). */
  targetPort?: number;
  protocol?: 'TCP' | 'UDP';
}

export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** A container lifecycle hook: exactly one of sleepSeconds, exec or http. */
export interface HookConfig {
  sleepSeconds?: number;
  exec?: string[];
  http?: { path: string; port: string | number };
}

/** One autoscaling/v2 metric beyond CPU and memory utilisation. */
export interface MetricConfig {
  type: 'Pods' | 'Object' | 'External';
  /** The metric's name in the metrics API. */
  metric: string;
  /** Label selector of the metric series. */
  selector?: Record<string, string>;
  /** Object metrics: the object that has the metric. */
  describedObject?: { apiVersion: string; kind: string; name: string };
  /** The target: a total value (Object, External) or a per-pod average. */
  value?: string;
  averageValue?: string;
}

export interface ScalingRulesConfig {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: { type: 'Pods' | 'Percent'; value: number; periodSeconds: number }[];
}

export interface AutoscalingConfig {
  /** Target average CPU utilisation in percent of requests (default 70 unless other metrics are given). */
  cpu?: number;
  /** Target average memory utilisation in percent of requests. */
  memory?: number;
  metrics?: MetricConfig[];
  behavior?: { scaleUp?: ScalingRulesConfig; scaleDown?: ScalingRulesConfig };
}

export interface TolerationConfig {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

export interface SchedulingConfig {
  nodeSelector?: Record<string, string>;
  tolerations?: TolerationConfig[];
  /** A Kubernetes Affinity; the default podAntiAffinity (spread over nodes) stays unless this gives one. */
  affinity?: Record<string, unknown>;
}

/** A config file mounted into the main container, its content read from a file next to gitops.yaml. */
export interface ConfigFileConfig {
  /** Where the container sees it (an absolute file path). */
  path: string;
  /** The file it comes from, relative to gitops.yaml's folder. */
  from: string;
  /** Filled in by the loader: the file's text. */
  content?: string;
}

export interface ImageConfig {
  repository: string;
  tag: string;
  /** Pins the image to a digest ("sha256:..."); the tag then only documents it. */
  digest?: string;
}

/** A credential that comes from the environment's secret store through an ExternalSecret. */
export interface SecretConfig {
  /** Becomes `<service>-<name>`: the ExternalSecret and the Secret it creates. */
  name: string;
  /** The key in the secret store (e.g. a Vault path): an ExternalSecret wherever the secret is not sealed. */
  remoteKey?: string;
  /** Environment variable -> property of the remote secret (the Secret's key). */
  env: Record<string, string>;
  /** Environment -> a SealedSecret file next to gitops.yaml (`gitops seal` writes it), used there instead. */
  sealed?: Record<string, string>;
  /** The sealed files' SealedSecrets, read and checked by the config stage (config/sealed-secrets.ts). */
  sealedSecrets?: Record<string, Record<string, unknown>>;
}

export interface ContainerConfig {
  name: string;
  image: ImageConfig;
  imagePullPolicy?: ImagePullPolicy;
  command?: string[];
  args?: string[];
  ports?: PortConfig[];
  probes?: Probes;
  resources: Resources;
  /** Plain environment variables (not secret). */
  env?: Record<string, string>;
  /** Environment variable -> "<secret name>.<property>" of one of the service's secrets. */
  secretEnv?: Record<string, string>;
}

export interface ReplicasConfig {
  min: number;
  max: number;
}

export interface EnvOverride {
  replicas?: ReplicasConfig;
  resources?: Resources;
  imageTag?: string;
  /** Pins this environment to a digest; an imageTag here without a digest drops the service's digest. */
  imageDigest?: string;
  config?: Record<string, string>;
  /** The storage class of the service's volume claims in this environment. */
  storageClassName?: string;
}

export interface VolumeClaimConfig {
  name: string;
  mountPath: string;
  size: string;
  storageClassName?: string;
}

export interface IngressConfig {
  host: string;
  paths: string[];
  /** Service port name the Ingress routes to. */
  port: string;
}

export interface EgressConfig {
  cidr: string;
  except?: string[];
  ports: number[];
}

/** Worker: a Deployment without a Service. DaemonSet: one pod per node. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Worker';

export interface ServiceConfig {
  name: string;
  namespace: string;
  workload: WorkloadKind;
  image: ImageConfig;
  imagePullPolicy?: ImagePullPolicy;
  command?: string[];
  args?: string[];
  ports: PortConfig[];
  probes: Probes;
  resources: Resources;
  replicas?: ReplicasConfig;
  /** Kept for older files: the same as autoscaling.cpu. */
  targetCPUUtilizationPercentage?: number;
  autoscaling?: AutoscalingConfig;
  /** The PodDisruptionBudget: one of minAvailable or maxUnavailable (default maxUnavailable: 1). */
  disruptionBudget?: { minAvailable?: number | string; maxUnavailable?: number | string };
  scheduling?: SchedulingConfig;
  configFiles?: ConfigFileConfig[];
  config?: Record<string, string>;
  secrets?: SecretConfig[];
  sidecars?: ContainerConfig[];
  ingress?: IngressConfig;
  metrics?: { port: string; path: string };
  volumeClaims?: VolumeClaimConfig[];
  /** Paths that get an emptyDir, since the root filesystem is read-only. */
  writablePaths?: string[];
  runAsUser?: number;
  fsGroup?: number;
  /** Services this one connects to: network policies allow exactly this traffic. */
  calls?: string[];
  /** Traffic to outside the cluster (a payment provider). */
  egress?: EgressConfig[];
  terminationGracePeriodSeconds?: number;
  /** Kept for older files: the same as preStop.sleepSeconds. */
  preStopSleepSeconds?: number;
  /** What the main container does before SIGTERM (default: sleep 5 s, so endpoints drain first). */
  preStop?: HookConfig;
  /** Environments this service runs in; all when absent. */
  environments?: string[];
  overrides?: Record<string, EnvOverride>;
  /** Rule id -> reason: `ignore-check.gitops.dev/<rule>` annotations on the workload. */
  ignoreChecks?: Record<string, string>;
  /** How a new version is released where it is not a rolling update (scripts/generate/delivery.ts). */
  delivery?: DeliveryConfig;
  /** A VerticalPodAutoscaler (scripts/generate/vertical.ts). */
  verticalScaling?: VerticalScalingConfig;
  /** A KEDA ScaledObject instead of the HPA: scale on a queue, a topic or a query (scripts/generate/events.ts). */
  eventScaling?: EventScalingConfig;
}

/** KEDA triggers; the replica range is the service's replicas per environment, as for the HPA. */
export interface EventScalingConfig {
  triggers: { type: string; metadata: Record<string, string>; authenticationRef?: string }[];
}

/** recommend: updateMode Off, recommendations only; auto: the VPA sets requests (never beside an HPA on the same resource). */
export interface VerticalScalingConfig {
  mode: 'recommend' | 'auto';
  /** The resources it sets (default cpu and memory). */
  controlledResources?: ('cpu' | 'memory')[];
}

/**
 * A progressive release through Argo Rollouts in some environments (by default prod); the others roll.
 * The Rollout borrows the Deployment's template (workloadRef), so the base stays one Deployment.
 */
export interface DeliveryConfig {
  /** canary: weights and pauses; blueGreen: a preview beside the active pods, then a switch. */
  strategy: 'canary' | 'blueGreen';
  /** The environments released this way (default: prod). */
  environments?: string[];
  /** canary: the weights, ascending, each followed by a pause (default 20, 50). */
  steps?: number[];
  /** canary: how long each pause lasts, in seconds (default 300). */
  pauseSeconds?: number;
  /** canary: who moves the traffic by weight; without it, the weight is the share of pods. */
  trafficRouting?: 'istio' | 'nginx';
  /** blueGreen: switch to the preview once it is ready (default false: a person promotes). */
  autoPromotion?: boolean;
  /** blueGreen: how long the old pods stay after the switch, for a quick abort (default 30). */
  scaleDownDelaySeconds?: number;
  /** The Prometheus analysis that promotes or aborts the release (canary: required; blueGreen: after the switch). */
  analysis?: DeliveryAnalysisConfig;
}

export interface DeliveryAnalysisConfig {
  /** Prometheus's address, e.g. http://prometheus.monitoring:9090. */
  prometheus: string;
  /** The lowest share of non-5xx requests (0-1) the new version may serve (default 0.99). */
  successRate?: number;
  /** How many failed measurements abort the release (default 1). */
  failureLimit?: number;
  /** The request counter the service exposes, with a `status` label (default http_requests_total). */
  requestsMetric?: string;
}

export interface SecretStoreConfig {
  /** The SecretStore name every ExternalSecret refers to; one per namespace per environment. */
  name: string;
  vault: { server: string; path: string; role: string; mountPath?: string };
}

export interface EnvironmentConfig {
  name: string;
  /** `labels`: the labels of the cluster's Argo CD cluster Secret, which clusters generators select on. */
  cluster: { name: string; server: string; labels?: Record<string, string> };
  syncPolicy: { automated: boolean; prune: boolean; selfHeal: boolean };
  defaults: { replicas: ReplicasConfig };
  secretStore: SecretStoreConfig;
  /** Prepended to ingress hosts in this environment ("dev." -> dev.api.example.com). */
  hostPrefix?: string;
  /** The storage class of every volume claim in this environment, unless a claim or override names one. */
  storageClassName?: string;
  /** The most nodes the cluster scales to: a DaemonSet runs one pod on each (the namespace quota counts them). */
  nodes?: number;
  /** The label the environment's Prometheus selects ServiceMonitors and PodMonitors by. */
  monitoring?: { release?: string };
  /** The environment's AppProject: SSO groups of its roles, and sync windows. */
  project?: ProjectConfig;
}

export interface SyncWindowConfig {
  kind: 'allow' | 'deny';
  /** Cron schedule of the window's start. */
  schedule: string;
  /** How long it lasts, e.g. 2h. */
  duration: string;
  /** May a person still sync by hand during a deny window. */
  manualSync?: boolean;
  timeZone?: string;
}

export interface ProjectConfig {
  /** SSO groups that may see the environment's applications (the read-only role). */
  readers?: string[];
  /** SSO groups that may sync them (the deployer role). */
  deployers?: string[];
  syncWindows?: SyncWindowConfig[];
}

export interface NamespaceConfig {
  name: string;
  /** Extra room in the ResourceQuota over requests x (max replicas + 1 surge pod), in percent. */
  quotaHeadroomPercent?: number;
  limitRange?: { defaultRequest: Quantities; default: Quantities };
}

export interface GitopsConfig {
  project: { name: string; repoURL: string; targetRevision?: string };
  kubernetesVersion: string;
  argocd?: { namespace?: string };
  ingress?: { className?: string; controllerNamespace?: string; clusterIssuer?: string };
  /** release: the label the Prometheus instance selects monitors by (`release: <name>`), unless an environment says otherwise. */
  monitoring?: { namespace?: string; release?: string };
  /** Which controller releases services[].delivery: Argo Rollouts (default) or Flagger with Istio (scripts/generate/flagger.ts). */
  delivery?: { controller: 'argo-rollouts' | 'flagger' };
  environments: EnvironmentConfig[];
  namespaces: NamespaceConfig[];
  services: ServiceConfig[];
  lint?: LintSettings;
}

/** What gitops.yaml literally holds: services may extend a template and expand over `names`. */
export type ServiceEntry = Partial<ServiceConfig> & { extends?: string; names?: string[] };
export interface RawConfig extends Omit<GitopsConfig, 'services'> {
  templates?: Record<string, Partial<ServiceConfig> & { extends?: string }>;
  services: ServiceEntry[];
}

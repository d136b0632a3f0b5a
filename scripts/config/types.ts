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
  port: number;
  protocol?: 'TCP' | 'UDP';
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
  /** The key in the secret store (e.g. a Vault path). */
  remoteKey: string;
  /** Environment variable -> property of the remote secret. */
  env: Record<string, string>;
}

export interface ContainerConfig {
  name: string;
  image: ImageConfig;
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

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'Worker';

export interface ServiceConfig {
  name: string;
  namespace: string;
  workload: WorkloadKind;
  image: ImageConfig;
  command?: string[];
  args?: string[];
  ports: PortConfig[];
  probes: Probes;
  resources: Resources;
  replicas?: ReplicasConfig;
  targetCPUUtilizationPercentage?: number;
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
  preStopSleepSeconds?: number;
  /** Environments this service runs in; all when absent. */
  environments?: string[];
  overrides?: Record<string, EnvOverride>;
  /** Rule id -> reason: `ignore-check.gitops.dev/<rule>` annotations on the workload. */
  ignoreChecks?: Record<string, string>;
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
  monitoring?: { namespace?: string };
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

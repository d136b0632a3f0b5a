// The base of one service: its workload and everything that belongs to it alone (ServiceAccount,
// Service, HPA, PDB, NetworkPolicy, ExternalSecrets, monitor, Ingress + Certificate). Every object is
// a kubernetes-models class instance, validated before it becomes a file.
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import { PodMonitor, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type {
  INetworkPolicyEgressRule,
  INetworkPolicyIngressRule,
  INetworkPolicyPeer,
} from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service, ServiceAccount } from 'kubernetes-models/v1';
import type { IContainer, IPodSpec, IProbe, IVolume, IVolumeMount } from 'kubernetes-models/v1';
import type { ContainerConfig, GitopsConfig, ProbeConfig, Resources, ServiceConfig } from '../config/types.ts';
import { baseReplicas, imageReference, isAutoscaled } from './effective.ts';
import { selectorLabels, serviceLabels } from './labels.ts';
import { built, type BuiltObject } from './objects.ts';
import { compareText } from '../finding-order.ts';

export const DEFAULT_USER = 10001;
export const DEFAULT_GRACE_SECONDS = 30;
export const DEFAULT_PRESTOP_SECONDS = 5;

/** A service gets a generated ConfigMap when it or any environment sets config. */
export function hasConfig(service: ServiceConfig): boolean {
  return (
    service.config !== undefined ||
    Object.values(service.overrides ?? {}).some((override) => override.config !== undefined)
  );
}

/** The kind of the service's workload object (a Worker is a Deployment without a Service). */
export function workloadKind(service: ServiceConfig): 'Deployment' | 'StatefulSet' {
  return service.workload === 'StatefulSet' ? 'StatefulSet' : 'Deployment';
}

export function configMapName(service: ServiceConfig): string {
  return `${service.name}-config`;
}

export function externalSecretName(service: ServiceConfig, secret: string): string {
  return `${service.name}-${secret}`;
}

export function tlsSecretName(service: ServiceConfig): string {
  return `${service.name}-tls`;
}

/** Ports of every container of the pod (sidecar metrics ports too): what the Service exposes. */
export function podPorts(service: ServiceConfig): { name: string; port: number; protocol?: 'TCP' | 'UDP' }[] {
  return [...service.ports, ...(service.sidecars ?? []).flatMap((sidecar) => sidecar.ports ?? [])];
}

/** One file name per object: `<kind>.yaml`, or `<kind>-<suffix>.yaml` when a kind repeats. */
export interface BaseObject {
  file: string;
  object: BuiltObject;
}

export function serviceBase(config: GitopsConfig, service: ServiceConfig): BaseObject[] {
  const objects: BaseObject[] = [];
  const add = (file: string, object: BuiltObject) => objects.push({ file, object });
  add(
    'serviceaccount.yaml',
    built(new ServiceAccount({ metadata: meta(config, service), automountServiceAccountToken: false })),
  );
  add(service.workload === 'StatefulSet' ? 'statefulset.yaml' : 'deployment.yaml', workload(config, service));
  if (service.workload !== 'Worker') add('service.yaml', kubeService(config, service));
  if (isAutoscaled(service)) add('hpa.yaml', hpa(config, service));
  if (needsDisruptionBudget(config, service)) add('pdb.yaml', pdb(config, service));
  add('networkpolicy.yaml', networkPolicy(config, service));
  for (const secret of service.secrets ?? [])
    add(`externalsecret-${secret.name}.yaml`, externalSecret(config, service, secret));
  if (service.metrics)
    add(service.workload === 'Worker' ? 'podmonitor.yaml' : 'servicemonitor.yaml', monitor(config, service));
  if (service.ingress) {
    add('ingress.yaml', ingress(config, service));
    add('certificate.yaml', certificate(config, service));
  }
  return objects;
}

/** Autoscaled workloads may run more than one pod in any environment; a StatefulSet only when told to. */
export function needsDisruptionBudget(config: GitopsConfig, service: ServiceConfig): boolean {
  if (isAutoscaled(service)) return true;
  return config.environments.some(
    (env) => (service.overrides?.[env.name]?.replicas ?? service.replicas ?? env.defaults.replicas).min > 1,
  );
}

function meta(config: GitopsConfig, service: ServiceConfig, name = service.name) {
  return { name, namespace: service.namespace, labels: serviceLabels(config.project.name, service) };
}

/** The validator's ignore annotations, each with the reason gitops.yaml gives. */
function ignoreAnnotations(service: ServiceConfig): Record<string, string> | undefined {
  const entries = Object.entries(service.ignoreChecks ?? {}).sort(([a], [b]) => compareText(a, b));
  return entries.length > 0
    ? Object.fromEntries(entries.map(([rule, reason]) => [`ignore-check.gitops.dev/${rule}`, reason]))
    : undefined;
}

function workload(config: GitopsConfig, service: ServiceConfig): BuiltObject {
  const labels = serviceLabels(config.project.name, service);
  const annotations = ignoreAnnotations(service);
  const metadata = { ...meta(config, service), ...(annotations ? { annotations } : {}) };
  const template = { metadata: { labels }, spec: podSpec(service) };
  const selector = { matchLabels: selectorLabels(service) };
  if (service.workload === 'StatefulSet') {
    return built(
      new StatefulSet({
        metadata,
        spec: {
          serviceName: service.name,
          replicas: baseReplicas(config, service).min,
          revisionHistoryLimit: 5,
          selector,
          updateStrategy: { type: 'RollingUpdate' },
          template,
          volumeClaimTemplates: (service.volumeClaims ?? []).map((claim) => ({
            metadata: { name: claim.name },
            spec: {
              accessModes: ['ReadWriteOnce'],
              ...(claim.storageClassName ? { storageClassName: claim.storageClassName } : {}),
              resources: { requests: { storage: claim.size } },
            },
          })),
        },
      }),
    );
  }
  // No spec.replicas: the HPA owns the count, and a pinned value would make Argo CD fight it.
  return built(
    new Deployment({
      metadata,
      spec: {
        revisionHistoryLimit: 5,
        selector,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template,
      },
    }),
  );
}

function podSpec(service: ServiceConfig): IPodSpec {
  const user = service.runAsUser ?? DEFAULT_USER;
  const writable = service.writablePaths ?? [];
  const volumes: IVolume[] = writable.map((path) => ({ name: volumeName(path), emptyDir: { sizeLimit: '256Mi' } }));
  const mounts: IVolumeMount[] = [
    ...writable.map((path) => ({ name: volumeName(path), mountPath: path })),
    ...(service.volumeClaims ?? []).map((claim) => ({ name: claim.name, mountPath: claim.mountPath })),
  ];
  const grace = service.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  const main: ContainerConfig = {
    name: service.name,
    image: service.image,
    command: service.command,
    args: service.args,
    ports: service.ports,
    probes: service.probes,
    resources: service.resources,
  };
  const secretEnv = Object.fromEntries(
    (service.secrets ?? []).flatMap((secret) =>
      Object.entries(secret.env).map(([variable, property]) => [variable, `${secret.name}.${property}`]),
    ),
  );
  return {
    serviceAccountName: service.name,
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: user,
      runAsGroup: user,
      fsGroup: service.fsGroup ?? user,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    terminationGracePeriodSeconds: grace,
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: { matchLabels: selectorLabels(service) },
            },
          },
        ],
      },
    },
    containers: [
      container(service, main, { secretEnv, envFrom: hasConfig(service) ? configMapName(service) : undefined, mounts }),
      ...(service.sidecars ?? []).map((sidecar) =>
        container(service, sidecar, {
          secretEnv: sidecar.secretEnv ?? {},
          mounts: mounts.filter((mount) => mount.mountPath === '/tmp'),
        }),
      ),
    ],
    ...(volumes.length > 0 ? { volumes } : {}),
  };
}

function volumeName(path: string): string {
  return (
    path
      .replace(/^\/+|\/+$/g, '')
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase() || 'root'
  );
}

function container(
  service: ServiceConfig,
  spec: ContainerConfig,
  extra: { secretEnv: Record<string, string>; envFrom?: string; mounts: IVolumeMount[] },
): IContainer {
  const plainEnv = Object.entries(spec.env ?? {}).map(([name, value]) => ({ name, value }));
  const secretEnv = Object.entries(extra.secretEnv).map(([name, ref]) => {
    const dot = ref.indexOf('.');
    return {
      name,
      valueFrom: { secretKeyRef: { name: externalSecretName(service, ref.slice(0, dot)), key: ref.slice(dot + 1) } },
    };
  });
  const env = [...plainEnv, ...secretEnv];
  const preStop = service.preStopSleepSeconds ?? DEFAULT_PRESTOP_SECONDS;
  return {
    name: spec.name,
    image: imageReference(spec.image),
    imagePullPolicy: 'IfNotPresent',
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.args ? { args: spec.args } : {}),
    ...(spec.ports && spec.ports.length > 0
      ? {
          ports: spec.ports.map((port) => ({
            name: port.name,
            containerPort: port.port,
            protocol: port.protocol ?? 'TCP',
          })),
        }
      : {}),
    ...(extra.envFrom ? { envFrom: [{ configMapRef: { name: extra.envFrom } }] } : {}),
    ...(env.length > 0 ? { env } : {}),
    resources: kubeResources(spec.resources),
    ...(spec.probes ? probes(spec.probes) : {}),
    // Sleep before SIGTERM so endpoints and load balancers stop sending traffic first.
    lifecycle: { preStop: { sleep: { seconds: preStop } } },
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...(extra.mounts.length > 0 ? { volumeMounts: extra.mounts } : {}),
  };
}

export function kubeResources(resources: Resources) {
  return {
    requests: { cpu: resources.requests.cpu, memory: resources.requests.memory },
    limits: { cpu: resources.limits.cpu, memory: resources.limits.memory },
  };
}

function probes(
  config: NonNullable<ContainerConfig['probes']>,
): Pick<IContainer, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> {
  return {
    livenessProbe: probe(config.liveness),
    readinessProbe: probe(config.readiness),
    ...(config.startup ? { startupProbe: probe(config.startup) } : {}),
  };
}

function probe(config: ProbeConfig): IProbe {
  const handler: IProbe = config.http
    ? { httpGet: { path: config.http.path, port: config.http.port } }
    : config.tcp
      ? { tcpSocket: { port: config.tcp.port } }
      : config.grpc
        ? { grpc: { port: config.grpc.port } }
        : { exec: { command: config.exec } };
  const timing = (['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'] as const).filter(
    (key) => config[key] !== undefined,
  );
  return { ...handler, ...Object.fromEntries(timing.map((key) => [key, config[key]])) };
}

function kubeService(config: GitopsConfig, service: ServiceConfig): BuiltObject {
  return built(
    new Service({
      metadata: meta(config, service),
      spec: {
        // A StatefulSet's governing Service is headless: clients reach the one pod by a stable name.
        ...(service.workload === 'StatefulSet' ? { clusterIP: 'None' } : { type: 'ClusterIP' }),
        selector: selectorLabels(service),
        ports: podPorts(service).map((port) => ({
          name: port.name,
          port: port.port,
          targetPort: port.name,
          protocol: port.protocol ?? 'TCP',
        })),
      },
    }),
  );
}

function hpa(config: GitopsConfig, service: ServiceConfig): BuiltObject {
  const replicas = baseReplicas(config, service);
  return built(
    new HorizontalPodAutoscaler({
      metadata: meta(config, service),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
        minReplicas: replicas.min,
        maxReplicas: replicas.max,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: service.targetCPUUtilizationPercentage ?? 70 },
            },
          },
        ],
      },
    }),
  );
}

function pdb(config: GitopsConfig, service: ServiceConfig): BuiltObject {
  // maxUnavailable, not minAvailable: with one replica (dev) a drain still succeeds.
  return built(
    new PodDisruptionBudget({
      metadata: meta(config, service),
      spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(service) } },
    }),
  );
}

function namespacePeer(namespace: string, labels?: Record<string, string>): INetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    ...(labels ? { podSelector: { matchLabels: labels } } : {}),
  };
}

function networkPolicy(config: GitopsConfig, service: ServiceConfig): BuiltObject {
  const callers = config.services.filter((other) => other.calls?.includes(service.name));
  const appPorts = service.ports.map((port) => ({ protocol: port.protocol ?? 'TCP', port: port.port }));
  const ingress: INetworkPolicyIngressRule[] = [];
  if (callers.length > 0 && appPorts.length > 0) {
    ingress.push({
      from: callers.map((caller) => namespacePeer(caller.namespace, selectorLabels(caller))),
      ports: appPorts,
    });
  }
  if (service.ingress) {
    const port = service.ports.find((candidate) => candidate.name === service.ingress?.port);
    ingress.push({
      from: [namespacePeer(config.ingress?.controllerNamespace ?? 'ingress-nginx')],
      ports: [{ protocol: 'TCP', port: port?.port }],
    });
  }
  if (service.metrics) {
    const port = podPorts(service).find((candidate) => candidate.name === service.metrics?.port);
    ingress.push({
      from: [namespacePeer(config.monitoring?.namespace ?? 'monitoring')],
      ports: [{ protocol: 'TCP', port: port?.port }],
    });
  }
  const egress: INetworkPolicyEgressRule[] = [];
  for (const name of service.calls ?? []) {
    const callee = config.services.find((other) => other.name === name);
    if (!callee) continue;
    egress.push({
      to: [namespacePeer(callee.namespace, selectorLabels(callee))],
      ports: callee.ports.map((port) => ({ protocol: port.protocol ?? 'TCP', port: port.port })),
    });
  }
  for (const rule of service.egress ?? []) {
    egress.push({
      to: [{ ipBlock: { cidr: rule.cidr, ...(rule.except ? { except: rule.except } : {}) } }],
      ports: rule.ports.map((port) => ({ protocol: 'TCP', port })),
    });
  }
  // Both directions are listed even when empty: the namespace default-deny already blocks, and this
  // states that the service needs nothing more.
  return built(
    new NetworkPolicy({
      metadata: meta(config, service),
      spec: {
        podSelector: { matchLabels: selectorLabels(service) },
        policyTypes: ['Ingress', 'Egress'],
        ...(ingress.length > 0 ? { ingress } : {}),
        ...(egress.length > 0 ? { egress } : {}),
      },
    }),
  );
}

function externalSecret(
  config: GitopsConfig,
  service: ServiceConfig,
  secret: NonNullable<ServiceConfig['secrets']>[number],
): BuiltObject {
  const store = config.environments[0].secretStore.name;
  const properties = [...new Set(Object.values(secret.env))].sort();
  return built(
    new ExternalSecret({
      metadata: meta(config, service, externalSecretName(service, secret.name)),
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'SecretStore', name: store },
        target: { name: externalSecretName(service, secret.name), creationPolicy: 'Owner', deletionPolicy: 'Retain' },
        data: properties.map((property) => ({ secretKey: property, remoteRef: { key: secret.remoteKey, property } })),
      },
    }),
  );
}

function monitor(config: GitopsConfig, service: ServiceConfig): BuiltObject {
  const metrics = service.metrics as NonNullable<ServiceConfig['metrics']>;
  if (service.workload === 'Worker') {
    return built(
      new PodMonitor({
        metadata: meta(config, service),
        spec: {
          selector: { matchLabels: selectorLabels(service) },
          podMetricsEndpoints: [{ port: metrics.port, path: metrics.path, interval: '30s' }],
        },
      }),
    );
  }
  return built(
    new ServiceMonitor({
      metadata: meta(config, service),
      spec: {
        selector: { matchLabels: selectorLabels(service) },
        endpoints: [{ port: metrics.port, path: metrics.path, interval: '30s' }],
      },
    }),
  );
}

function ingress(config: GitopsConfig, service: ServiceConfig): BuiltObject {
  const route = service.ingress as NonNullable<ServiceConfig['ingress']>;
  return built(
    new Ingress({
      metadata: meta(config, service),
      spec: {
        ingressClassName: config.ingress?.className ?? 'nginx',
        tls: [{ hosts: [route.host], secretName: tlsSecretName(service) }],
        rules: [
          {
            host: route.host,
            http: {
              paths: route.paths.map((path) => ({
                path,
                pathType: 'Prefix',
                backend: { service: { name: service.name, port: { name: route.port } } },
              })),
            },
          },
        ],
      },
    }),
  );
}

function certificate(config: GitopsConfig, service: ServiceConfig): BuiltObject {
  const route = service.ingress as NonNullable<ServiceConfig['ingress']>;
  return built(
    new Certificate({
      metadata: meta(config, service),
      spec: {
        secretName: tlsSecretName(service),
        dnsNames: [route.host],
        issuerRef: {
          group: 'cert-manager.io',
          kind: 'ClusterIssuer',
          name: config.ingress?.clusterIssuer ?? 'letsencrypt',
        },
      },
    }),
  );
}

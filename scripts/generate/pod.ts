// The pod template of a service: its containers (main and sidecars), their probes, hooks, mounts and
// locked-down security context, and where the pods may run. Plain data typed by kubernetes-models; the
// workload object that holds it validates it.
import type { IAffinity, IContainer, IPodSpec, IProbe, IVolume, IVolumeMount } from 'kubernetes-models/v1';
import { DEFAULT_GRACE_SECONDS, DEFAULT_PRESTOP_SECONDS, preStopOf } from '../config/workload-checks.ts';
import type {
  ContainerConfig,
  GitopsConfig,
  HookConfig,
  PortConfig,
  ProbeConfig,
  Resources,
  ServiceConfig,
} from '../config/types.ts';
import { imageReference } from './effective.ts';
import { selectorLabels } from './labels.ts';
import { configFilesName, configMapName, externalSecretName, hasConfig } from './names.ts';
import { trimChar } from '../safe/text.ts';

export const DEFAULT_USER = 10001;
const CONFIG_FILES_VOLUME = 'config-files';

/** The port a container listens on: targetPort when the Service port differs. */
export function containerPort(port: PortConfig): number {
  return port.targetPort ?? port.port;
}

/** The Kubernetes minor version as a number: "1.29" -> 29. */
function minorOf(config: GitopsConfig): number {
  return Number(config.kubernetesVersion.split('.')[1]);
}

export function podSpec(config: GitopsConfig, service: ServiceConfig): IPodSpec {
  const user = service.runAsUser ?? DEFAULT_USER;
  const writable = service.writablePaths ?? [];
  const files = service.configFiles ?? [];
  const volumes: IVolume[] = [
    ...writable.map((path) => ({ name: volumeName(path), emptyDir: { sizeLimit: '256Mi' } })),
    ...(files.length > 0 ? [{ name: CONFIG_FILES_VOLUME, configMap: { name: configFilesName(service) } }] : []),
  ];
  const mounts: IVolumeMount[] = [
    ...writable.map((path) => ({ name: volumeName(path), mountPath: path })),
    ...(service.volumeClaims ?? []).map((claim) => ({ name: claim.name, mountPath: claim.mountPath })),
  ];
  // Each file at its own path (subPath), read-only; the ConfigMap's hash in its name rolls the pods on a change.
  const fileMounts: IVolumeMount[] = files.map((file) => ({
    name: CONFIG_FILES_VOLUME,
    mountPath: file.path,
    subPath: file.path.slice(file.path.lastIndexOf('/') + 1),
    readOnly: true,
  }));
  const main: ContainerConfig = {
    name: service.name,
    image: service.image,
    imagePullPolicy: service.imagePullPolicy,
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
  const hook = preStopOf(service);
  const scheduling = service.scheduling ?? {};
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
    terminationGracePeriodSeconds: service.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS,
    ...(scheduling.nodeSelector ? { nodeSelector: scheduling.nodeSelector } : {}),
    ...(scheduling.tolerations ? { tolerations: scheduling.tolerations } : {}),
    affinity: affinity(service),
    containers: [
      container(config, service, main, {
        secretEnv,
        envFrom: hasConfig(service) ? configMapName(service) : undefined,
        mounts: [...mounts, ...fileMounts],
        preStop: hook,
      }),
      ...(service.sidecars ?? []).map((sidecar) =>
        container(config, service, sidecar, {
          secretEnv: sidecar.secretEnv ?? {},
          mounts: mounts.filter((mount) => mount.mountPath === '/tmp'),
          // A sidecar's hook cannot call the main container's port: it waits as long as the main one would.
          preStop: { sleepSeconds: hook.sleepSeconds ?? DEFAULT_PRESTOP_SECONDS },
        }),
      ),
    ],
    ...(volumes.length > 0 ? { volumes } : {}),
  };
}

/** The service's affinity, with the default spread over nodes unless it gives its own podAntiAffinity. */
function affinity(service: ServiceConfig): IAffinity {
  const given = (service.scheduling?.affinity ?? {}) as IAffinity;
  return {
    ...given,
    podAntiAffinity: given.podAntiAffinity ?? {
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
  };
}

function volumeName(path: string): string {
  return (
    trimChar(path, '/')
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase() || 'root'
  );
}

/**
 * The preStop handler: Kubernetes 1.30+ has a sleep action (no sleep binary needed in the image); before
 * that a sleep is an exec of `sleep`. Either way the endpoints drain before SIGTERM.
 */
function preStopHandler(config: GitopsConfig, hook: HookConfig): NonNullable<IContainer['lifecycle']>['preStop'] {
  if (hook.exec) return { exec: { command: hook.exec } };
  if (hook.http) return { httpGet: { path: hook.http.path, port: hook.http.port } };
  const seconds = hook.sleepSeconds as number;
  return minorOf(config) >= 30 ? { sleep: { seconds } } : { exec: { command: ['sleep', String(seconds)] } };
}

function container(
  config: GitopsConfig,
  service: ServiceConfig,
  spec: ContainerConfig,
  extra: { secretEnv: Record<string, string>; envFrom?: string; mounts: IVolumeMount[]; preStop: HookConfig },
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
  return {
    name: spec.name,
    image: imageReference(spec.image),
    imagePullPolicy: spec.imagePullPolicy ?? 'IfNotPresent',
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.args ? { args: spec.args } : {}),
    ...(spec.ports && spec.ports.length > 0
      ? {
          ports: spec.ports.map((port) => ({
            name: port.name,
            containerPort: containerPort(port),
            protocol: port.protocol ?? 'TCP',
          })),
        }
      : {}),
    ...(extra.envFrom ? { envFrom: [{ configMapRef: { name: extra.envFrom } }] } : {}),
    ...(env.length > 0 ? { env } : {}),
    resources: kubeResources(spec.resources),
    ...(spec.probes ? probes(spec.probes) : {}),
    lifecycle: { preStop: preStopHandler(config, extra.preStop) },
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

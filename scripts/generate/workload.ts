// The base of one service: its workload and everything that belongs to it alone (ServiceAccount,
// Service, HPA, PDB, NetworkPolicy, ExternalSecrets, monitor, Ingress + Certificate). Every object is
// a kubernetes-models class instance, validated before it becomes a file.
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import { PodMonitor, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { DaemonSet, Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type {
  INetworkPolicyEgressRule,
  INetworkPolicyIngressRule,
  INetworkPolicyPeer,
} from 'kubernetes-models/networking.k8s.io/v1';
import { Service, ServiceAccount } from 'kubernetes-models/v1';
import type { IServiceSpec } from 'kubernetes-models/v1/ServiceSpec';
import type { GitopsConfig, PortConfig, ServiceConfig } from '../config/types.ts';
import { baseReplicas, environmentsOf, isAutoscaled } from './effective.ts';
import { externalIn } from '../config/sealed-secrets.ts';
import { selectorLabels, serviceLabels } from './labels.ts';
import { externalSecretName, hasService, tlsSecretName } from './names.ts';
import { built, type BuiltObject } from './objects.ts';
import { containerPort, podSpec } from './pod.ts';
import { hpa, needsDisruptionBudget, pdb } from './scaling.ts';
import { compareText } from '../finding-order.ts';
import { verticalPodAutoscaler } from './vertical.ts';
import { scaledObject } from './events.ts';
import { monitoredServices, podSelector } from './flagger.ts';

export { kubeResources } from './pod.ts';
export { configFilesName, configMapName, hasConfig, workloadKind } from './names.ts';

/** Ports of every container of the pod (sidecar metrics ports too): what the Service exposes. */
export function podPorts(service: ServiceConfig): PortConfig[] {
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
  add(`${workloadFile(service)}.yaml`, workload(config, service));
  if (hasService(service)) add('service.yaml', kubeService(config, service));
  if (isAutoscaled(service) && service.eventScaling)
    add('scaledobject.yaml', scaledObject(config, service, service.eventScaling, meta(config, service)));
  else if (isAutoscaled(service)) add('hpa.yaml', hpa(config, service, meta(config, service)));
  if (needsDisruptionBudget(config, service))
    add('pdb.yaml', pdb(service, meta(config, service), podSelector(config, service)));
  if (service.verticalScaling)
    add('vpa.yaml', verticalPodAutoscaler(service, service.verticalScaling, meta(config, service)));
  add('networkpolicy.yaml', networkPolicy(config, service));
  // A secret sealed in every environment has no ExternalSecret; one sealed in some is removed there (overlay.ts).
  for (const secret of service.secrets ?? [])
    if (externalIn(secret, environmentsOf(config, service)).length > 0)
      add(`externalsecret-${secret.name}.yaml`, externalSecret(config, service, secret));
  if (service.metrics) add(hasService(service) ? 'servicemonitor.yaml' : 'podmonitor.yaml', monitor(config, service));
  if (service.ingress) {
    add('ingress.yaml', ingress(config, service));
    add('certificate.yaml', certificate(config, service));
  }
  return objects;
}

function workloadFile(service: ServiceConfig): string {
  return service.workload === 'StatefulSet'
    ? 'statefulset'
    : service.workload === 'DaemonSet'
      ? 'daemonset'
      : 'deployment';
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
  const template = { metadata: { labels }, spec: podSpec(config, service) };
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
  if (service.workload === 'DaemonSet') {
    return built(
      new DaemonSet({
        metadata,
        spec: {
          revisionHistoryLimit: 5,
          selector,
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
          template,
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

function kubeService(config: GitopsConfig, service: ServiceConfig): BuiltObject {
  return built(new Service({ metadata: meta(config, service), spec: serviceSpec(service) }));
}

/** The Service's spec: the delivery Services (preview, canary, stable) are copies of it. */
export function serviceSpec(service: ServiceConfig): IServiceSpec {
  return {
    // A StatefulSet's governing Service is headless: clients reach the one pod by a stable name.
    ...(service.workload === 'StatefulSet' ? { clusterIP: 'None' } : { type: 'ClusterIP' }),
    selector: selectorLabels(service),
    // targetPort by name: the container's port, whatever its number (port 80 -> targetPort 8080).
    ports: podPorts(service).map((port) => ({
      name: port.name,
      port: port.port,
      targetPort: port.name,
      protocol: port.protocol ?? 'TCP',
    })),
  };
}

function namespacePeer(namespace: string, pods?: INetworkPolicyPeer['podSelector']): INetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    ...(pods ? { podSelector: pods } : {}),
  };
}

function networkPolicy(config: GitopsConfig, service: ServiceConfig): BuiltObject {
  const callers = config.services.filter((other) => other.calls?.includes(service.name));
  // Network policies see pod ports: the container's, not the Service's.
  const appPorts = service.ports.map((port) => ({ protocol: port.protocol ?? 'TCP', port: containerPort(port) }));
  const ingress: INetworkPolicyIngressRule[] = [];
  if (callers.length > 0 && appPorts.length > 0) {
    ingress.push({
      from: callers.map((caller) => namespacePeer(caller.namespace, podSelector(config, caller))),
      ports: appPorts,
    });
  }
  if (service.ingress) {
    const port = service.ports.find((candidate) => candidate.name === service.ingress?.port);
    ingress.push({
      from: [namespacePeer(config.ingress?.controllerNamespace ?? 'ingress-nginx')],
      ports: [{ protocol: 'TCP', port: port && containerPort(port) }],
    });
  }
  if (service.metrics) {
    const port = podPorts(service).find((candidate) => candidate.name === service.metrics?.port);
    ingress.push({
      from: [namespacePeer(config.monitoring?.namespace ?? 'monitoring')],
      ports: [{ protocol: 'TCP', port: port && containerPort(port) }],
    });
  }
  const egress: INetworkPolicyEgressRule[] = [];
  for (const name of service.calls ?? []) {
    const callee = config.services.find((other) => other.name === name);
    if (!callee) continue;
    egress.push({
      to: [namespacePeer(callee.namespace, podSelector(config, callee))],
      ports: callee.ports.map((port) => ({ protocol: port.protocol ?? 'TCP', port: containerPort(port) })),
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
        podSelector: podSelector(config, service),
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
        // Present wherever an ExternalSecret is generated: the config stage requires it there.
        data: properties.map((property) => ({
          secretKey: property,
          remoteRef: { key: secret.remoteKey as string, property },
        })),
      },
    }),
  );
}

/** The label Prometheus selects monitors by, as the first environment the service runs in says (overlays set the others). */
export function monitorRelease(config: GitopsConfig, envName: string): string | undefined {
  const env = config.environments.find((candidate) => candidate.name === envName);
  return env?.monitoring?.release ?? config.monitoring?.release;
}

function monitor(config: GitopsConfig, service: ServiceConfig): BuiltObject {
  const metrics = service.metrics as NonNullable<ServiceConfig['metrics']>;
  const first = config.environments.find((env) => !service.environments || service.environments.includes(env.name));
  const release = monitorRelease(config, first?.name ?? config.environments[0].name);
  const metadata = {
    ...meta(config, service),
    ...(release ? { labels: { ...meta(config, service).labels, release } } : {}),
  };
  if (!hasService(service)) {
    return built(
      new PodMonitor({
        metadata,
        spec: {
          selector: podSelector(config, service),
          podMetricsEndpoints: [{ port: metrics.port, path: metrics.path, interval: '30s' }],
        },
      }),
    );
  }
  return built(
    new ServiceMonitor({
      metadata,
      spec: {
        selector: monitoredServices(config, service),
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

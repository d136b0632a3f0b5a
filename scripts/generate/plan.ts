// From a checked gitops.yaml to the files of the repository: a pure function, so the writer, --check
// and the tests share one truth.
import type { GitopsConfig, ServiceConfig } from '../config/types.ts';
import { appProject, applicationSet, NAMESPACES_APP } from './argocd.ts';
import { environmentsOf } from './effective.ts';
import { namespaceObjects } from './namespaces.ts';
import { OWNED_HEADER, yamlFile, type BuiltObject } from './objects.ts';
import { overlayFiles } from './overlay.ts';
import { configFilesName, configMapName, hasConfig } from './names.ts';
import { serviceBase } from './workload.ts';
export { GENERATED_ROOTS } from './layout.ts';
import { compareText } from '../finding-order.ts';
import { deliveryIn, deliveryObjects } from './delivery.ts';
import { flaggerObjects, usesFlagger } from './flagger.ts';

export type Ownership = 'owned' | 'scaffold';

export interface PlannedFile {
  /** Relative to the output root, forward slashes. */
  path: string;
  content: string;
  /** owned: rewritten on every run; scaffold: created when missing, then left to people. */
  ownership: Ownership;
}

export function planRepository(config: GitopsConfig): PlannedFile[] {
  const files: PlannedFile[] = [];
  const owned = (path: string, content: string) => files.push({ path, content, ownership: 'owned' });
  // group/kind of what each environment deploys, for its AppProject's allow list.
  const kindsOf = new Map<string, { group: string; kind: string }[]>();
  const collect = (env: string, object: BuiltObject) => {
    const apiVersion = String(object.apiVersion);
    const kinds = kindsOf.get(env) ?? [{ group: '', kind: 'ConfigMap' }];
    kinds.push({ group: apiVersion.includes('/') ? apiVersion.split('/')[0] : '', kind: String(object.kind) });
    kindsOf.set(env, kinds);
  };

  for (const service of config.services) {
    const objects = serviceBase(config, service);
    for (const env of environmentsOf(config, service)) objects.forEach(({ object }) => collect(env.name, object));
    const header = [
      OWNED_HEADER,
      `# Change services "${service.name}" in gitops.yaml, or overlays/<env>/${service.name}/ for one environment.`,
    ];
    for (const { file, object } of objects) owned(`base/${service.name}/${file}`, yamlFile(header, [object]));
    owned(
      `base/${service.name}/kustomization.yaml`,
      yamlFile(header, [
        baseKustomization(
          service,
          objects.map(({ file }) => file),
        ),
      ]),
    );
  }

  for (const env of config.environments) {
    const header = [
      OWNED_HEADER,
      `# The namespaces of ${env.name}: quota sized from gitops.yaml (replicas x requests).`,
    ];
    const resources: string[] = [];
    for (const namespace of config.namespaces) {
      const { objects } = namespaceObjects(config, env, namespace);
      for (const { file, object } of objects) {
        collect(env.name, object);
        const path = `${namespace.name}/${file}`;
        resources.push(path);
        owned(`overlays/${env.name}/${NAMESPACES_APP}/${path}`, yamlFile(header, [object]));
      }
    }
    owned(
      `overlays/${env.name}/${NAMESPACES_APP}/kustomization.yaml`,
      yamlFile(header, [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }]),
    );

    for (const service of config.services.filter((candidate) => environmentsOf(config, candidate).includes(env))) {
      // A delivery environment's overlay adds a Rollout and what it names (generate/delivery.ts).
      const delivery = deliveryIn(service, env);
      if (delivery)
        (usesFlagger(config) ? flaggerObjects(service, delivery) : deliveryObjects(config, service, delivery)).forEach(
          (object) => collect(env.name, object),
        );
      for (const secret of service.secrets ?? []) {
        const sealed = secret.sealedSecrets?.[env.name];
        if (sealed) collect(env.name, sealed);
      }
      for (const { file, content, ownership } of overlayFiles(config, env, service))
        files.push({ path: `overlays/${env.name}/${service.name}/${file}`, content, ownership });
    }
  }

  const argocdHeader = [OWNED_HEADER, '# Change project, environments or services in gitops.yaml.'];
  for (const env of config.environments) {
    owned(
      `argocd/appproject-${env.name}.yaml`,
      yamlFile(argocdHeader, [appProject(config, env, kindsOf.get(env.name) ?? [])]),
    );
    owned(`argocd/applicationset-${env.name}.yaml`, yamlFile(argocdHeader, [applicationSet(config, env)]));
  }

  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function baseKustomization(service: ServiceConfig, resourceFiles: string[]): Record<string, unknown> {
  const literals = Object.entries(service.config ?? {})
    .sort(([a], [b]) => compareText(a, b))
    .map(([key, value]) => `${key}=${value}`);
  // Each config file as one literal "<name>=<content>": kustomize takes multi-line literals, and the
  // content stays in an owned file (a copy of application.yml could not carry the header).
  const files = (service.configFiles ?? []).map((file) => {
    if (file.content === undefined) throw new Error(`the content of ${file.from} was not read`);
    return `${file.path.slice(file.path.lastIndexOf('/') + 1)}=${file.content}`;
  });
  const generators = [
    ...(hasConfig(service) ? [{ name: configMapName(service), literals }] : []),
    ...(files.length > 0 ? [{ name: configFilesName(service), literals: files }] : []),
  ];
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: service.namespace,
    resources: resourceFiles,
    // The generated names carry a hash of the content, so a config change rolls the pods.
    ...(generators.length > 0 ? { configMapGenerator: generators } : {}),
  };
}

// From a checked gitops.yaml to the files of the repository: a pure function, so the writer, --check
// and the tests share one truth.
import type { GitopsConfig, ServiceConfig } from '../config/types.ts';
import { appProject, applicationSet, NAMESPACES_APP } from './argocd.ts';
import { environmentsOf } from './effective.ts';
import { namespaceObjects } from './namespaces.ts';
import { OWNED_HEADER, yamlFile, type BuiltObject } from './objects.ts';
import { overlayFiles } from './overlay.ts';
import { configMapName, hasConfig, serviceBase } from './workload.ts';
export { GENERATED_ROOTS } from './layout.ts';
import { compareText } from '../finding-order.ts';

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
  const kinds: { group: string; kind: string }[] = [{ group: '', kind: 'ConfigMap' }];
  const collect = (object: BuiltObject) => {
    const apiVersion = String(object.apiVersion);
    kinds.push({ group: apiVersion.includes('/') ? apiVersion.split('/')[0] : '', kind: String(object.kind) });
  };

  for (const service of config.services) {
    const objects = serviceBase(config, service);
    objects.forEach(({ object }) => collect(object));
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
        collect(object);
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
      for (const { file, content, ownership } of overlayFiles(config, env, service))
        files.push({ path: `overlays/${env.name}/${service.name}/${file}`, content, ownership });
    }
  }

  const argocdHeader = [OWNED_HEADER, '# Change project, environments or services in gitops.yaml.'];
  owned('argocd/appproject.yaml', yamlFile(argocdHeader, [appProject(config, kinds)]));
  for (const env of config.environments)
    owned(`argocd/applicationset-${env.name}.yaml`, yamlFile(argocdHeader, [applicationSet(config, env)]));

  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function baseKustomization(service: ServiceConfig, resourceFiles: string[]): Record<string, unknown> {
  const literals = Object.entries(service.config ?? {})
    .sort(([a], [b]) => compareText(a, b))
    .map(([key, value]) => `${key}=${value}`);
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: service.namespace,
    resources: resourceFiles,
    // The generated name carries a hash of the content, so a config change rolls the pods.
    ...(hasConfig(service) ? { configMapGenerator: [{ name: configMapName(service), literals }] } : {}),
  };
}

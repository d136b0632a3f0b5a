// Values a person's overlay sets that gitops.yaml owns. gitops.yaml declares every per-environment value
// of a service (image, replicas, resources, config keys, namespace); they reach the overlay through its
// generated/ layer. A people's kustomization that sets one of them again would silently win, so each is
// reported with its file and line and what to run instead, and `generate --check` fails on them. So is a
// people's kustomization that does not include generated/ at all: gitops.yaml would not reach it.
import { posix } from 'node:path';
import type { EnvironmentConfig, GitopsConfig, ServiceConfig } from '../config/types.ts';
import { parseSourceFile, type SourceDocument } from '../manifest/source.ts';
import type { JsonPath } from '../types.ts';
import { effective, environmentsOf } from './effective.ts';
import { GENERATED_LAYER } from './layout.ts';
import type { OutputRoot } from './output.ts';
import { configMapName, workloadKind } from './names.ts';
import { appendAll } from '../lists.ts';
import { trimEndChar } from '../safe/text.ts';

export interface Override {
  file: string;
  line: number;
  column: number;
  message: string;
}

interface Owned {
  env: EnvironmentConfig;
  service: ServiceConfig;
  folder: string;
  images: Set<string>;
  containers: Set<string>;
  configKeys: Set<string>;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export function findOverrides(out: OutputRoot, config: GitopsConfig): Override[] {
  const found: Override[] = [];
  for (const env of config.environments) {
    for (const service of config.services.filter((candidate) => environmentsOf(config, candidate).includes(env))) {
      const folder = `overlays/${env.name}/${service.name}`;
      const owned: Owned = {
        env,
        service,
        folder,
        images: new Set([service.image.repository, ...(service.sidecars ?? []).map((s) => s.image.repository)]),
        containers: new Set([service.name, ...(service.sidecars ?? []).map((sidecar) => sidecar.name)]),
        configKeys: new Set([
          ...Object.keys(service.config ?? {}),
          ...Object.keys(service.overrides?.[env.name]?.config ?? {}),
        ]),
      };
      appendAll(found, kustomizationOverrides(out, owned));
    }
  }
  return found;
}

function kustomizationOverrides(out: OutputRoot, owned: Owned): Override[] {
  const file = `${owned.folder}/kustomization.yaml`;
  const text = out.read(file);
  if (text === undefined) return []; // not there yet (scaffolded this run) or a link: nothing a person set
  const source = parseSourceFile(text, file);
  const document = source.documents[0];
  const value = document?.value as Record<string, unknown> | null;
  if (source.problems.length > 0 || !value || typeof value !== 'object') return [];
  const found: Override[] = [];
  const report = (path: JsonPath, message: string, where: SourceDocument = document, at = file) =>
    found.push({ file: at, ...where.locate(path), message });
  const { service, env } = owned;
  const who = `services "${service.name}"`;

  const resources = [...list(value.resources), ...list(value.bases)];
  if (!resources.some((entry) => normalise(entry) === GENERATED_LAYER)) {
    report(
      ['resources'],
      `does not include ${GENERATED_LAYER}/, so what gitops.yaml declares for ${service.name} in ${env.name} does not reach this overlay. List \`${GENERATED_LAYER}\` under resources (instead of the base), and move values set here into gitops.yaml`,
    );
  }
  (['resources', 'bases'] as const).forEach((key) =>
    list(value[key]).forEach((entry, index) => {
      if (typeof entry === 'string' && posix.basename(normalise(entry)) === service.name && entry.includes('base'))
        report(
          [key, index],
          `includes the base of ${service.name} directly; ${GENERATED_LAYER}/ already does (with gitops.yaml's values for ${env.name}). Remove this entry`,
        );
    }),
  );
  if (typeof value.namespace === 'string' && value.namespace !== service.namespace)
    report(
      ['namespace'],
      `moves ${service.name} to namespace "${value.namespace}", but gitops.yaml declares "${service.namespace}". Change ${who} namespace in gitops.yaml instead and remove this line`,
    );

  list(value.images).forEach((entry, index) => {
    const image = entry as { name?: unknown; newTag?: unknown; digest?: unknown; newName?: unknown };
    if (typeof image?.name !== 'string' || !owned.images.has(image.name)) return;
    const to = typeof image.digest === 'string' ? image.digest : typeof image.newTag === 'string' ? image.newTag : '';
    report(
      ['images', index],
      `sets the image ${image.name}${to ? ` to ${to}` : ''}, which gitops.yaml owns (${who} image, overrides.${env.name}.imageTag). Remove this entry and run \`gitops set-image ${service.name} ${to || '<tag>'} --env ${env.name}\``,
    );
  });
  list(value.replicas).forEach((entry, index) => {
    if ((entry as { name?: unknown })?.name === service.name) {
      report(['replicas', index], replicasMessage(owned, (entry as { count?: unknown }).count));
    }
  });
  list(value.configMapGenerator).forEach((entry, index) => {
    const generator = entry as { name?: unknown; literals?: unknown };
    if (generator?.name !== configMapName(service)) return;
    list(generator.literals).forEach((literal, literalIndex) => {
      const key = typeof literal === 'string' ? literal.split('=')[0] : undefined;
      if (key !== undefined && owned.configKeys.has(key))
        report(
          ['configMapGenerator', index, 'literals', literalIndex],
          `sets config ${key}, which gitops.yaml declares for ${service.name}. Set ${who} overrides.${env.name}.config.${key} in gitops.yaml and remove it here`,
        );
    });
  });

  for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902'] as const) {
    list(value[key]).forEach((entry, index) => {
      for (const hit of patchOverrides(out, owned, entry, [key, index], document, file)) found.push(hit);
    });
  }
  return found;
}

function replicasMessage(owned: Owned, count: unknown): string {
  const { service, env } = owned;
  const declared = effective(service, env).replicas;
  return `sets the replicas of ${service.name}${typeof count === 'number' ? ` to ${count}` : ''}, which gitops.yaml owns (min ${declared.min}, max ${declared.max} in ${env.name}). Set services "${service.name}" overrides.${env.name}.replicas in gitops.yaml and remove it here`;
}

/** A patch entry (path, inline patch, or a patchesStrategicMerge string) and the owned fields it sets. */
function patchOverrides(
  out: OutputRoot,
  owned: Owned,
  entry: unknown,
  entryPath: JsonPath,
  kustomization: SourceDocument,
  kustomizationFile: string,
): Override[] {
  const spec =
    typeof entry === 'string'
      ? entry.includes('\n')
        ? { patch: entry }
        : { path: entry }
      : (entry as { path?: unknown; patch?: unknown; target?: Record<string, unknown> } | null);
  if (!spec) return [];
  let text: string | undefined;
  let file = kustomizationFile;
  let inline = true;
  if (typeof spec.patch === 'string') text = spec.patch;
  else if (typeof spec.path === 'string') {
    const relative = posix.normalize(posix.join(owned.folder, spec.path));
    if (relative.startsWith('..') || posix.isAbsolute(relative)) return [];
    text = out.read(relative);
    file = relative;
    inline = false;
  }
  if (text === undefined) return [];
  const source = parseSourceFile(text, file);
  if (source.problems.length > 0) return [];
  const found: Override[] = [];
  const target =
    typeof entry === 'object' && entry !== null ? (entry as { target?: Record<string, unknown> }).target : undefined;
  for (const document of source.documents) {
    const report = (path: JsonPath, message: string) =>
      found.push({
        file,
        ...(inline ? kustomization.locate(entryPath) : document.locate(path)),
        message,
      });
    for (const hit of ownedFieldsSet(owned, document.value, target)) report(hit.path, hit.message);
  }
  return found;
}

interface Hit {
  path: JsonPath;
  message: string;
}

/** The owned fields one patch document sets: strategic merge (an object) or JSON 6902 (a list of operations). */
function ownedFieldsSet(owned: Owned, patch: unknown, target: Record<string, unknown> | undefined): Hit[] {
  const { service, env } = owned;
  const object = (patch ?? {}) as { kind?: unknown; metadata?: { name?: unknown }; spec?: Record<string, unknown> };
  const kind = Array.isArray(patch) ? target?.kind : (object.kind ?? target?.kind);
  const name = Array.isArray(patch) ? target?.name : (object.metadata?.name ?? target?.name);
  if (name !== undefined && name !== service.name) return [];
  const isWorkload = typeof kind === 'string' && WORKLOAD_KINDS.has(kind) && kind === workloadKind(service);
  const isHpa = kind === 'HorizontalPodAutoscaler';
  if (!isWorkload && !isHpa) return [];
  const resourcesMessage = `sets resources of ${service.name}, which gitops.yaml owns. Set services "${service.name}" overrides.${env.name}.resources in gitops.yaml and remove this patch`;
  const imageMessage = `sets the image of ${service.name}, which gitops.yaml owns. Run \`gitops set-image ${service.name} <tag> --env ${env.name}\` and remove this patch`;
  const hits: Hit[] = [];

  if (Array.isArray(patch)) {
    patch.forEach((operation, index) => {
      const path = (operation as { path?: unknown })?.path;
      if (typeof path !== 'string') return;
      if (isHpa && /^\/spec\/(minReplicas|maxReplicas)$/.test(path))
        hits.push({ path: [index], message: replicasMessage(owned, undefined) });
      if (isWorkload && path === '/spec/replicas')
        hits.push({ path: [index], message: replicasMessage(owned, undefined) });
      if (isWorkload && /^\/spec\/template\/spec\/containers\/[^/]+\/resources(\/|$)/.test(path))
        hits.push({ path: [index], message: resourcesMessage });
      if (isWorkload && /^\/spec\/template\/spec\/containers\/[^/]+\/image$/.test(path))
        hits.push({ path: [index], message: imageMessage });
    });
    return hits;
  }
  const spec = object.spec ?? {};
  if (isHpa) {
    for (const field of ['minReplicas', 'maxReplicas'])
      if (spec[field] !== undefined) hits.push({ path: ['spec', field], message: replicasMessage(owned, spec[field]) });
    return hits;
  }
  if (spec.replicas !== undefined)
    hits.push({ path: ['spec', 'replicas'], message: replicasMessage(owned, spec.replicas) });
  const containers = list(((spec.template as { spec?: { containers?: unknown } })?.spec ?? {}).containers);
  containers.forEach((container, index) => {
    const { name: containerName, resources, image } = (container ?? {}) as Record<string, unknown>;
    if (typeof containerName !== 'string' || !owned.containers.has(containerName)) return;
    const at: JsonPath = ['spec', 'template', 'spec', 'containers', index];
    if (resources !== undefined) hits.push({ path: [...at, 'resources'], message: resourcesMessage });
    if (image !== undefined) hits.push({ path: [...at, 'image'], message: imageMessage });
  });
  return hits;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function normalise(entry: unknown): string {
  return typeof entry === 'string' ? trimEndChar(posix.normalize(entry), '/') : '';
}

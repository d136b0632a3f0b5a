// The environment matrix: one row per service, one column per environment, and in each cell what
// reviewers of a promotion compare — image tag, replicas, resources, sync policy — before and after.
// A service is the set of apps whose paths differ only in the environment's name (the same notion
// env-consistency uses: overlays/dev/web and overlays/prod/web are "overlays/*/web").
import { compareText } from '../finding-order.ts';
import { groupServices } from '../kube/env-services.ts';
import { get, int, record, str } from '../kube/values.ts';
import { containersOf, isWorkload, podTemplateOf, REPLICATED_KINDS } from '../kube/workloads.ts';
import type { App, KubeObject } from '../types.ts';
import { policyLabel } from './applications.ts';
import type { SideSnapshot, SnapshotApp, SnapshotApplication } from './snapshot.ts';

export interface MatrixCell {
  /** Image tags (or short digests) of the workloads' containers: "1.4.2", or "api=1.4.2, envoy=1.30". */
  image: string;
  /** spec.replicas, or the HPA's range: "3", "2-6 (HPA)". */
  replicas: string;
  /** The first container's requests and limits: "cpu 100m/500m, memory 128Mi/256Mi". */
  resources: string;
  /** The sync policy of the Application that deploys it: "auto+prune+selfHeal", "manual", "not deployed". */
  syncPolicy: string;
}

export type MatrixField = keyof MatrixCell;
export const MATRIX_FIELDS: MatrixField[] = ['image', 'replicas', 'resources', 'syncPolicy'];

export interface MatrixEntry {
  /** The app of this service in this environment, on the head side (base when removed). */
  app: string;
  before?: MatrixCell;
  after?: MatrixCell;
  /** Fields that differ; every field when the app exists on one side only. */
  changed: MatrixField[];
}

export interface MatrixRow {
  /** What the service is called: its path pattern without the segments all services share. */
  service: string;
  /** Its name on the base side, when its folders were renamed. */
  previousService?: string;
  /** The path pattern, e.g. "overlays/*\/web". */
  key: string;
  cells: Record<string, MatrixEntry>;
  changed: boolean;
}

export interface EnvironmentMatrix {
  environments: string[];
  rows: MatrixRow[];
}

export function environmentMatrix(
  base: SideSnapshot,
  head: SideSnapshot,
  environments: string[],
  appRenames: Map<string, string> = new Map(),
): EnvironmentMatrix {
  const before = sideCells(base);
  const after = sideCells(head);
  const moved = movedServices(before, after, appRenames);
  const keys = [...new Set([...[...before.keys()].map((key) => moved.get(key) ?? key), ...after.keys()])].sort(
    compareText,
  );
  const previousKey = new Map([...moved].map(([from, to]) => [to, from]));
  const names = shortNames([...new Set([...keys, ...moved.keys()])]);
  const rows: MatrixRow[] = keys.map((key) => {
    const from = previousKey.get(key) ?? key;
    const cells: Record<string, MatrixEntry> = {};
    for (const env of environments) {
      const old = before.get(from)?.get(env);
      const now = after.get(key)?.get(env);
      if (!old && !now) continue;
      const changed = MATRIX_FIELDS.filter((field) => old?.cell[field] !== now?.cell[field]);
      cells[env] = {
        app: (now ?? old)!.app,
        ...(old ? { before: old.cell } : {}),
        ...(now ? { after: now.cell } : {}),
        changed,
      };
    }
    const changed = from !== key || Object.values(cells).some((cell) => cell.changed.length > 0);
    return {
      service: names.get(key) ?? key,
      ...(from !== key ? { previousService: names.get(from) ?? from } : {}),
      key,
      cells,
      changed,
    };
  });
  return { environments, rows };
}

/**
 * Services whose every app was renamed into one other service that the base side did not have
 * (overlays/*\/api → overlays/*\/orders): one row, compared across the rename.
 */
function movedServices(
  before: Map<string, Map<string, { app: string }>>,
  after: Map<string, Map<string, { app: string }>>,
  appRenames: Map<string, string>,
): Map<string, string> {
  const serviceOfApp = new Map<string, string>();
  for (const [key, cells] of after) for (const { app } of cells.values()) serviceOfApp.set(app, key);
  const out = new Map<string, string>();
  for (const [key, cells] of before) {
    if (after.has(key)) continue;
    const targets = new Set([...cells.values()].map(({ app }) => serviceOfApp.get(appRenames.get(app) ?? '')));
    const [target] = targets;
    if (targets.size === 1 && target && !before.has(target)) out.set(key, target);
  }
  return out;
}

/** service key → env → the app and its cell. */
function sideCells(side: SideSnapshot): Map<string, Map<string, { app: string; cell: MatrixCell }>> {
  const byId = new Map(side.apps.map((app) => [app.id, app]));
  const shells: App[] = side.apps.map((app) => ({
    id: app.id,
    kind: app.kind,
    ...(app.env ? { env: app.env } : {}),
    resources: [],
  }));
  const out = new Map<string, Map<string, { app: string; cell: MatrixCell }>>();
  for (const [key, byEnv] of groupServices(shells)) {
    const cells = new Map<string, { app: string; cell: MatrixCell }>();
    for (const [env, shell] of byEnv) cells.set(env, { app: shell.id, cell: cellOf(byId.get(shell.id)!, side) });
    out.set(key, cells);
  }
  return out;
}

export function cellOf(app: SnapshotApp, side: SideSnapshot): MatrixCell {
  const objects = app.objects.map((entry) => entry.object);
  const workloads = objects.filter(isWorkload);
  const images: string[] = [];
  const replicas: string[] = [];
  let resources = '';
  for (const workload of workloads) {
    const template = podTemplateOf(workload);
    if (!template) continue;
    const containers = containersOf(template).filter((container) => !container.init || container.sidecar);
    for (const { container, name } of containers) {
      const entry = `${name}=${imageTag(str(container.image) ?? '')}`;
      if (!images.includes(entry)) images.push(entry);
    }
    if (!resources && containers[0]) resources = resourcesLabel(containers[0].container);
    if (REPLICATED_KINDS.includes(workload.kind ?? '')) replicas.push(replicasLabel(workload, objects));
  }
  const tags = new Set(images.map((entry) => entry.slice(entry.indexOf('=') + 1)));
  const deployers = deployersOf(side).get(app.id) ?? [];
  return {
    image: tags.size === 1 ? [...tags][0] : images.join(', '),
    replicas: replicas.join(', '),
    resources,
    // No Application deploys it (in a repository that has Applications): Argo CD does not sync it.
    syncPolicy: deployers.length
      ? [...new Set(deployers.map(policyLabel))].join(', ')
      : side.applications.length
        ? 'not deployed'
        : '',
  };
}

const deployerIndex = new WeakMap<SideSnapshot, Map<string, SnapshotApplication[]>>();

/** The Applications of a side by the app ids their sources name, built once per side. */
function deployersOf(side: SideSnapshot): Map<string, SnapshotApplication[]> {
  let index = deployerIndex.get(side);
  if (!index) {
    index = new Map();
    for (const application of side.applications)
      for (const path of application.sourcePaths) index.set(path, [...(index.get(path) ?? []), application]);
    deployerIndex.set(side, index);
  }
  return index;
}

/** "registry/shop/api:1.4.2" → "1.4.2"; "...@sha256:abcdef..." → "sha256:abcdef12"; no tag → "latest". */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1, at + 1 + 'sha256:'.length + 8);
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon >= 0 ? image.slice(colon + 1) : image ? 'latest' : '';
}

function replicasLabel(workload: KubeObject, objects: KubeObject[]): string {
  const hpa = objects.find(
    (object) =>
      object.kind === 'HorizontalPodAutoscaler' &&
      get(object, 'spec', 'scaleTargetRef', 'kind') === workload.kind &&
      get(object, 'spec', 'scaleTargetRef', 'name') === workload.metadata?.name,
  );
  if (hpa) return `${int(get(hpa, 'spec', 'minReplicas')) ?? 1}-${int(get(hpa, 'spec', 'maxReplicas')) ?? '?'} (HPA)`;
  return String(int(get(workload, 'spec', 'replicas')) ?? 1);
}

function resourcesLabel(container: Record<string, unknown>): string {
  const requests = record(get(container, 'resources', 'requests'));
  const limits = record(get(container, 'resources', 'limits'));
  const part = (name: string) => {
    const request = requests[name];
    const limit = limits[name];
    if (request === undefined && limit === undefined) return '';
    return `${name} ${request ?? '-'}/${limit ?? '-'}`;
  };
  return [part('cpu'), part('memory')].filter(Boolean).join(', ');
}

/** "overlays/*\/web" → "web" when every key shares "overlays/*\/"; keys stay whole when they share nothing. */
function shortNames(keys: string[]): Map<string, string> {
  const split = keys.map((key) => key.split('/'));
  let prefix = 0;
  while (split.length > 0 && split.every((parts) => parts.length > prefix + 1 && parts[prefix] === split[0][prefix]))
    prefix++;
  let suffix = 0;
  while (
    split.length > 0 &&
    split.every(
      (parts) =>
        parts.length > prefix + suffix + 1 &&
        parts[parts.length - 1 - suffix] === split[0][split[0].length - 1 - suffix],
    )
  )
    suffix++;
  const out = new Map<string, string>();
  keys.forEach((key, i) => {
    const name = split[i].slice(prefix, split[i].length - suffix).join('/');
    out.set(key, name);
  });
  // Two services that shorten to the same name keep their keys.
  const counts = new Map<string, number>();
  for (const name of out.values()) counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const [key, name] of out) if ((counts.get(name) ?? 0) > 1) out.set(key, key);
  return out;
}

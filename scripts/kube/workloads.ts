// Where pods hide in each workload kind, and the lookups rules share: which containers a workload
// runs, which Services select it, whether it serves traffic.
import type { App, JsonPath, KubeObject, Resource } from '../types.ts';
import { array, get, isRecord, record, str, stringMap, type Json } from './values.ts';

/**
 * The kinds that run pods. Argo Rollouts' Rollout carries a Deployment-like pod template, and
 * OpenShift's DeploymentConfig one too (its `spec.selector` is a plain map, like a Service's).
 */
export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
  'Rollout',
  'DeploymentConfig',
] as const;

/** Kinds whose `spec.replicas` sets how many pods run (and that an HPA can scale). */
export const REPLICATED_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'Rollout', 'DeploymentConfig'];

export function isWorkload(object: KubeObject): boolean {
  if (object.kind === 'Rollout') return (object.apiVersion ?? '').startsWith('argoproj.io/');
  // apps.openshift.io/v1, or the legacy core-group `v1` OpenShift 3 still accepts.
  if (object.kind === 'DeploymentConfig') return /^(apps\.openshift\.io\/|v1$)/.test(object.apiVersion ?? '');
  return (WORKLOAD_KINDS as readonly string[]).includes(object.kind ?? '');
}

/** Jobs run to completion: no probes, no Service, no PodDisruptionBudget. */
export function isBatch(object: KubeObject): boolean {
  return object.kind === 'Job' || object.kind === 'CronJob';
}

export interface PodTemplate {
  /** The pod spec and where it sits in the object. */
  spec: Json;
  specPath: JsonPath;
  /** The pod's labels (template metadata, or the Pod's own metadata). */
  labels: Record<string, string>;
  labelsPath: JsonPath;
}

// Most policy rules start from a resource's pod template and containers: each is worked out once per
// object (objects are never changed after loading) instead of once per rule.
const templates = new WeakMap<KubeObject, PodTemplate | null>();
const containerLists = new WeakMap<PodTemplate, ContainerAt[]>();

export function podTemplateOf(object: KubeObject): PodTemplate | undefined {
  let template = templates.get(object);
  if (template === undefined) {
    template = findPodTemplate(object) ?? null;
    templates.set(object, template);
  }
  return template ?? undefined;
}

// Where each kind keeps its pod template (read-only: a template's paths are concatenated copies).
const POD_TEMPLATE_PATH: readonly (string | number)[] = [];
const CRONJOB_TEMPLATE_PATH: readonly (string | number)[] = ['spec', 'jobTemplate', 'spec', 'template'];
const TEMPLATE_PATH: readonly (string | number)[] = ['spec', 'template'];

function findPodTemplate(object: KubeObject): PodTemplate | undefined {
  if (!isWorkload(object)) return undefined;
  let templatePath: readonly (string | number)[];
  if (object.kind === 'Pod') templatePath = POD_TEMPLATE_PATH;
  else if (object.kind === 'CronJob') templatePath = CRONJOB_TEMPLATE_PATH;
  else templatePath = TEMPLATE_PATH;
  const template = templatePath.length ? get(object, ...templatePath) : object;
  const spec = get(template, 'spec');
  // A Rollout with workloadRef borrows another Deployment's template: nothing to check here.
  if (!isRecord(spec)) return undefined;
  return {
    spec,
    specPath: joinPath(templatePath, 'spec'),
    labels: stringMap(get(template, 'metadata', 'labels')),
    labelsPath: joinPath(templatePath, 'metadata', 'labels'),
  };
}

/**
 * `base` followed by `keys`: what `base.concat(...keys)` gives (an exact-size array, held per object
 * and container, where a spread or a push keeps spare room), without concat's generic builtin, which
 * cost ~0.5 µs a call (10x this loop) on every template and container.
 */
function joinPath(base: readonly (string | number)[], ...keys: (string | number)[]): JsonPath {
  const path: JsonPath = new Array<string | number>(base.length + keys.length);
  for (let i = 0; i < base.length; i++) path[i] = base[i];
  for (let i = 0; i < keys.length; i++) path[base.length + i] = keys[i];
  return path;
}

export interface ContainerAt {
  container: Json;
  name: string;
  path: JsonPath;
  /** An init container (including a native sidecar). */
  init: boolean;
  /** A native sidecar: an init container with restartPolicy Always, which runs beside the app. */
  sidecar: boolean;
}

/** Every init container, sidecar and container of a pod template, with its path. */
export function containersOf(template: PodTemplate): ContainerAt[] {
  let list = containerLists.get(template);
  if (!list) {
    list = findContainers(template);
    containerLists.set(template, list);
  }
  return list;
}

const CONTAINER_FIELDS = ['initContainers', 'containers'] as const;

function findContainers(template: PodTemplate): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const field of CONTAINER_FIELDS) {
    const list = array(template.spec[field]);
    const init = field === 'initContainers';
    for (let index = 0; index < list.length; index++) {
      const container = list[index];
      if (!isRecord(container)) continue;
      out.push({
        container,
        name: str(container.name) ?? `#${index}`,
        path: joinPath(template.specPath, field, index),
        init,
        sidecar: init && container.restartPolicy === 'Always',
      });
    }
  }
  return out;
}

/** The group of an apiVersion ("" for the core group). */
function groupOf(object: KubeObject): string {
  const apiVersion = object.apiVersion ?? '';
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** Where a Tekton kind keeps its task specs (steps, sidecars, stepTemplate), relative to the object. */
function tektonTaskSpecs(object: KubeObject): JsonPath[] {
  const specPaths = (pipelinePath: JsonPath): JsonPath[] =>
    ['tasks', 'finally'].flatMap((list) =>
      array(get(object, ...pipelinePath, list)).map((_, i): JsonPath => [...pipelinePath, list, i, 'taskSpec']),
    );
  switch (object.kind) {
    case 'Task':
    case 'ClusterTask':
      return [['spec']];
    case 'TaskRun':
      return [['spec', 'taskSpec']];
    case 'Pipeline':
      return specPaths(['spec']);
    case 'PipelineRun':
      return specPaths(['spec', 'pipelineSpec']);
    default:
      return [];
  }
}

/** Objects that embed whole objects to create later: Tekton TriggerTemplates, OpenShift Templates. */
function embeddedObjects(object: KubeObject): JsonPath[] {
  const group = groupOf(object);
  if (object.kind === 'TriggerTemplate' && group === 'triggers.tekton.dev')
    return array(get(object, 'spec', 'resourcetemplates')).map((_, i) => ['spec', 'resourcetemplates', i]);
  if (object.kind === 'Template' && group === 'template.openshift.io')
    return array(get(object, 'objects')).map((_, i) => ['objects', i]);
  return [];
}

/**
 * The kinds below that may hold containers besides a pod template: Tekton's task kinds
 * (tektonTaskSpecs) and StepAction, and the kinds that embed objects (embeddedObjects). Their groups
 * are tested below; any other kind has none.
 */
const CONTAINER_KINDS: ReadonlySet<string> = new Set([
  'Task',
  'ClusterTask',
  'TaskRun',
  'Pipeline',
  'PipelineRun',
  'StepAction',
  'TriggerTemplate',
  'Template',
]);

/** What imageContainersOf gives an object without containers (callers only read it). */
const NO_CONTAINERS: readonly ContainerAt[] = Object.freeze([]);

/**
 * Every container that names an image, for the image rules: the containers of a workload's pod
 * template, Tekton steps, sidecars and step templates (Task, Pipeline and their runs), and the same
 * inside the Jobs, CronJobs and workloads a TriggerTemplate or an OpenShift Template creates.
 */
export function imageContainersOf(object: KubeObject, depth = 0): readonly ContainerAt[] {
  const template = podTemplateOf(object);
  if (template) return containersOf(template);
  // Most objects without a pod template (every Service, ConfigMap...) hold no container: one shared
  // empty list for them, without a new list and the apiVersion's group per ask.
  if (!CONTAINER_KINDS.has(object.kind ?? '')) return NO_CONTAINERS;
  const out: ContainerAt[] = [];
  if (groupOf(object) === 'tekton.dev') {
    for (const specPath of tektonTaskSpecs(object)) {
      const spec = get(object, ...specPath);
      for (const field of ['steps', 'sidecars'] as const) {
        array(get(spec, field)).forEach((container, index) => {
          if (!isRecord(container)) return;
          const name = str(container.name) ?? `#${index}`;
          out.push({ container, name, path: [...specPath, field, index], init: false, sidecar: field === 'sidecars' });
        });
      }
      const stepTemplate = get(spec, 'stepTemplate');
      if (isRecord(stepTemplate))
        out.push({
          container: stepTemplate,
          name: 'stepTemplate',
          path: [...specPath, 'stepTemplate'],
          init: false,
          sidecar: false,
        });
    }
    if (object.kind === 'StepAction' && isRecord(object.spec))
      out.push({
        container: object.spec,
        name: object.metadata?.name ?? 'step',
        path: ['spec'],
        init: false,
        sidecar: false,
      });
  }
  // One level of embedding is what these kinds use; the bound keeps a hostile nesting linear.
  if (depth === 0) {
    for (const path of embeddedObjects(object)) {
      const embedded = get(object, ...path);
      if (!isRecord(embedded)) continue;
      for (const found of imageContainersOf(embedded as KubeObject, depth + 1))
        out.push({ ...found, path: [...path, ...found.path] });
    }
  }
  return out;
}

/** Containers that run for the pod's whole life: app containers and native sidecars. */
export function longRunningContainers(template: PodTemplate): ContainerAt[] {
  const all = containersOf(template);
  // Most pods have no init container: the whole list then (callers only read it), not a copy per ask.
  return all.every(isLongRunning) ? all : all.filter(isLongRunning);
}

const isLongRunning = (c: ContainerAt) => !c.init || c.sidecar;

/** Label selector semantics: matchLabels plus matchExpressions (In, NotIn, Exists, DoesNotExist). */
export function labelSelectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const sel = record(selector);
  const matchLabels = record(sel.matchLabels);
  // The pairs stringMap(matchLabels) keeps, read in place (no copy and entry pairs per ask): string,
  // number and boolean values as strings; a "__proto__" key stringMap cannot keep, so it is skipped.
  for (const key of Object.keys(matchLabels)) {
    const value = matchLabels[key];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    if (key !== '__proto__' && labels[key] !== String(value)) return false;
  }
  for (const expression of array(sel.matchExpressions)) {
    const key = str(get(expression, 'key')) ?? '';
    const values = array(get(expression, 'values')).map(String);
    // An own label: `in` also sees what every object inherits (`constructor`, `toString`).
    const has = Object.hasOwn(labels, key);
    switch (get(expression, 'operator')) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** How a label a controller adds to its pods gets its value: known from the workload, or only at run time. */
type ControllerLabel = (workload: KubeObject, value: string) => boolean;

const anyValue: ControllerLabel = () => true;
const ownName: ControllerLabel = (workload, value) => value === workload.metadata?.name;
/** `<name>-<ordinal>` with an ordinal below the replica count (any ordinal when the count is not written). */
const ordinalName: ControllerLabel = (workload, value) => {
  const name = workload.metadata?.name ?? '';
  if (!value.startsWith(`${name}-`)) return false;
  const ordinal = value.slice(name.length + 1);
  return /^\d+$/.test(ordinal) && ordinalInRange(workload, Number(ordinal));
};
const ordinalInRange = (workload: KubeObject, ordinal: number) => {
  const replicas = get(workload, 'spec', 'replicas');
  const start = get(workload, 'spec', 'ordinals', 'start');
  const first = typeof start === 'number' ? start : 0;
  return ordinal >= first && (typeof replicas !== 'number' || ordinal < first + replicas);
};

/**
 * Labels each controller adds to the pods it creates, beside the template's (Kubernetes' StatefulSet,
 * Deployment, DaemonSet and Job controllers, Argo Rollouts, OpenShift DeploymentConfigs). A Service
 * may select them: per-pod Services of a StatefulSet select statefulset.kubernetes.io/pod-name, and
 * OpenShift Services select deploymentconfig=<name>.
 */
const CONTROLLER_POD_LABELS: Record<string, Record<string, ControllerLabel>> = {
  StatefulSet: {
    'statefulset.kubernetes.io/pod-name': ordinalName,
    'apps.kubernetes.io/pod-index': (workload, value) => /^\d+$/.test(value) && ordinalInRange(workload, Number(value)),
    'controller-revision-hash': anyValue,
  },
  Deployment: { 'pod-template-hash': anyValue },
  ReplicaSet: { 'pod-template-hash': anyValue },
  DaemonSet: { 'controller-revision-hash': anyValue, 'pod-template-generation': anyValue },
  Job: {
    'job-name': ownName,
    'batch.kubernetes.io/job-name': ownName,
    'controller-uid': anyValue,
    'batch.kubernetes.io/controller-uid': anyValue,
    'batch.kubernetes.io/job-completion-index': anyValue,
  },
  Rollout: { 'rollouts-pod-template-hash': anyValue },
  DeploymentConfig: {
    deploymentconfig: ownName,
    'openshift.io/deployment-config.name': ownName,
    deployment: (workload, value) => value.startsWith(`${workload.metadata?.name ?? ''}-`),
  },
};

const CONTROLLER_LABEL_KEYS = new Set(Object.values(CONTROLLER_POD_LABELS).flatMap((labels) => Object.keys(labels)));

/** Whether a Service's map selector picks this workload's pods: template labels, or labels its controller adds. */
export function podsMatchMapSelector(selector: Record<string, string>, pods: PodsOf): boolean {
  // Asked per Service and candidate workload: a loop over the keys, no entry pairs or callback.
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  const added = CONTROLLER_POD_LABELS[pods.workload.object.kind ?? ''] ?? NO_CONTROLLER_LABELS;
  for (const key of keys) {
    const value = selector[key];
    // An own entry of the table: `key in added` also saw inherited ones, and `constructor` or
    // `toString` then called an Object method that answered truthy for every pod.
    if (pods.template.labels[key] !== value && !(Object.hasOwn(added, key) && added[key](pods.workload.object, value)))
      return false;
  }
  return true;
}

const NO_CONTROLLER_LABELS: Record<string, ControllerLabel> = {};

/** The selector pair to look a Service's pods up by: the first that is not a controller-added label ("" when none). */
function indexKey(selector: Record<string, string>): string {
  for (const key of Object.keys(selector)) if (!CONTROLLER_LABEL_KEYS.has(key)) return `${key}=${selector[key]}`;
  return '';
}

/**
 * Whether two objects may be in the same namespace. An absent namespace means "wherever Argo CD puts
 * the app", which may be the other's, so lookups give it the benefit of the doubt.
 */
export function sameNamespace(a: KubeObject, b: KubeObject): boolean {
  const x = a.metadata?.namespace;
  const y = b.metadata?.namespace;
  return !x || !y || x === y;
}

// Rules ask the same questions of the same resource lists once per workload; these indexes, built
// once per list (apps' and scopes' arrays are never changed after rendering), keep a rule linear in
// the number of resources instead of quadratic (measured in `npm run bench -- --only rules`).
const byKindCache = new WeakMap<Resource[], Map<string, Resource[]>>();

export function resourcesOfKind(resources: Resource[], ...kinds: string[]): Resource[] {
  if (kinds.length === 1) return kindIndex(resources).get(kinds[0]) ?? [];
  return resources.filter((r) => kinds.includes(r.object.kind ?? ''));
}

/** The list's resources by kind (only kinds it holds are keys), built once per list. */
function kindIndex(resources: Resource[]): Map<string, Resource[]> {
  let byKind = byKindCache.get(resources);
  if (!byKind) {
    byKind = new Map();
    for (const resource of resources) {
      const kind = resource.object.kind ?? '';
      const list = byKind.get(kind) ?? [];
      list.push(resource);
      byKind.set(kind, list);
    }
    byKindCache.set(resources, byKind);
  }
  return byKind;
}

export interface PodsOf {
  workload: Resource;
  template: PodTemplate;
}

const podsByLabelCache = new WeakMap<Resource[], Map<string, PodsOf[]>>();
const servicesByLabelCache = new WeakMap<Resource[], Map<string, Resource[]>>();
const serviceGroupsCache = new WeakMap<Resource[], ServiceGroup[]>();

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Every workload's pods, indexed by each "label=value" of its template ("" holds them all). */
function podsIndex(resources: Resource[]): Map<string, PodsOf[]> {
  let index = podsByLabelCache.get(resources);
  if (!index) {
    index = new Map();
    for (const workload of resources) {
      const template = podTemplateOf(workload.object);
      if (!template) continue;
      const pods: PodsOf = { workload, template }; // one object in each of its lists (callers only read)
      pushTo(index, '', pods);
      for (const key of Object.keys(template.labels)) pushTo(index, `${key}=${template.labels[key]}`, pods);
    }
    podsByLabelCache.set(resources, index);
  }
  return index;
}

/**
 * The answer to one selection question per list, selector and namespace. What a selector picks
 * depends on nothing else, and many objects ask the same (every Service of a chart selects `app: x`;
 * a hostile file holds 5,000 Services with one selector over 5,000 Deployments): without it, each
 * asker walked every candidate (25 million matches, 100 s for that file). Callers only read the lists.
 */
const selectionCache = new WeakMap<Resource[], Map<string, { asker: KubeObject; answer?: PodsOf[] }>>();

/**
 * Candidate lists this short are walked each time: the walk costs next to nothing and nothing is
 * kept. Only a long list, asked by many objects, made a rule quadratic.
 */
export const FEW = 16;

function selection(
  resources: Resource[],
  key: string | undefined,
  asker: KubeObject,
  select: () => PodsOf[],
): PodsOf[] {
  if (key === undefined) return select();
  let answers = selectionCache.get(resources);
  if (!answers) selectionCache.set(resources, (answers = new Map()));
  const known = answers.get(key);
  if (known?.answer) return known.answer;
  const answer = select();
  // Kept once a second object asks: most selectors are one object's (asked by each of its rules), and
  // holding their answers to the end of the scope was 7-24 MB more peak RSS at 50,000 manifests.
  if (!known) answers.set(key, { asker });
  else if (known.asker !== asker) known.answer = answer;
  return answer;
}

/**
 * A key for "this selector, asked from this namespace", or undefined (ask without the cache) when
 * JSON would not tell it from another selector: a namespace that is not a string, a `.nan` or `.inf`
 * (JSON writes both as null, and a selector reads them as "NaN" and "Infinity").
 */
function selectionKey(kind: string, owner: KubeObject, selector: unknown): string | undefined {
  const namespace = owner.metadata?.namespace;
  if (namespace !== undefined && typeof namespace !== 'string') return undefined;
  if (!jsonExact(selector, 0)) return undefined;
  return `${kind}\u0000${namespace ?? ''}\u0000${JSON.stringify(selector) ?? ''}`;
}

/** Whether JSON.stringify writes `value` as itself: plain data, finite numbers, not too deep. */
function jsonExact(value: unknown, depth: number): boolean {
  if (value === null || value === undefined) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (depth > 32) return false;
      return Array.isArray(value)
        ? value.every((item) => item !== undefined && jsonExact(item, depth + 1))
        : Object.getPrototypeOf(value) === Object.prototype &&
            Object.values(value).every((item) => jsonExact(item, depth + 1));
    default:
      return false;
  }
}

/** The workloads (same namespace) whose pods carry every pair of a Service's map selector. */
export function workloadsSelectedBy(
  selector: Record<string, string>,
  service: KubeObject,
  resources: Resource[],
): PodsOf[] {
  if (isEmpty(selector)) return [];
  const candidates = podsIndex(resources).get(indexKey(selector)) ?? [];
  if (candidates.length <= FEW) return selectedFrom(candidates, selector, service);
  return selection(resources, selectionKey('map', service, sortedEntries(selector)), service, () =>
    selectedFrom(candidates, selector, service),
  );
}

/** The candidates (same namespace as the Service) whose pods a map selector picks, in their order. */
function selectedFrom(candidates: PodsOf[], selector: Record<string, string>, service: KubeObject): PodsOf[] {
  const out: PodsOf[] = [];
  for (const pods of candidates)
    if (sameNamespace(pods.workload.object, service) && podsMatchMapSelector(selector, pods)) out.push(pods);
  return out;
}

/** A map without own keys (what `Object.keys(map).length === 0` says, without the array). */
function isEmpty(map: Record<string, unknown>): boolean {
  for (const key in map) if (Object.hasOwn(map, key)) return false;
  return true;
}

/** The workloads (same namespace as `owner`) whose pods a label selector (matchLabels + matchExpressions) picks. */
export function workloadsMatching(selector: unknown, owner: KubeObject, resources: Resource[]): PodsOf[] {
  const first = Object.entries(stringMap(get(selector, 'matchLabels')))[0];
  const candidates = podsIndex(resources).get(first ? `${first[0]}=${first[1]}` : '') ?? [];
  const select = () =>
    candidates.filter(
      (pods) => sameNamespace(pods.workload.object, owner) && labelSelectorMatches(selector, pods.template.labels),
    );
  if (candidates.length <= FEW) return select();
  return selection(resources, selectionKey('label', owner, selector), owner, select);
}

/** A map's entries in key order: the same selector written in another order is the same question. */
function sortedEntries(map: Record<string, string>): [string, string][] {
  return Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Services with one selector and one namespace: whether they pick a workload's pods is one question. */
interface ServiceGroup {
  selector: Record<string, string>;
  /** A member: every member's namespace is the same (a string, or absent). */
  service: Resource;
}

const selectorOf = (service: Resource) => stringMap(get(service.object, 'spec', 'selector'));

/** The Services of a list by the "label=value" they are looked up under (`indexKey`). */
function servicesIndex(resources: Resource[]): Map<string, Resource[]> {
  let index = servicesByLabelCache.get(resources);
  if (!index) {
    index = new Map();
    for (const service of resourcesOfKind(resources, 'Service')) {
      const selector = selectorOf(service);
      if (Object.keys(selector).length > 0) pushTo(index, indexKey(selector), service);
    }
    servicesByLabelCache.set(resources, index);
  }
  return index;
}

/**
 * A long list of Services under one lookup key, grouped by selector and namespace: 5,000 Services
 * with one selector are one test per workload, not 5,000. Built only for lists longer than FEW.
 */
function groupsOf(services: Resource[]): ServiceGroup[] {
  let groups = serviceGroupsCache.get(services);
  if (!groups) {
    groups = [];
    const seen = new Set<string>();
    for (const service of services) {
      const selector = selectorOf(service);
      const key = selectionKey('service', service.object, sortedEntries(selector));
      if (key !== undefined) {
        if (seen.has(key)) continue;
        seen.add(key);
      }
      groups.push({ selector, service });
    }
    serviceGroupsCache.set(services, groups);
  }
  return groups;
}

/** Whether a Service (in the same namespace) selects this workload's pods. */
export function selectedByService(workload: Resource, resources: Resource[]): boolean {
  const template = podTemplateOf(workload.object);
  if (!template) return false;
  const index = servicesIndex(resources);
  const pods = { workload, template };
  const picks = (group: ServiceGroup) =>
    sameNamespace(group.service.object, workload.object) && podsMatchMapSelector(group.selector, pods);
  const anyPicks = (key: string) => {
    const services = index.get(key) ?? [];
    if (services.length > FEW) return groupsOf(services).some(picks);
    return services.some((service) => picks({ selector: selectorOf(service), service }));
  };
  // Services that select only controller-added labels (per-pod Services) are indexed under "".
  return anyPicks('') || Object.entries(template.labels).some(([key, value]) => anyPicks(`${key}=${value}`));
}

/** A workload that serves traffic: a Service selects it or it declares container ports. Jobs never serve. */
export function isServing(workload: Resource, related: Resource[]): boolean {
  if (isBatch(workload.object)) return false;
  const template = podTemplateOf(workload.object);
  if (!template) return false;
  // App containers that declare ports (sidecars do not count): one walk, no filtered copy.
  for (const c of containersOf(template)) if (!c.init && array(c.container.ports).length > 0) return true;
  return selectedByService(workload, related);
}

/**
 * Which apps see each other's objects. The apps of one environment deploy to one cluster together
 * (a Service in one app may select pods of another; the namespaces app holds the LimitRange). Without
 * an environment, loose manifests in one folder are one project (discovery makes each file an app),
 * and a kustomization or an Argo CD directory source is on its own: sibling folders are often
 * unrelated copies of one example.
 */
const scopes = new WeakMap<App, string>();

export function scopeOf(app: App): string {
  // Asked once per rule and resource (relatedResources): worked out once per app.
  let scope = scopes.get(app);
  if (scope === undefined) {
    scope = findScope(app);
    scopes.set(app, scope);
  }
  return scope;
}

function findScope(app: App): string {
  if (app.env) return `env:${app.env}`;
  // A kustomization, a directory source and any other deploy unit is applied as one.
  if (app.kind !== 'manifests') return `app:${app.id}`;
  const slash = app.id.lastIndexOf('/');
  return `dir:${slash === -1 ? '.' : app.id.slice(0, slash)}`;
}

const relatedCache = new WeakMap<App[], Map<string, Resource[]>>();

/**
 * The last answer of relatedResources: the engine checks an app's resources with every rule before
 * the next app, and most rules ask, so the same question comes many times in a row. releaseScope
 * forgets it (it replaces the scope's list).
 */
let lastRelated: { apps: App[]; app: App; related: Resource[] } | undefined;

/** Every resource of the apps in `app`'s scope (see scopeOf), for lookups that cross apps. */
export function relatedResources(apps: App[], app: App): Resource[] {
  if (lastRelated && lastRelated.apps === apps && lastRelated.app === app) return lastRelated.related;
  const related = findRelated(apps, app);
  lastRelated = { apps, app, related };
  return related;
}

function findRelated(apps: App[], app: App): Resource[] {
  let byScope = relatedCache.get(apps);
  if (!byScope) {
    byScope = new Map();
    for (const each of apps) {
      const key = scopeOf(each);
      const list = byScope.get(key) ?? [];
      for (const resource of each.resources) list.push(resource); // not push(...): a unit may hold 100,000s
      byScope.set(key, list);
    }
    relatedCache.set(apps, byScope);
  }
  return byScope.get(scopeOf(app)) ?? app.resources;
}

/**
 * Another unit of the repository, outside `app`'s scope and of no other environment, that deploys an
 * object `matches` accepts. An existence rule that finds nothing in its scope says "only X defines it"
 * (information) rather than "not deployed": podinfo's deploy/webapp/frontend and .../backend are
 * folders applied one after the other, which the repository does not say.
 */
export function definedElsewhere(apps: App[], app: App, matches: (resource: Resource) => boolean): App | undefined {
  const scope = scopeOf(app);
  return apps.find(
    (other) =>
      scopeOf(other) !== scope &&
      (other.env === undefined || other.env === app.env) &&
      other.resources.some((resource) => matches(resource)),
  );
}

/**
 * One scope's apps are checked: let go of what was worked out for them (the scope's list of related
 * resources, with the indexes this module and the rules keyed on that list, and the pod templates and
 * container lists of its objects), so a large run does not hold them to its end: at 50,000 loose
 * manifests 14 MB less at the peak, the same CPU. These are memos of objects that never change: a
 * later ask builds them again, the same.
 */
export function releaseScope(apps: App[], scopeApps: App[]): void {
  for (const app of scopeApps) {
    // Indexes an app rule built on the app's own list (pdb-not-blocking's PodDisruptionBudgets): the
    // list lives to the end of the run, so they would too (one set per loose file).
    for (const cache of LIST_CACHES) cache.delete(app.resources);
    for (const resource of app.resources) {
      const template = templates.get(resource.object);
      if (template) containerLists.delete(template);
      templates.delete(resource.object);
    }
  }
  const byScope = relatedCache.get(apps);
  const key = scopeApps[0] && scopeOf(scopeApps[0]);
  const related = key === undefined ? undefined : byScope?.get(key);
  // A copy under the same key: the indexes keyed on the old list (WeakMaps) go with it.
  if (related) byScope!.set(key!, related.slice());
  lastRelated = undefined;
}

const incompleteCache = new WeakMap<App[], Set<string>>();

/**
 * Whether every app in `app`'s scope was checked whole. A unit that could not render offline (a
 * remote base, helmCharts, a plugin, a Helm source) is missing the objects those would add, so
 * "nothing here defines X" cannot be said where one is in scope: the existence rules stay quiet.
 */
export function scopeIsComplete(apps: App[], app: App): boolean {
  let incomplete = incompleteCache.get(apps);
  if (!incomplete) {
    incomplete = new Set(apps.filter((each) => each.partial).map(scopeOf));
    incompleteCache.set(apps, incomplete);
  }
  return !incomplete.has(scopeOf(app));
}

/** The port a probe or targetPort names, resolved against a container's declared ports. */
export function resolvePort(port: unknown, container: Json): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string') {
    if (/^\d+$/.test(port)) return Number(port);
    const named = array(container.ports).find((p) => get(p, 'name') === port);
    const number = get(named, 'containerPort');
    return typeof number === 'number' ? number : undefined;
  }
  return undefined;
}

/** The HorizontalPodAutoscalers (same namespace) that scale this workload. */
export function autoscalersOf(workload: Resource, resources: Resource[]): Resource[] {
  const candidates = pointingAt(resources, 'HorizontalPodAutoscaler', 'scaleTargetRef', hpaTargetOf, workload);
  if (candidates.length === 0) return candidates; // most workloads: no filter pass and closure
  return candidates.filter((hpa) => {
    const target = hpaTargetOf(hpa);
    return (
      sameNamespace(hpa.object, workload.object) &&
      target.kind === workload.object.kind &&
      target.name === workload.object.metadata?.name
    );
  });
}

const hpaTargetOf = (hpa: Resource) => record(get(hpa.object, 'spec', 'scaleTargetRef'));

/** Per list: kind -> index name -> key -> resources. */
const keyedCache = new WeakMap<Resource[], Map<string, Map<string, Map<string, Resource[]>>>>();

/** This module's indexes keyed on a list of resources, which releaseScope lets go. */
const LIST_CACHES: readonly WeakMap<Resource[], unknown>[] = [
  byKindCache,
  podsByLabelCache,
  servicesByLabelCache,
  serviceGroupsCache,
  selectionCache,
  keyedCache,
];

/**
 * The resources of `kind` in the list grouped by `keyOf` (a resource with several keys is in each of
 * their groups, once), each group in the list's order. Built once per list and `index` (the name of
 * what `keyOf` reads), so a rule asking for every workload stays linear: a walk of every HPA per
 * workload made the rules that count replicas quadratic (2,000 Deployments with their HPAs and PDBs
 * in one environment: 0.6 s each).
 */
function keyedOfKind(
  resources: Resource[],
  kind: string,
  index: string,
  keyOf: (resource: Resource) => string | string[],
): Map<string, Resource[]> {
  let byKind = keyedCache.get(resources);
  if (!byKind) keyedCache.set(resources, (byKind = new Map()));
  // Nested maps rather than one "kind\0index" key: no string to build per ask.
  let indexes = byKind.get(kind);
  if (!indexes) byKind.set(kind, (indexes = new Map()));
  let keyed = indexes.get(index);
  if (!keyed) {
    keyed = new Map();
    for (const resource of resourcesOfKind(resources, kind)) {
      const keys = keyOf(resource);
      for (const key of typeof keys === 'string' ? [keys] : new Set(keys)) {
        const list = keyed.get(key);
        if (list) list.push(resource);
        else keyed.set(key, [resource]);
      }
    }
    indexes.set(index, keyed);
  }
  return keyed;
}

/**
 * Whether the list holds no resource of `kind`: most scopes have no Rollout, Canary, ScaledObject or
 * HPA, and the lookups below then answer without building a key or an index.
 */
function noneOfKind(resources: Resource[], kind: string): boolean {
  return !kindIndex(resources).has(kind);
}

/** A key equal for values that are `===` (and maybe for some that are not: callers test the candidates). */
function refKey(kind: unknown, name: unknown): string {
  return `${typeof kind}:${String(kind)}\0${typeof name}:${String(name)}`;
}

/**
 * The resources of `kind` in the list whose reference (`refOf`: a kind and a name) could name
 * `workload`, in the list's order: a superset of those whose reference's kind and name are `===` the
 * workload's, which callers then test in full. An empty answer is a new list (callers may return it).
 */
export function pointingAt(
  resources: Resource[],
  kind: string,
  index: string,
  refOf: (resource: Resource) => { kind?: unknown; name?: unknown } | undefined,
  workload: Resource,
): Resource[] {
  if (noneOfKind(resources, kind)) return [];
  const byRef = keyedOfKind(resources, kind, index, (resource) => {
    const ref = refOf(resource);
    return refKey(ref?.kind, ref?.name);
  });
  return byRef.get(refKey(workload.object.kind, workload.object.metadata?.name)) ?? [];
}

/**
 * The resources of `kind` in the list that `keysOf` files under `key`, in the list's order (`index`
 * names what `keysOf` reads; see keyedOfKind).
 */
export function keyedAs(
  resources: Resource[],
  kind: string,
  index: string,
  keysOf: (resource: Resource) => string[],
  key: string,
): Resource[] {
  if (noneOfKind(resources, kind)) return [];
  return keyedOfKind(resources, kind, index, keysOf).get(key) ?? [];
}

/** The resources of `kind` in the list named `name` (metadata.name), in the list's order. */
export function namedOfKind(resources: Resource[], kind: string, name: string): Resource[] {
  if (noneOfKind(resources, kind)) return [];
  const byName = keyedOfKind(resources, kind, 'metadata.name', (resource) =>
    refKey(undefined, resource.object.metadata?.name),
  );
  return byName.get(refKey(undefined, name)) ?? [];
}

// Readers of progressive-delivery objects the delivery rules share: Argo Rollouts' Rollout (its
// strategy, steps, analysis references, workloadRef) and Flagger's Canary. The shapes follow the
// controllers' Go types (argoproj/argo-rollouts pkg/apis/rollouts/v1alpha1, fluxcd/flagger
// pkg/apis/flagger/v1beta1); every read is defensive, since the schema stage reports bad shapes.
import type { JsonPath, KubeObject, Resource } from '../types.ts';
import { array, get, isRecord, record, str, type Json } from './values.ts';
import { namedOfKind, podTemplateOf, pointingAt, sameNamespace, type PodTemplate } from './workloads.ts';
import { appendAll } from '../lists.ts';

export function isRollout(object: KubeObject): boolean {
  return object.kind === 'Rollout' && (object.apiVersion ?? '').startsWith('argoproj.io/');
}

export function isFlaggerCanary(object: KubeObject): boolean {
  return object.kind === 'Canary' && (object.apiVersion ?? '').startsWith('flagger.app/');
}

export interface StrategyAt {
  kind: 'canary' | 'blueGreen';
  spec: Json;
  path: JsonPath;
}

/** The Rollout's strategy block (canary or blueGreen), with its path. */
export function rolloutStrategy(object: KubeObject): StrategyAt | undefined {
  for (const kind of ['canary', 'blueGreen'] as const) {
    const spec = get(object, 'spec', 'strategy', kind);
    if (isRecord(spec)) return { kind, spec, path: ['spec', 'strategy', kind] };
  }
  return undefined;
}

/** An AnalysisTemplate (or ClusterAnalysisTemplate) a Rollout names, and where. */
export interface TemplateRefAt {
  name: string;
  clusterScope: boolean;
  path: JsonPath;
  /** The argument names the Rollout passes to it. */
  args: string[];
}

function argNames(value: unknown): string[] {
  return array(get(value, 'args')).flatMap((arg) => str(get(arg, 'name')) ?? []);
}

// Templates of an analysis block share its args; an experiment's analyses carry their own.
function templateRefs(value: unknown, path: JsonPath, key: 'templates' | 'analyses'): TemplateRefAt[] {
  return array(get(value, key)).flatMap((ref, index) => {
    const name = str(get(ref, 'templateName'));
    return name
      ? [
          {
            name,
            clusterScope: get(ref, 'clusterScope') === true,
            path: [...path, key, index, 'templateName'],
            args: argNames(key === 'templates' ? value : ref),
          },
        ]
      : [];
  });
}

/**
 * Every analysis template a Rollout runs: the canary's background analysis and analysis steps, the
 * analyses of experiment steps, and blue-green's pre- and post-promotion analysis.
 */
export function analysisTemplateRefs(object: KubeObject): TemplateRefAt[] {
  const strategy = rolloutStrategy(object);
  if (!strategy) return [];
  const refs: TemplateRefAt[] = [];
  if (strategy.kind === 'canary') {
    appendAll(refs, templateRefs(strategy.spec.analysis, [...strategy.path, 'analysis'], 'templates'));
    array(strategy.spec.steps).forEach((step, index) => {
      const at = [...strategy.path, 'steps', index];
      appendAll(refs, templateRefs(get(step, 'analysis'), [...at, 'analysis'], 'templates'));
      appendAll(refs, templateRefs(get(step, 'experiment'), [...at, 'experiment'], 'analyses'));
    });
  } else {
    for (const key of ['prePromotionAnalysis', 'postPromotionAnalysis'])
      appendAll(refs, templateRefs(strategy.spec[key], [...strategy.path, key], 'templates'));
  }
  return refs;
}

export interface WorkloadRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  scaleDown?: string;
}

export function workloadRefOf(object: KubeObject): WorkloadRef | undefined {
  const ref = get(object, 'spec', 'workloadRef');
  if (!isRecord(ref)) return undefined;
  return {
    apiVersion: str(ref.apiVersion),
    kind: str(ref.kind),
    name: str(ref.name),
    scaleDown: str(ref.scaleDown),
  };
}

/** The Rollouts (same namespace) whose workloadRef borrows this workload's pod template. */
export function rolloutsBorrowing(workload: Resource, resources: Resource[]): Resource[] {
  const candidates = pointingAt(resources, 'Rollout', 'workloadRef', borrowedRefOf, workload);
  if (candidates.length === 0) return candidates; // most workloads: no filter pass and closure
  return candidates.filter((rollout) => {
    if (!isRollout(rollout.object)) return false;
    const ref = workloadRefOf(rollout.object);
    return (
      ref?.kind === workload.object.kind &&
      ref?.name === workload.object.metadata?.name &&
      sameNamespace(rollout.object, workload.object)
    );
  });
}

// What the lookups below index their kind by, made once (they are asked for every workload).
const borrowedRefOf = (rollout: Resource) => (isRollout(rollout.object) ? workloadRefOf(rollout.object) : undefined);
const canaryTargetOf = (canary: Resource) => record(get(canary.object, 'spec', 'targetRef'));
const scaledTargetOf = (scaledObject: Resource) => targetRefOf(scaledObject.object);

/** The Flagger Canaries (same namespace) whose targetRef is this workload: Flagger runs its pods as <name>-primary. */
export function flaggerCanariesTargeting(workload: Resource, resources: Resource[]): Resource[] {
  const candidates = pointingAt(resources, 'Canary', 'targetRef', canaryTargetOf, workload);
  if (candidates.length === 0) return candidates; // most workloads: no filter pass and closure
  return candidates.filter(
    (canary) =>
      isFlaggerCanary(canary.object) &&
      get(canary.object, 'spec', 'targetRef', 'kind') === workload.object.kind &&
      get(canary.object, 'spec', 'targetRef', 'name') === workload.object.metadata?.name &&
      sameNamespace(canary.object, workload.object),
  );
}

/**
 * The labels of the primary's pods Flagger makes from a target's template: the first of its selector
 * labels Flagger looks for (its -selector-labels default: app, name, app.kubernetes.io/name) gets the
 * value <value>-primary, in the primary's selector and template alike.
 */
export function flaggerPrimaryLabels(workload: Resource): Record<string, string> | undefined {
  const labels = podTemplateOf(workload.object)?.labels ?? {};
  const selector = record(get(workload.object, 'spec', 'selector', 'matchLabels'));
  const key = ['app', 'name', 'app.kubernetes.io/name'].find((candidate) => typeof selector[candidate] === 'string');
  return key ? { ...labels, [key]: `${String(selector[key])}-primary` } : undefined;
}

/**
 * Does the workloadRef leave the borrowed Deployment's pods running beside the Rollout's? The
 * controller scales it down only with scaleDown onsuccess or progressively (argo-rollouts
 * docs/migrating.md); otherwise the Deployment must say `replicas: 0` itself.
 */
export function borrowedStillRuns(workload: Resource, rollout: Resource): boolean {
  const scaleDown = workloadRefOf(rollout.object)?.scaleDown;
  if (scaleDown === 'onsuccess' || scaleDown === 'progressively') return false;
  return get(workload.object, 'spec', 'replicas') !== 0;
}

/** The object a scaler points at: an HPA's or ScaledObject's scaleTargetRef, a VPA's or Canary's targetRef. */
export interface TargetRef {
  apiVersion?: string;
  kind: string;
  name: string;
  path: JsonPath;
}

export function targetRefOf(scaler: KubeObject): TargetRef | undefined {
  const key = scaler.kind === 'VerticalPodAutoscaler' || scaler.kind === 'Canary' ? 'targetRef' : 'scaleTargetRef';
  const ref = record(get(scaler, 'spec', key));
  const name = str(ref.name);
  if (!name) return undefined;
  // A ScaledObject's kind and apiVersion default to apps/v1 Deployment (KEDA's ScaleTarget type).
  const kind = str(ref.kind) ?? (scaler.kind === 'ScaledObject' ? 'Deployment' : undefined);
  if (!kind) return undefined;
  const apiVersion = str(ref.apiVersion) ?? (scaler.kind === 'ScaledObject' ? 'apps/v1' : undefined);
  return { ...(apiVersion ? { apiVersion } : {}), kind, name, path: ['spec', key, 'name'] };
}

/** Does `ref` (from `owner`) name `target`? Kind and name, in the same namespace. */
export function refersTo(ref: TargetRef | undefined, owner: KubeObject, target: KubeObject): boolean {
  return !!ref && ref.kind === target.kind && ref.name === target.metadata?.name && sameNamespace(owner, target);
}

/** The first resource of `kinds` in `resources` with this name, in `owner`'s namespace. */
export function findNamed(
  resources: Resource[],
  kinds: string[],
  name: string,
  owner: KubeObject,
): Resource | undefined {
  for (const kind of kinds) {
    const found = namedOfKind(resources, kind, name).find((r) => sameNamespace(r.object, owner));
    if (found) return found;
  }
  return undefined;
}

/** The workload a Rollout's workloadRef borrows its template from, when deployed beside it. */
export function borrowedWorkload(rollout: Resource, resources: Resource[]): Resource | undefined {
  const ref = workloadRefOf(rollout.object);
  if (!ref?.kind || !ref.name) return undefined;
  return findNamed(resources, [ref.kind], ref.name, rollout.object);
}

/** A Rollout's pod template: its own, or that of the workload its workloadRef borrows. */
export function rolloutPodTemplate(rollout: Resource, resources: Resource[]): PodTemplate | undefined {
  const own = podTemplateOf(rollout.object);
  if (own) return own;
  const borrowed = borrowedWorkload(rollout, resources);
  return borrowed ? podTemplateOf(borrowed.object) : undefined;
}

/** The labels of a Rollout's pods: its own template's, or those of the workload its workloadRef borrows. */
export function rolloutPodLabels(rollout: Resource, resources: Resource[]): Record<string, string> | undefined {
  return rolloutPodTemplate(rollout, resources)?.labels;
}

/** The KEDA ScaledObjects (same namespace) whose scaleTargetRef names this workload. */
export function scaledObjectsOf(workload: Resource, resources: Resource[]): Resource[] {
  const candidates = pointingAt(resources, 'ScaledObject', 'scaleTargetRef', scaledTargetOf, workload);
  if (candidates.length === 0) return candidates; // most workloads: no filter pass and closure
  return candidates.filter(
    (scaledObject) =>
      (scaledObject.object.apiVersion ?? '').startsWith('keda.sh/') &&
      refersTo(targetRefOf(scaledObject.object), scaledObject.object, workload.object),
  );
}

/** Production-like environments, where a progressive release must be decided by metrics (rule option `environments`). */
export const PRODUCTION_ENVIRONMENTS = ['prod', 'production', 'prd'];

/** The environments a rule's `environments` option names, or the production-like ones. */
export function productionEnvironments(option: unknown): string[] {
  const listed = array(option).map(String);
  return listed.length > 0 ? listed : PRODUCTION_ENVIRONMENTS;
}

/** The JSON schema of that option, for a rule's meta.options. */
export function environmentsOption(whose: string): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      environments: {
        type: 'array',
        items: { type: 'string' },
        description: `The environments whose ${whose} must analyse (default ${PRODUCTION_ENVIRONMENTS.join(', ')}).`,
      },
    },
    additionalProperties: false,
  };
}

/** A Flagger Canary's analysis (spec.analysis, or v1alpha3's spec.canaryAnalysis that Flagger still reads), with its path. */
export function flaggerAnalysis(object: KubeObject): { spec: Json; path: JsonPath } | undefined {
  for (const key of ['analysis', 'canaryAnalysis']) {
    const spec = get(object, 'spec', key);
    if (isRecord(spec)) return { spec, path: ['spec', key] };
  }
  return undefined;
}

/** The metrics Flagger computes itself, without a MetricTemplate (scheduler_metrics.go). */
export const FLAGGER_BUILTIN_METRICS = ['request-success-rate', 'request-duration'];

/** A Flagger reference to a namespaced object ({name, namespace}); the namespace defaults to the Canary's. */
export interface FlaggerRefAt {
  kind: 'MetricTemplate' | 'AlertProvider';
  name: string;
  namespace?: string;
  path: JsonPath;
}

/** The MetricTemplates and AlertProviders a Canary's analysis names. */
export function flaggerTemplateRefs(object: KubeObject): FlaggerRefAt[] {
  const analysis = flaggerAnalysis(object);
  if (!analysis) return [];
  const refs = (list: 'metrics' | 'alerts', key: string, kind: FlaggerRefAt['kind']): FlaggerRefAt[] =>
    array(analysis.spec[list]).flatMap((item, index) => {
      const name = str(get(item, key, 'name'));
      const namespace = str(get(item, key, 'namespace')) ?? object.metadata?.namespace;
      return name
        ? [{ kind, name, ...(namespace ? { namespace } : {}), path: [...analysis.path, list, index, key, 'name'] }]
        : [];
    });
  return [...refs('metrics', 'templateRef', 'MetricTemplate'), ...refs('alerts', 'providerRef', 'AlertProvider')];
}

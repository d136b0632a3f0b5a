// The Argo CD settings a repository carries (when it manages Argo CD itself): the argocd-cm and
// argocd-cmd-params-cm ConfigMaps among its resources. What they change is in facts.ts; without
// them, Argo CD's defaults hold. When several copies exist (one per environment overlay), the first
// in file order is read.
import type { KubeObject, RepoContext } from '../types.ts';
import { ARGO_FACTS, type ResourceExclusion } from './facts.ts';
import { globMatch } from './glob.ts';
import { parseGoYaml } from './go-yaml.ts';
import { isMap } from './gotemplate/values.ts';

export type ApplicationsSyncPolicy = 'create-only' | 'create-update' | 'create-delete' | 'sync';

export interface ArgoSettings {
  /** argocd-cm application.resourceTrackingMethod (annotation by default since 3.0). */
  trackingMethod: string;
  /** argocd-cm resource.exclusions, or the default list of the install manifests. */
  resourceExclusions: ResourceExclusion[];
  /** argocd-cm resource.inclusions: when set, only what they match is managed. */
  resourceInclusions: ResourceExclusion[];
  /** argocd-cm kustomize.buildOptions, when set. */
  kustomizeBuildOptions?: string;
  /** argocd-cmd-params-cm applicationsetcontroller.policy. */
  controllerPolicy: ApplicationsSyncPolicy;
  /** Whether an ApplicationSet's spec.syncPolicy.applicationsSync is honoured. */
  policyOverride: boolean;
  progressiveSyncs: boolean;
  newGitFileGlobbing: boolean;
  /** Where each setting came from (the ConfigMaps' files), for messages. */
  files: string[];
}

export function argoSettings(ctx: RepoContext): ArgoSettings {
  const configMaps = new Map<string, { data: Record<string, string>; file: string }>();
  for (const app of ctx.apps) {
    for (const resource of app.resources) {
      const object = resource.object;
      const name = object.metadata?.name;
      if (object.kind !== 'ConfigMap' || (name !== 'argocd-cm' && name !== 'argocd-cmd-params-cm')) continue;
      if (!configMaps.has(name)) configMaps.set(name, { data: stringData(object), file: resource.origin.file });
    }
  }
  const cm = configMaps.get('argocd-cm')?.data ?? {};
  const params = configMaps.get('argocd-cmd-params-cm')?.data ?? {};
  const policyFacts = ARGO_FACTS.applicationsSyncPolicy;
  const policy = params[policyFacts.controllerKey] ?? '';
  const isTrue = (value: string | undefined) => value?.trim().toLowerCase() === 'true';
  return {
    trackingMethod: cm[ARGO_FACTS.resourceTracking.settingKey] || ARGO_FACTS.resourceTracking.defaultMethod,
    resourceExclusions: exclusions(cm['resource.exclusions']) ?? ARGO_FACTS.defaultResourceExclusions.exclusions,
    resourceInclusions: exclusions(cm['resource.inclusions']) ?? [],
    ...(cm[ARGO_FACTS.kustomize.buildOptionsKey]
      ? { kustomizeBuildOptions: cm[ARGO_FACTS.kustomize.buildOptionsKey] }
      : {}),
    controllerPolicy: toPolicy(policy) ?? 'sync',
    // The controller flag defaults to "override allowed" when no controller policy is set.
    policyOverride:
      params[policyFacts.overrideKey] !== undefined ? isTrue(params[policyFacts.overrideKey]) : policy === '',
    progressiveSyncs: isTrue(params[ARGO_FACTS.rollingSync.enableKey]),
    newGitFileGlobbing: isTrue(params[ARGO_FACTS.newGitFileGlobbing.key]),
    files: [...configMaps.values()].map((entry) => entry.file),
  };
}

/** The policy Argo CD applies to one ApplicationSet's Applications (utils.DefaultPolicy). */
export function applicationsSyncPolicy(appSet: KubeObject, settings: ArgoSettings): ApplicationsSyncPolicy {
  const spec = isMap(appSet.spec) ? appSet.spec : {};
  const own = isMap(spec.syncPolicy) ? toPolicy(spec.syncPolicy.applicationsSync) : undefined;
  return own && settings.policyOverride ? own : settings.controllerPolicy;
}

export const allowsUpdate = (policy: ApplicationsSyncPolicy) => policy === 'create-update' || policy === 'sync';
export const allowsDelete = (policy: ApplicationsSyncPolicy) => policy === 'create-delete' || policy === 'sync';

/** settings.IsExcludedResource: excluded by an exclusion, or not matched by inclusions when there are some. */
export function isExcludedResource(settings: ArgoSettings, group: string, kind: string, cluster: string): boolean {
  const matches = (entry: ResourceExclusion) =>
    (entry.apiGroups.length === 0 || entry.apiGroups.some((pattern) => globMatch(pattern, group))) &&
    (entry.kinds.length === 0 || entry.kinds.some((pattern) => pattern === '*' || pattern === kind)) &&
    (!entry.clusters?.length || entry.clusters.some((pattern) => globMatch(pattern, cluster)));
  if (settings.resourceExclusions.some(matches)) return true;
  return settings.resourceInclusions.length > 0 && !settings.resourceInclusions.some(matches);
}

function toPolicy(value: unknown): ApplicationsSyncPolicy | undefined {
  return typeof value === 'string' && (ARGO_FACTS.applicationsSyncPolicy.policies as readonly string[]).includes(value)
    ? (value as ApplicationsSyncPolicy)
    : undefined;
}

function stringData(object: KubeObject): Record<string, string> {
  const data = isMap(object.data) ? object.data : {};
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, String(value)]));
}

function exclusions(text: string | undefined): ResourceExclusion[] | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = parseGoYaml(text);
    if (!Array.isArray(parsed)) return [];
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
    return parsed
      .filter(isMap)
      .map((entry) => ({ apiGroups: list(entry.apiGroups), kinds: list(entry.kinds), clusters: list(entry.clusters) }));
  } catch {
    return undefined;
  }
}

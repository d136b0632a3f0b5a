// Facts: which apiVersions Kubernetes deprecated and removed, in which release, and what replaces them.
// Source: the Kubernetes deprecated API migration guide (kubernetes.io/docs/reference/using-api/deprecation-guide/)
// and the release notes. `removedIn` absent: deprecated but still served.

export interface ApiVersionFact {
  apiVersion: string;
  /** The kinds this fact is about; `*` for every kind served at that apiVersion. */
  kinds: string[];
  deprecatedIn: string;
  removedIn?: string;
  /** The apiVersion (and kind, when it changed) to move to; a sentence when there is no drop-in replacement. */
  replacement: string;
}

const k8s = (
  apiVersion: string,
  kinds: string[],
  deprecatedIn: string,
  removedIn: string | undefined,
  replacement: string,
): ApiVersionFact => ({
  apiVersion,
  kinds,
  deprecatedIn,
  ...(removedIn ? { removedIn } : {}),
  replacement,
});

export const API_VERSION_FACTS: ApiVersionFact[] = [
  // 1.16
  k8s('extensions/v1beta1', ['Deployment', 'DaemonSet', 'ReplicaSet'], '1.8', '1.16', 'apps/v1'),
  k8s('extensions/v1beta1', ['NetworkPolicy'], '1.9', '1.16', 'networking.k8s.io/v1'),
  k8s(
    'extensions/v1beta1',
    ['PodSecurityPolicy'],
    '1.10',
    '1.16',
    'policy/v1beta1 (itself removed in 1.25: use Pod Security Admission)',
  ),
  k8s('apps/v1beta1', ['Deployment', 'StatefulSet', 'ControllerRevision'], '1.9', '1.16', 'apps/v1'),
  k8s(
    'apps/v1beta2',
    ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'],
    '1.9',
    '1.16',
    'apps/v1',
  ),
  // 1.22
  k8s(
    'extensions/v1beta1',
    ['Ingress'],
    '1.14',
    '1.22',
    'networking.k8s.io/v1 (spec.backend became spec.defaultBackend, serviceName/servicePort became service.name/service.port)',
  ),
  k8s('networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], '1.19', '1.22', 'networking.k8s.io/v1'),
  k8s(
    'admissionregistration.k8s.io/v1beta1',
    ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    '1.16',
    '1.22',
    'admissionregistration.k8s.io/v1',
  ),
  k8s('apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition'], '1.16', '1.22', 'apiextensions.k8s.io/v1'),
  k8s('apiregistration.k8s.io/v1beta1', ['APIService'], '1.19', '1.22', 'apiregistration.k8s.io/v1'),
  k8s('authentication.k8s.io/v1beta1', ['TokenReview'], '1.19', '1.22', 'authentication.k8s.io/v1'),
  k8s(
    'authorization.k8s.io/v1beta1',
    ['SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview'],
    '1.19',
    '1.22',
    'authorization.k8s.io/v1',
  ),
  k8s('certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], '1.19', '1.22', 'certificates.k8s.io/v1'),
  k8s('coordination.k8s.io/v1beta1', ['Lease'], '1.19', '1.22', 'coordination.k8s.io/v1'),
  k8s(
    'rbac.authorization.k8s.io/v1beta1',
    ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
    '1.17',
    '1.22',
    'rbac.authorization.k8s.io/v1',
  ),
  k8s(
    'rbac.authorization.k8s.io/v1alpha1',
    ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
    '1.17',
    '1.22',
    'rbac.authorization.k8s.io/v1',
  ),
  k8s('scheduling.k8s.io/v1beta1', ['PriorityClass'], '1.14', '1.22', 'scheduling.k8s.io/v1'),
  k8s('scheduling.k8s.io/v1alpha1', ['PriorityClass'], '1.14', '1.22', 'scheduling.k8s.io/v1'),
  k8s(
    'storage.k8s.io/v1beta1',
    ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    '1.19',
    '1.22',
    'storage.k8s.io/v1',
  ),
  // 1.25
  k8s('batch/v1beta1', ['CronJob'], '1.21', '1.25', 'batch/v1'),
  k8s('discovery.k8s.io/v1beta1', ['EndpointSlice'], '1.21', '1.25', 'discovery.k8s.io/v1'),
  k8s('events.k8s.io/v1beta1', ['Event'], '1.19', '1.25', 'events.k8s.io/v1 (or core v1 Event)'),
  k8s('autoscaling/v2beta1', ['HorizontalPodAutoscaler'], '1.22', '1.25', 'autoscaling/v2'),
  k8s(
    'policy/v1beta1',
    ['PodDisruptionBudget'],
    '1.21',
    '1.25',
    'policy/v1 (an empty selector now selects every pod in the namespace)',
  ),
  k8s(
    'policy/v1beta1',
    ['PodSecurityPolicy'],
    '1.21',
    '1.25',
    'no replacement API: use Pod Security Admission (pod-security.kubernetes.io labels on the Namespace)',
  ),
  k8s('node.k8s.io/v1beta1', ['RuntimeClass'], '1.20', '1.25', 'node.k8s.io/v1'),
  // 1.26
  k8s('autoscaling/v2beta2', ['HorizontalPodAutoscaler'], '1.23', '1.26', 'autoscaling/v2'),
  k8s(
    'flowcontrol.apiserver.k8s.io/v1beta1',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    '1.23',
    '1.26',
    'flowcontrol.apiserver.k8s.io/v1',
  ),
  // 1.27
  k8s('storage.k8s.io/v1beta1', ['CSIStorageCapacity'], '1.24', '1.27', 'storage.k8s.io/v1'),
  // 1.29
  k8s(
    'flowcontrol.apiserver.k8s.io/v1beta2',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    '1.26',
    '1.29',
    'flowcontrol.apiserver.k8s.io/v1',
  ),
  // 1.32
  k8s(
    'flowcontrol.apiserver.k8s.io/v1beta3',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    '1.29',
    '1.32',
    'flowcontrol.apiserver.k8s.io/v1',
  ),
  // deprecated, still served
  k8s('autoscaling/v1', ['HorizontalPodAutoscaler'], '1.23', undefined, 'autoscaling/v2 (v1 only scales on CPU)'),
  k8s('v1', ['ComponentStatus'], '1.19', undefined, "no replacement: query the components' health endpoints"),
  k8s('v1', ['Endpoints'], '1.33', undefined, 'discovery.k8s.io/v1 EndpointSlice'),
];

/** "1.32", "v1.32.2" → [1, 32]; undefined when not a version. */
export function parseKubernetesVersion(version: string): [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

export function atLeast(target: string, release: string): boolean {
  const a = parsedVersion(target);
  const b = parsedVersion(release);
  if (!a || !b) return false;
  return a[0] !== b[0] ? a[0] > b[0] : a[1] >= b[1];
}

/**
 * parseKubernetesVersion of the few strings a run compares (the target, the facts' releases), kept
 * so each object does not parse them again; bounded, since a target may come from any input.
 */
const parsedVersions = new Map<string, readonly [number, number] | undefined>();

function parsedVersion(version: string): readonly [number, number] | undefined {
  if (parsedVersions.has(version)) return parsedVersions.get(version);
  const parsed = parseKubernetesVersion(version);
  if (parsedVersions.size >= 256) parsedVersions.clear();
  parsedVersions.set(version, parsed);
  return parsed;
}

/**
 * The facts by apiVersion, in API_VERSION_FACTS's order: most objects' apiVersion has none, found in
 * one look-up instead of a scan of every fact. Built again if the exported list grows.
 */
let factsByApiVersion = new Map<string, ApiVersionFact[]>();
let indexedFacts = -1;

function factsFor(apiVersion: string): ApiVersionFact[] | undefined {
  if (indexedFacts !== API_VERSION_FACTS.length) {
    factsByApiVersion = new Map();
    for (const fact of API_VERSION_FACTS) {
      const list = factsByApiVersion.get(fact.apiVersion);
      if (list) list.push(fact);
      else factsByApiVersion.set(fact.apiVersion, [fact]);
    }
    indexedFacts = API_VERSION_FACTS.length;
  }
  return factsByApiVersion.get(apiVersion);
}

export type ApiVersionStatus = { status: 'removed' | 'deprecated'; fact: ApiVersionFact } | undefined;

/** Whether `apiVersion` `kind` is removed or deprecated in Kubernetes `target`. */
export function apiVersionStatus(apiVersion: string, kind: string, target: string): ApiVersionStatus {
  const fact = factsFor(apiVersion)?.find((f) => f.kinds.includes(kind) || f.kinds.includes('*'));
  if (!fact) return undefined;
  if (fact.removedIn && atLeast(target, fact.removedIn)) return { status: 'removed', fact };
  if (atLeast(target, fact.deprecatedIn)) return { status: 'deprecated', fact };
  return undefined;
}

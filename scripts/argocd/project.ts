// What an AppProject permits, decided as Argo CD decides it (pkg/apis/application/v1alpha1:
// IsSourcePermitted, isDestinationMatched, IsGroupKindPermitted), so a finding here is a sync
// Argo CD would refuse.
import type { KubeObject, RepoContext } from '../types.ts';
import { globMatch, isDenyPattern } from './glob.ts';
import { isMap } from './gotemplate/values.ts';
import { trimEndChar } from '../safe/text.ts';

export interface ProjectSpec {
  sourceRepos: string[];
  destinations: { server?: string; name?: string; namespace?: string }[];
  clusterResourceWhitelist?: GroupKind[];
  clusterResourceBlacklist?: GroupKind[];
  namespaceResourceWhitelist?: GroupKind[];
  namespaceResourceBlacklist?: GroupKind[];
}

export interface GroupKind {
  group: string;
  kind: string;
}

export function projectSpec(project: KubeObject): ProjectSpec {
  const spec = isMap(project.spec) ? project.spec : {};
  const strings = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const groupKinds = (value: unknown): GroupKind[] | undefined =>
    Array.isArray(value)
      ? value.filter(isMap).map((item) => ({ group: String(item.group ?? ''), kind: String(item.kind ?? '') }))
      : undefined;
  return {
    sourceRepos: strings(spec.sourceRepos),
    destinations: Array.isArray(spec.destinations)
      ? spec.destinations.filter(isMap).map((d) => ({
          ...(typeof d.server === 'string' ? { server: d.server } : {}),
          ...(typeof d.name === 'string' ? { name: d.name } : {}),
          ...(typeof d.namespace === 'string' ? { namespace: d.namespace } : {}),
        }))
      : [],
    clusterResourceWhitelist: groupKinds(spec.clusterResourceWhitelist),
    clusterResourceBlacklist: groupKinds(spec.clusterResourceBlacklist),
    namespaceResourceWhitelist: groupKinds(spec.namespaceResourceWhitelist),
    namespaceResourceBlacklist: groupKinds(spec.namespaceResourceBlacklist),
  };
}

/** Argo CD's globMatch: `*` is everything, a `!` entry matches what its pattern does not. */
function argoGlob(pattern: string | undefined, value: string, separator?: string): boolean {
  const p = pattern ?? '';
  if (isDenyPattern(p)) return !globMatch(p.slice(1), value, separator);
  if (p === '*') return true;
  return globMatch(p, value, separator);
}

/** git.NormalizeGitURL: lower case, no .git suffix, no trailing slash; scp-style SSH as ssh://. */
export function argoNormalizeGitURL(url: string): string {
  let repo = url.trim().toLowerCase();
  if (/^[^/@:]+@[^/:]+:/.test(repo) && !repo.startsWith('ssh://')) repo = `ssh://${repo}`;
  repo = repo.replace(/\.git$/, '');
  return trimEndChar(repo, '/');
}

export function isSourcePermitted(project: ProjectSpec, repoURL: string): boolean {
  const source = argoNormalizeGitURL(repoURL);
  let anyMatched = false;
  for (const entry of project.sourceRepos) {
    const pattern = isDenyPattern(entry) ? `!${argoNormalizeGitURL(entry.slice(1))}` : argoNormalizeGitURL(entry);
    const matched = argoGlob(pattern, source, '/');
    if (matched) anyMatched = true;
    else if (isDenyPattern(pattern)) return false;
  }
  return anyMatched;
}

export interface Destination {
  server?: string;
  name?: string;
  namespace: string;
}

export function isDestinationPermitted(project: ProjectSpec, dst: Destination): boolean {
  let anyMatched = false;
  let noDenyMatched = true;
  for (const item of project.destinations) {
    const nameMatched = !!dst.name && argoGlob(item.name, dst.name);
    const serverMatched = !!dst.server && argoGlob(item.server, dst.server);
    const namespaceMatched = argoGlob(item.namespace, dst.namespace);
    if ((serverMatched || nameMatched) && namespaceMatched) anyMatched = true;
    else if (
      (!nameMatched && isDenyPattern(item.name)) ||
      (!serverMatched && isDenyPattern(item.server)) ||
      (!namespaceMatched && isDenyPattern(item.namespace))
    ) {
      noDenyMatched = false;
    }
  }
  return anyMatched && noDenyMatched;
}

/** Some allow entry takes the destination's cluster, whatever the namespace. */
export function isClusterListed(project: ProjectSpec, dst: Destination): boolean {
  return project.destinations.some(
    (item) =>
      (!!dst.name && !isDenyPattern(item.name) && argoGlob(item.name, dst.name)) ||
      (!!dst.server && !isDenyPattern(item.server) && argoGlob(item.server, dst.server)),
  );
}

function inList(kind: GroupKind, list: GroupKind[] | undefined): boolean {
  return (list ?? []).some((item) => argoGlob(item.kind, kind.kind) && argoGlob(item.group, kind.group));
}

/** Cluster-scoped kinds need a clusterResourceWhitelist entry; namespaced ones pass unless listed out. */
export function isGroupKindPermitted(
  project: ProjectSpec,
  kind: GroupKind,
  namespaced: boolean,
): { permitted: boolean; reason: string } {
  if (namespaced) {
    const white = project.namespaceResourceWhitelist;
    if (white !== undefined && !inList(kind, white))
      return { permitted: false, reason: 'namespaceResourceWhitelist does not list it' };
    if (inList(kind, project.namespaceResourceBlacklist))
      return { permitted: false, reason: 'namespaceResourceBlacklist lists it' };
    return { permitted: true, reason: '' };
  }
  if (!inList(kind, project.clusterResourceWhitelist)) {
    return {
      permitted: false,
      reason: project.clusterResourceWhitelist?.length
        ? 'clusterResourceWhitelist does not list it'
        : 'the project has no clusterResourceWhitelist, so no cluster-scoped kind is allowed',
    };
  }
  if (inList(kind, project.clusterResourceBlacklist))
    return { permitted: false, reason: 'clusterResourceBlacklist lists it' };
  return { permitted: true, reason: '' };
}

export function groupOf(apiVersion: string | undefined): string {
  const value = apiVersion ?? '';
  return value.includes('/') ? value.slice(0, value.lastIndexOf('/')) : '';
}

/** Built-in kinds that live outside namespaces; CRDs in the repository add their own. */
const CLUSTER_SCOPED = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'certificates.k8s.io/CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'policy/PodSecurityPolicy',
  'cert-manager.io/ClusterIssuer',
  'gateway.networking.k8s.io/GatewayClass',
  'external-secrets.io/ClusterSecretStore',
  'external-secrets.io/ClusterExternalSecret',
  'snapshot.storage.k8s.io/VolumeSnapshotClass',
  'argoproj.io/ClusterWorkflowTemplate',
  'keda.sh/ClusterTriggerAuthentication',
]);

export function isClusterScoped(kind: GroupKind, clusterScopedCRDs: Set<string>): boolean {
  const key = `${kind.group}/${kind.kind}`;
  return CLUSTER_SCOPED.has(key) || clusterScopedCRDs.has(key);
}

/** CRDs of the repository with `scope: Cluster`, as group/kind keys. */
export function clusterScopedCRDs(ctx: RepoContext): Set<string> {
  const out = new Set<string>();
  for (const app of ctx.apps) {
    for (const resource of app.resources) {
      const object = resource.object;
      if (object.kind !== 'CustomResourceDefinition' || !isMap(object.spec)) continue;
      const names = isMap(object.spec.names) ? object.spec.names : {};
      if (object.spec.scope === 'Cluster' && typeof names.kind === 'string')
        out.add(`${String(object.spec.group ?? '')}/${names.kind}`);
    }
  }
  return out;
}

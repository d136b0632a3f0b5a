// What RBAC objects grant, for the rules about privilege escalation: the paths from a Role to more
// power than it names (reading Secrets, exec into pods, creating pods, binding roles), which roles are
// powerful, and which roles a service account is bound to.
import type { Resource } from '../types.ts';
import { array, get, str } from './values.ts';
import { keyedAs, namedOfKind, resourcesOfKind, sameNamespace } from './workloads.ts';

/** One way a Role rule leads to more privilege than it seems to grant. */
export interface EscalationPath {
  /** What it lets the holder do, for messages: "read Secrets". */
  what: string;
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch'];
/** Kinds whose creation runs a pod of the creator's choosing (with any service account of the namespace). */
const WORKLOADS: readonly [group: string, resource: string][] = [
  ['', 'pods'],
  ['', 'replicationcontrollers'],
  ['apps', 'deployments'],
  ['apps', 'replicasets'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
];

function strings(value: unknown): string[] {
  return array(value).filter((item): item is string => typeof item === 'string');
}

function grants(rule: unknown, group: string, resource: string, verbs: string[]): boolean {
  const groups = strings(get(rule, 'apiGroups'));
  const resources = strings(get(rule, 'resources'));
  const ruleVerbs = strings(get(rule, 'verbs'));
  const [base] = resource.split('/');
  return (
    (groups.includes(group) || groups.includes('*')) &&
    (resources.includes(resource) ||
      resources.includes('*') ||
      (resource.includes('/') && resources.includes(`${base}/*`))) &&
    (ruleVerbs.includes('*') || verbs.some((verb) => ruleVerbs.includes(verb)))
  );
}

/** The escalation paths one rule of a Role or ClusterRole opens (resourceNames-limited rules open none). */
export function escalationPaths(rule: unknown): EscalationPath[] {
  if (strings(get(rule, 'resourceNames')).length > 0) return [];
  const paths: EscalationPath[] = [];
  if (grants(rule, '', 'secrets', READ)) paths.push({ what: 'read Secrets' });
  if (grants(rule, '', 'pods/exec', ['create', 'get']) || grants(rule, '', 'pods/attach', ['create', 'get']))
    paths.push({ what: 'exec into pods' });
  const workload = WORKLOADS.find(([group, resource]) => grants(rule, group, resource, WRITE));
  if (workload) paths.push({ what: `create ${workload[1]} (and so run as any service account of the namespace)` });
  if (
    grants(rule, 'rbac.authorization.k8s.io', 'roles', ['bind', 'escalate']) ||
    grants(rule, 'rbac.authorization.k8s.io', 'clusterroles', ['bind', 'escalate'])
  )
    paths.push({ what: 'bind or escalate roles' });
  if (['users', 'groups', 'serviceaccounts'].some((r) => grants(rule, '', r, ['impersonate'])))
    paths.push({ what: 'impersonate other identities' });
  if (grants(rule, '', 'serviceaccounts/token', ['create'])) paths.push({ what: 'mint service account tokens' });
  if (grants(rule, '', 'nodes/proxy', ['get', 'create'])) paths.push({ what: "call the kubelet's API (nodes/proxy)" });
  return paths;
}

/** Built-in ClusterRoles that can read Secrets and create pods in the namespaces they are bound in. */
export const POWERFUL_BUILTIN_ROLES = new Set(['cluster-admin', 'admin', 'edit']);

export function isRbac(resource: Resource): boolean {
  return (resource.object.apiVersion ?? '').startsWith('rbac.authorization.k8s.io/');
}

/** Why the role a binding's roleRef names is powerful, or undefined (a role not in scope is unknown). */
export function powerOfRoleRef(binding: Resource, resources: Resource[]): string | undefined {
  const kind = str(get(binding.object, 'roleRef', 'kind'));
  const name = str(get(binding.object, 'roleRef', 'name'));
  if (!name || (kind !== 'ClusterRole' && kind !== 'Role')) return undefined;
  if (kind === 'ClusterRole' && POWERFUL_BUILTIN_ROLES.has(name)) return `the built-in ${name} ClusterRole`;
  const role = namedOfKind(resources, kind, name).find(
    (candidate) => isRbac(candidate) && (kind === 'ClusterRole' || sameNamespace(candidate.object, binding.object)),
  );
  if (!role) return undefined;
  for (const rule of array(get(role.object, 'rules'))) {
    const verbs = strings(get(rule, 'verbs'));
    const targets = strings(get(rule, 'resources'));
    if (verbs.includes('*') && targets.includes('*') && strings(get(rule, 'apiGroups')).includes('*'))
      return `${kind} "${name}", which grants everything`;
    const [path] = escalationPaths(rule);
    if (path) return `${kind} "${name}", which can ${path.what}`;
  }
  return undefined;
}

/** The bindings in scope whose subjects include the service account `namespace/name`. */
export function bindingsOf(account: string, namespace: string | undefined, resources: Resource[]): Resource[] {
  // Most scopes hold no binding at all: asked per workload, that answer needs no index lookups.
  if (
    resourcesOfKind(resources, 'RoleBinding').length === 0 &&
    resourcesOfKind(resources, 'ClusterRoleBinding').length === 0
  )
    return [];
  // The bindings naming a service account called `account` (indexed once per list), then tested in full.
  const named = (kind: string) => keyedAs(resources, kind, 'subjects.serviceAccountNames', accountsBound, account);
  return [...named('RoleBinding'), ...named('ClusterRoleBinding')].filter(
    (binding) =>
      isRbac(binding) &&
      array(get(binding.object, 'subjects')).some((subject) => {
        if (get(subject, 'kind') !== 'ServiceAccount' || str(get(subject, 'name')) !== account) return false;
        const subjectNamespace = str(get(subject, 'namespace')) ?? binding.object.metadata?.namespace;
        return !subjectNamespace || !namespace || subjectNamespace === namespace;
      }),
  );
}

/**
 * The service account whose token the pod mounts, or undefined when neither the pod nor its
 * ServiceAccount (when it is in scope) mounts one (`automountServiceAccountToken: false`; the pod's
 * setting wins over the account's).
 */
export function mountedServiceAccount(
  workload: Resource,
  pod: Record<string, unknown>,
  resources: Resource[],
): string | undefined {
  if (pod.automountServiceAccountToken === false) return undefined;
  const account = str(pod.serviceAccountName) ?? str(pod.serviceAccount) ?? 'default';
  // Without ServiceAccounts in scope the pod's own setting decides (no by-name index lookup per workload).
  if (resourcesOfKind(resources, 'ServiceAccount').length === 0) return account;
  const serviceAccount = namedOfKind(resources, 'ServiceAccount', account).find((sa) =>
    sameNamespace(sa.object, workload.object),
  );
  if (
    serviceAccount &&
    get(serviceAccount.object, 'automountServiceAccountToken') === false &&
    pod.automountServiceAccountToken !== true
  )
    return undefined;
  return account;
}

/** The names of the ServiceAccount subjects of a binding (the key bindingsOf looks bindings up by). */
function accountsBound(binding: Resource): string[] {
  const names: string[] = [];
  for (const subject of array(get(binding.object, 'subjects'))) {
    const name = get(subject, 'kind') === 'ServiceAccount' ? str(get(subject, 'name')) : undefined;
    if (name !== undefined) names.push(name);
  }
  return names;
}

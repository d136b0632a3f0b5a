import type { Resource } from '../../types.ts';
import { array, get, str } from '../../kube/values.ts';
import { podTemplateOf, relatedResources, resourcesOfKind, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { mountedServiceAccount } from '../../kube/rbac.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'service-account-token',
    description: 'Pods that are not granted any RBAC role do not mount a service account token.',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `By default every pod gets a token for its service account mounted at
\`/var/run/secrets/kubernetes.io/serviceaccount\`. An application that never calls the Kubernetes API
does not need it, and an attacker who gets into the pod can use it against the API server.

The rule reports a pod when the token is mounted (neither the pod nor its ServiceAccount, when the
ServiceAccount is in the repository, sets \`automountServiceAccountToken: false\`) and no RoleBinding
or ClusterRoleBinding in the same environment binds its service account: nothing suggests it needs
the API. Pods whose service account is bound to a role pass.`,
      fix: `Set \`automountServiceAccountToken: false\` on the pod spec (or on its ServiceAccount).`,
    },
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      # the default service account; no RoleBinding grants it anything
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      automountServiceAccountToken: false
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
    },
  },
  check({ repo, resource, app, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    const resources = relatedResources(repo.apps, app);
    const account = mountedServiceAccount(resource, template.spec, resources);
    if (!account) return;
    const namespace = resource.object.metadata?.namespace;
    if (isBound(account, namespace, resources)) return;
    report({
      resource,
      path: [...template.specPath],
      message: `${resource.object.kind} "${resource.object.metadata?.name ?? '?'}" mounts the token of service account "${account}", which no RoleBinding grants anything; set automountServiceAccountToken: false.`,
    });
    return;
  },
});

const boundCache = new WeakMap<Resource[], { exact: Set<string>; anyNamespace: Set<string> }>();

/** Whether a RoleBinding or ClusterRoleBinding in scope names this service account as a subject. */
function isBound(account: string, namespace: string | undefined, resources: Resource[]): boolean {
  let bound = boundCache.get(resources);
  if (!bound) {
    bound = { exact: new Set(), anyNamespace: new Set() };
    for (const binding of [
      ...resourcesOfKind(resources, 'RoleBinding'),
      ...resourcesOfKind(resources, 'ClusterRoleBinding'),
    ]) {
      for (const subject of array(get(binding.object, 'subjects'))) {
        const name = str(get(subject, 'name'));
        if (get(subject, 'kind') !== 'ServiceAccount' || !name) continue;
        const subjectNamespace = str(get(subject, 'namespace')) ?? binding.object.metadata?.namespace;
        // a binding without a namespace lands in Argo CD's destination: it may be the pod's
        if (subjectNamespace) bound.exact.add(`${subjectNamespace}/${name}`);
        else bound.anyNamespace.add(name);
      }
    }
    boundCache.set(resources, bound);
  }
  if (bound.anyNamespace.has(account)) return true;
  if (bound.exact.size === 0) return false;
  if (namespace) return bound.exact.has(`${namespace}/${account}`);
  return [...bound.exact].some((key) => key.endsWith(`/${account}`));
}

import type { App, Resource } from '../../types.ts';
import { array, record } from '../../kube/values.ts';
import { isWorkload, scopeOf } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

/**
 * Namespaces the cluster's vendor owns (Kubernetes' kube-*, OpenShift's openshift and openshift-*):
 * a team deploys an operator or a config object there, but a default-deny policy would cut off the
 * platform's own components, and the advice is not the team's to follow.
 */
const SYSTEM_NAMESPACE = /^(kube-.+|openshift|openshift-.+)$/;

export default defineRule({
  meta: {
    id: 'networkpolicy-default-deny',
    description: 'Every namespace that runs workloads has a default-deny ingress NetworkPolicy.',
    defaultSeverity: 'warning',
    category: 'cross-resource',
    scope: 'repository',
    docs: {
      why: `Without NetworkPolicies every pod accepts connections from every other pod in the cluster: one
compromised front end can talk straight to the payment service's database. A default-deny policy
(\`podSelector: {}\`, \`policyTypes: [Ingress]\`, no ingress rules) makes each namespace closed by
default, and the allow policies beside it say who may talk to whom.

Checked per environment and namespace, over every app of the environment (the policy usually lives
in the environment's shared namespaces folder). Objects without a namespace are grouped by app.
System namespaces the team does not own (\`kube-*\`, \`openshift\`, \`openshift-*\`) are not reported.`,
      fix: `Add the default-deny policy to the namespace (e.g. in overlays/<env>/namespaces/),
then allow the traffic each service needs.`,
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
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]`,
    },
  },
  check({ repo, report }) {
    const groups = new Map<string, Group>();
    for (const app of repo.apps) {
      const scope = scopeOf(app);
      // An app's objects are mostly in one namespace: the group of the previous object's namespace
      // (undefined for a system namespace) serves the next object of the same namespace.
      let previous: { namespace: string | undefined; group: Group | undefined } | undefined;
      for (const resource of app.resources) {
        const kind = resource.object.kind;
        const namespace = kind === 'Namespace' ? resource.object.metadata?.name : resource.object.metadata?.namespace;
        if (!previous || previous.namespace !== namespace)
          previous = { namespace, group: groupOf(groups, scope, namespace, app) };
        const group = previous.group;
        if (!group) continue;
        if (kind === 'NetworkPolicy') group.policies.push(resource);
        else if (kind === 'Namespace') group.namespaces.push(resource);
        else if (isWorkload(resource.object)) group.workloads.push(resource);
      }
    }
    for (const group of groups.values()) {
      if (group.workloads.length === 0 || group.policies.some((p) => isDefaultDenyIngress(p))) continue;
      const at = group.namespaces[0] ?? group.workloads[0];
      const where = group.env ? ` in ${group.env}` : '';
      report({
        resource: at,
        path: ['metadata', 'name'],
        message: `No default-deny ingress NetworkPolicy for ${group.label}${where}: its pods accept traffic from anywhere in the cluster.`,
      });
    }
    return;
  },
});

interface Group {
  workloads: Resource[];
  policies: Resource[];
  namespaces: Resource[];
  label: string;
  env?: string;
}

/** The group of a namespace in a scope (made on first sight), or undefined for a system namespace. */
function groupOf(
  groups: Map<string, Group>,
  scope: string,
  namespace: string | undefined,
  app: App,
): Group | undefined {
  if (namespace && SYSTEM_NAMESPACE.test(namespace)) return undefined;
  const key = `${scope}\0${namespace ?? `app:${app.id}`}`;
  let group = groups.get(key);
  if (!group) {
    group = {
      workloads: [],
      policies: [],
      namespaces: [],
      label: namespace ? `namespace "${namespace}"` : `app ${app.id}`,
      ...(app.env ? { env: app.env } : {}),
    };
    groups.set(key, group);
  }
  return group;
}

/** podSelector {} (all pods), Ingress among its policy types, and no ingress rule that allows anything. */
function isDefaultDenyIngress(policy: Resource): boolean {
  const spec = record(policy.object.spec);
  const selector = record(spec.podSelector);
  if (Object.keys(record(selector.matchLabels)).length > 0 || array(selector.matchExpressions).length > 0) return false;
  const types = array(spec.policyTypes).map(String);
  const coversIngress = types.length === 0 || types.includes('Ingress');
  return coversIngress && array(spec.ingress).length === 0;
}

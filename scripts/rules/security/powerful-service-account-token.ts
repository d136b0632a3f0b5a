import { bindingsOf, mountedServiceAccount, powerOfRoleRef } from '../../kube/rbac.ts';
import { podTemplateOf, relatedResources, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

const BINDING = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]`;

export default defineRule({
  meta: {
    id: 'powerful-service-account-token',
    description: 'Pods whose service account is bound to a powerful role do not mount its token in every container.',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `Every container of a pod that automounts its service account token can use it. When that account is
bound to a powerful role (\`cluster-admin\`, \`admin\`, \`edit\`, or a role that can read Secrets, exec
into pods, create pods or bind roles: see rbac-privilege-escalation), a flaw in any container of the
pod, a sidecar included, hands the attacker that role. The bindings are looked up in the same
environment.

A warning: controllers need their token. The point is to mount it only where it is used, and to
notice which pods carry the keys to the cluster.`,
      fix: `Set \`automountServiceAccountToken: false\` on the pod and mount a projected
\`serviceAccountToken\` volume only in the container that calls the API, or trim the role.`,
    },
    examples: {
      bad: `${exampleWorkload({ pod: 'serviceAccountName: web' })}\n---\n${BINDING}`,
      good: `${exampleWorkload({ pod: 'serviceAccountName: web\nautomountServiceAccountToken: false' })}\n---\n${BINDING}`,
    },
  },
  check({ repo, app, resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    const resources = relatedResources(repo.apps, app);
    const account = mountedServiceAccount(resource, template.spec, resources);
    if (!account) return;
    for (const binding of bindingsOf(account, resource.object.metadata?.namespace, resources)) {
      const power = powerOfRoleRef(binding, resources);
      if (!power) continue;
      report({
        resource,
        path: template.specPath,
        message: `${resource.object.kind ?? 'Pod'} "${resource.object.metadata?.name ?? '?'}" mounts the token of service account "${account}" in every container; ${binding.object.kind} "${binding.object.metadata?.name ?? '?'}" binds it to ${power}.`,
      });
      return;
    }
  },
});

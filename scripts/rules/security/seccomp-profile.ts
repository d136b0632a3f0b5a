import type { JsonPath } from '../../types.ts';
import { get, isRecord, str } from '../../kube/values.ts';
import { containersOf, podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { isWindows } from '../../kube/security-context.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

/** The profiles that filter system calls: the runtime's default, or one the node provides. */
const FILTERING = new Set(['RuntimeDefault', 'Localhost']);

export default defineRule({
  meta: {
    id: 'seccomp-profile',
    description: 'Pods run with a seccomp profile (RuntimeDefault or Localhost), never Unconfined.',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `seccomp filters the system calls a container may make. Without a profile (the kubelet's default
unless it runs with \`--seccomp-default\`) or with \`Unconfined\`, every call is allowed, including the
rarely used ones most kernel exploits go through (\`unshare\`, \`keyctl\`, \`bpf\`...). The runtime's
default profile blocks those and nothing an application uses; the Pod Security Standards' restricted
profile requires it.

A warning: a pod without a profile works, and nodes started with \`--seccomp-default\` apply
RuntimeDefault anyway; an explicit \`Unconfined\` is reported the same way. The alpha annotations
(\`seccomp.security.alpha.kubernetes.io/pod\`) have had no effect since Kubernetes 1.27.`,
      fix: `Set \`securityContext.seccompProfile.type: RuntimeDefault\` on the pod spec (it applies to every
container), or \`Localhost\` with the node's profile.`,
    },
    examples: {
      bad: exampleWorkload({ pod: 'securityContext: {runAsNonRoot: true}' }),
      good: exampleWorkload({ pod: 'securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}' }),
    },
  },
  check({ resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template || isWindows(template)) return;
    const podType = str(get(template.spec, 'securityContext', 'seccompProfile', 'type'));
    const podFilters = podType !== undefined && FILTERING.has(podType);
    let unprotected = 0;
    for (const container of containersOf(template)) {
      const own = str(get(container.container, 'securityContext', 'seccompProfile', 'type'));
      if (own !== undefined) {
        if (!FILTERING.has(own))
          report({
            resource,
            path: [...container.path, 'securityContext', 'seccompProfile', 'type'],
            message: `Container "${container.name}" runs with seccomp profile ${own}: every system call is allowed.`,
          });
      } else if (!podFilters) unprotected++;
    }
    if (unprotected === 0) return;
    // What the pod-level finding names and where it points, worked out only when there is one.
    const podPath: JsonPath = isRecord(template.spec.securityContext)
      ? [...template.specPath, 'securityContext']
      : template.specPath;
    const kind = resource.object.kind ?? 'Pod';
    const name = resource.object.metadata?.name ?? '?';
    if (podType !== undefined)
      report({
        resource,
        path: [...podPath, 'seccompProfile', 'type'],
        message: `${kind} "${name}" runs its pods with seccomp profile ${podType}: every system call is allowed.`,
      });
    else
      report({
        resource,
        path: podPath,
        message: `${kind} "${name}" sets no seccomp profile: its containers may make every system call (set seccompProfile.type: RuntimeDefault).`,
      });
  },
});

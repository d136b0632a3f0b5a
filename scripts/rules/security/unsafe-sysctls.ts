import { get, str } from '../../kube/values.ts';
import { podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

/**
 * The sysctls the kubelet accepts without `--allowed-unsafe-sysctls`, with the Kubernetes minor version
 * that made each one safe (kubernetes/kubernetes pkg/kubelet/sysctl/safe_sysctls.go, v1.32).
 */
const SAFE_SYSCTLS: readonly [name: string, since: number][] = [
  ['kernel.shm_rmid_forced', 0],
  ['net.ipv4.ip_local_port_range', 0],
  ['net.ipv4.tcp_syncookies', 0],
  ['net.ipv4.ping_group_range', 18],
  ['net.ipv4.ip_unprivileged_port_start', 22],
  ['net.ipv4.ip_local_reserved_ports', 27],
  ['net.ipv4.tcp_keepalive_time', 29],
  ['net.ipv4.tcp_fin_timeout', 29],
  ['net.ipv4.tcp_keepalive_intvl', 29],
  ['net.ipv4.tcp_keepalive_probes', 29],
  ['net.ipv4.tcp_rmem', 32],
  ['net.ipv4.tcp_wmem', 32],
];

/** The minor version of "1.32" (0 when it cannot be read: then only the oldest safe set counts). */
function minorOf(version: string): number {
  const match = /^v?1\.(\d+)/.exec(version);
  return match ? Number(match[1]) : 0;
}

// A run has one Kubernetes version: the safe set is built once for it, not once per object.
let safeFor: { version: string; safe: ReadonlySet<string> } | undefined;

function safeSysctls(version: string): ReadonlySet<string> {
  if (safeFor?.version !== version) {
    const minor = minorOf(version);
    safeFor = { version, safe: new Set(SAFE_SYSCTLS.filter(([, since]) => since <= minor).map(([name]) => name)) };
  }
  return safeFor.safe;
}

export default defineRule({
  meta: {
    id: 'unsafe-sysctls',
    description: 'Pods set only the sysctls Kubernetes considers safe.',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `\`securityContext.sysctls\` sets kernel parameters for the pod. Kubernetes calls a handful of them
safe (namespaced per pod and unable to hurt the node: \`net.ipv4.ip_local_port_range\`,
\`net.ipv4.tcp_syncookies\`, \`kernel.shm_rmid_forced\`, the TCP keep-alive ones...). Any other is
unsafe: the kubelet refuses the pod (\`SysctlForbidden\`) unless the node allowlists it with
\`--allowed-unsafe-sysctls\`, and where it is allowed it can starve the node's other pods (shared
memory, message queues, the network stack's buffers). The Pod Security Standards' baseline profile
forbids unsafe sysctls. The safe set depends on the Kubernetes version (\`kubernetesVersion\` in
gitops.yaml).

A warning: a platform team may allowlist a sysctl on dedicated nodes on purpose.`,
      fix: `Remove the sysctl, or run the pod on nodes that allowlist it (with a taint and a toleration so
that nothing else lands there) and exempt the workload with the ignore annotation and a reason.`,
    },
    examples: {
      bad: exampleWorkload({ pod: 'securityContext:\n  sysctls: [{name: net.core.somaxconn, value: "1024"}]' }),
      good: exampleWorkload({
        pod: 'securityContext:\n  sysctls: [{name: net.ipv4.ip_local_port_range, value: "1024 65000"}]',
      }),
    },
  },
  check({ repo, resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    const sysctls = get(template.spec, 'securityContext', 'sysctls');
    if (!Array.isArray(sysctls) || sysctls.length === 0) return; // most pods set none
    const safe = safeSysctls(repo.kubernetesVersion);
    sysctls.forEach((sysctl, index) => {
      const name = str(get(sysctl, 'name'));
      if (!name) return;
      // the kubelet accepts "net/ipv4/tcp_syncookies" as well as the dotted form
      if (safe.has(name.replaceAll('/', '.'))) return;
      report({
        resource,
        path: [...template.specPath, 'securityContext', 'sysctls', index, 'name'],
        message: `${resource.object.kind ?? 'Pod'} "${resource.object.metadata?.name ?? '?'}" sets the unsafe sysctl ${name}: the kubelet refuses the pod unless the node allowlists it.`,
      });
    });
  },
});

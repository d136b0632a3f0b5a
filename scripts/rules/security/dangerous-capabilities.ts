import { get } from '../../kube/values.ts';
import { containerRule } from '../../kube/security-context.ts';
import { exampleWorkload } from '../../kube/examples.ts';

/**
 * Capabilities that amount to root on the node or on its network: SYS_ADMIN is "the new root" (mount,
 * namespaces, BPF...), NET_ADMIN rewrites the node's routing and firewall when combined with host
 * networking and the pod's own otherwise, NET_RAW forges packets (ARP/DNS spoofing), SYS_PTRACE reads
 * other processes' memory, SYS_MODULE loads kernel modules, DAC_READ_SEARCH bypasses file permissions
 * (the "shocker" escape), BPF/PERFMON load kernel programs, and ALL is every one of them.
 */
const DANGEROUS = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'NET_RAW',
  'SYS_PTRACE',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'BPF',
  'PERFMON',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
]);

/** "CAP_SYS_ADMIN" and "sys_admin" name the same capability as "SYS_ADMIN". */
function capabilityName(value: unknown): string {
  return String(value).toUpperCase().replace(/^CAP_/, '');
}

export default containerRule(
  {
    id: 'dangerous-capabilities',
    description:
      'Containers do not add capabilities that amount to root on the node (SYS_ADMIN, NET_ADMIN, NET_RAW, ALL...).',
    defaultSeverity: 'error',
    category: 'security',
    docs: {
      why: `\`capabilities.add\` hands a container kernel powers beyond the runtime's default set. Some of them
are a container escape or a network takeover on their own: \`SYS_ADMIN\` (mounts, namespaces: close to
\`privileged\`), \`NET_ADMIN\` and \`NET_RAW\` (rewrite routes and firewalls, forge packets, spoof ARP and
DNS on the node's network), \`SYS_PTRACE\` (read other processes' memory), \`SYS_MODULE\` (load kernel
modules), \`DAC_READ_SEARCH\` (read any file by handle), \`BPF\`/\`PERFMON\`, and \`ALL\`. The Pod Security
Standards' baseline profile forbids all of them.

An error: an application never needs these, and a compromise of a container that has one is a
compromise of the node. Network and storage agents that truly do belong to the platform's charts;
exempt them with the ignore annotation and a reason.`,
      fix: `Remove the capability from \`capabilities.add\` and drop all others (\`drop: [ALL]\`). A web server
that binds a port below 1024 needs only \`NET_BIND_SERVICE\`.`,
    },
    examples: {
      bad: exampleWorkload({ container: 'securityContext:\n  capabilities: {drop: [ALL], add: [SYS_ADMIN]}' }),
      good: exampleWorkload({ container: 'securityContext:\n  capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}' }),
    },
  },
  (c) => {
    const add = get(c.container, 'securityContext', 'capabilities', 'add');
    if (!Array.isArray(add) || add.length === 0) return undefined; // most containers add none
    const added = add.map(capabilityName);
    const dangerous = [...new Set(added.filter((cap) => DANGEROUS.has(cap)))];
    if (dangerous.length === 0) return undefined;
    return {
      field: 'capabilities',
      message: `Container "${c.name}" adds the ${dangerous.join(', ')} ${dangerous.length === 1 ? 'capability' : 'capabilities'}, which ${dangerous.length === 1 ? 'amounts' : 'amount'} to root on the node.`,
    };
  },
);

import type { Finding } from '../../types.ts';
import type { ResourceRule } from '../rule.ts';
import { findingAt } from '../rule.ts';
import { podTemplateOf } from '../workloads.ts';

const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

export const noHostNamespaces: ResourceRule = {
  scope: 'resource',
  meta: {
    id: 'no-host-namespaces',
    description: "Pods do not share the node's network, process or IPC namespace.",
    defaultSeverity: 'error',
    category: 'security',
    docs: `\`hostNetwork: true\` puts the pod on the node's network stack: it can bind the node's ports and
reach every service that trusts the node, and NetworkPolicies no longer apply to it. \`hostPID\` lets it
see and signal every process on the node (and read their environment, secrets included); \`hostIPC\`
shares the node's shared memory. Applications never need these.

**How to fix:** remove them; expose the pod through a Service instead of the host's network.`,
    examples: {
      bad: `spec:
  hostNetwork: true
  containers: [...]`,
      good: `spec:
  containers: [...]   # reached through a Service`,
    },
  },
  check(_ctx, resource) {
    const template = podTemplateOf(resource.object);
    if (!template) return [];
    const findings: Finding[] = [];
    for (const field of HOST_NAMESPACES) {
      if (template.spec[field] === true) {
        findings.push(
          findingAt(
            this.meta,
            resource,
            [...template.specPath, field],
            `${resource.object.kind} "${resource.object.metadata?.name ?? '?'}" sets ${field}: true and shares the node's ${field.slice(4).toLowerCase() === 'network' ? 'network' : field.slice(4)} namespace.`,
          ),
        );
      }
    }
    return findings;
  },
};

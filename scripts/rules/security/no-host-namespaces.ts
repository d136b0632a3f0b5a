import { podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

export default defineRule({
  meta: {
    id: 'no-host-namespaces',
    description: "Pods do not share the node's network, process or IPC namespace.",
    defaultSeverity: 'error',
    category: 'security',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `\`hostNetwork: true\` puts the pod on the node's network stack: it can bind the node's ports and
reach every service that trusts the node, and NetworkPolicies no longer apply to it. \`hostPID\` lets it
see and signal every process on the node (and read their environment, secrets included); \`hostIPC\`
shares the node's shared memory. Applications never need these.`,
      fix: `Remove them; expose the pod through a Service instead of the host's network.`,
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
      hostNetwork: true
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
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]   # reached through a Service`,
    },
  },
  check({ resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    for (const field of HOST_NAMESPACES) {
      if (template.spec[field] === true) {
        report({
          resource,
          path: [...template.specPath, field],
          message: `${resource.object.kind} "${resource.object.metadata?.name ?? '?'}" sets ${field}: true and shares the node's ${field.slice(4).toLowerCase() === 'network' ? 'network' : field.slice(4)} namespace.`,
        });
      }
    }
    return;
  },
});

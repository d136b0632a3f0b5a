import { get, isRecord, parseQuantity } from '../../kube/values.ts';
import { containersOf, podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'requests-within-limits',
    description: 'A container never requests more CPU or memory than its limit.',
    defaultSeverity: 'error',
    category: 'resources',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `The API server rejects a pod whose request is larger than its limit, so Argo CD's sync fails
with the Deployment stuck at zero new pods. This often happens when an overlay raises a limit or a
request but not the other.`,
      fix: `Raise the limit or lower the request so that \`requests <= limits\` for every resource.`,
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
          resources:
            requests: {cpu: "1", memory: 512Mi}
            limits: {cpu: 500m, memory: 256Mi}`,
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
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {cpu: 500m, memory: 512Mi}`,
    },
  },
  check({ resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    for (const { container, name, path } of containersOf(template)) {
      const requests = get(container, 'resources', 'requests');
      const limits = get(container, 'resources', 'limits');
      // Without both maps there is nothing to compare.
      if (!isRecord(requests) || !isRecord(limits)) continue;
      // for...in with an own-key test: Object.entries' keys and order, without its pairs.
      for (const key in requests) {
        if (!Object.hasOwn(requests, key)) continue;
        const request = requests[key];
        const limit = limits[key];
        const requested = parseQuantity(request);
        const limited = parseQuantity(limit);
        if (requested === undefined || limited === undefined || requested <= limited) continue;
        report({
          resource,
          path: [...path, 'resources', 'requests', key],
          message: `Container "${name}" requests ${String(request)} ${key} but is limited to ${String(limit)}; the API server rejects such a pod.`,
        });
      }
    }
    return;
  },
});

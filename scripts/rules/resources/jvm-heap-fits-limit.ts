import type { JsonPath } from '../../types.ts';
import { array, get, int, parseQuantity } from '../../kube/values.ts';
import { containersOf, podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

const DEFAULT_MAX_HEAP_PERCENT = 80;

export default defineRule({
  meta: {
    id: 'jvm-heap-fits-limit',
    description: "A JVM's heap (-Xmx or -XX:MaxRAMPercentage) leaves room under the container's memory limit.",
    defaultSeverity: 'warning',
    category: 'resources',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `The memory limit covers the whole process, and a JVM uses a good deal besides the heap:
metaspace, thread stacks, the code cache, GC structures and direct buffers. A heap of 1 GiB in a
container limited to 1 GiB is OOM-killed under load, with no Java OutOfMemoryError to tell why.

The rule reads \`-Xmx\` and \`-XX:MaxRAMPercentage\` from env values (\`JAVA_OPTS\`, \`JAVA_TOOL_OPTIONS\`,
\`JDK_JAVA_OPTIONS\` or any other), \`command\` and \`args\`, and reports a heap above 80% of the limit
(\`lint.rules.jvm-heap-fits-limit.options.maxHeapPercent\` changes it).`,
      fix: `Prefer \`-XX:MaxRAMPercentage=75\` so the heap follows the limit, or lower \`-Xmx\`, or
raise the limit.`,
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
          env: [{name: JAVA_TOOL_OPTIONS, value: "-Xmx1g"}]
          resources: {limits: {memory: 1Gi}}`,
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
          env: [{name: JAVA_TOOL_OPTIONS, value: "-XX:MaxRAMPercentage=75"}]
          resources: {limits: {memory: 1Gi}}`,
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxHeapPercent: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          description: 'The largest heap, in percent of the memory limit (default 80).',
        },
      },
    },
  },
  check({ resource, options, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    const maxPercent = int(options.maxHeapPercent) ?? DEFAULT_MAX_HEAP_PERCENT;
    for (const { container, name, path } of containersOf(template)) {
      const limitText = get(container, 'resources', 'limits', 'memory');
      const limit = parseQuantity(limitText);
      if (limit === undefined || limit <= 0) continue;
      const places: { path: JsonPath; text: string }[] = [];
      array(container.env).forEach((variable, i) => {
        const value = get(variable, 'value');
        if (typeof value === 'string') places.push({ path: [...path, 'env', i, 'value'], text: value });
      });
      for (const field of ['command', 'args'] as const) {
        array(container[field]).forEach((item, i) => {
          if (typeof item === 'string') places.push({ path: [...path, field, i], text: item });
        });
      }
      for (const place of places) {
        const xmx = /(?:^|\s)-Xmx(\d+)([kKmMgGtT]?)\b/.exec(place.text);
        if (xmx) {
          const heap = Number(xmx[1]) * ({ k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[xmx[2].toLowerCase()] ?? 1);
          const percent = Math.round((heap / limit) * 100);
          if (percent > maxPercent) {
            report({
              resource,
              path: place.path,
              message: `Container "${name}": -Xmx${xmx[1]}${xmx[2]} is ${percent}% of its ${String(limitText)} memory limit; above ${maxPercent}% the JVM's non-heap memory gets it OOM-killed.`,
            });
          }
        }
        const ram = /-XX:MaxRAMPercentage=(\d+(?:\.\d+)?)/.exec(place.text);
        if (ram && Number(ram[1]) > maxPercent) {
          report({
            resource,
            path: place.path,
            message: `Container "${name}": -XX:MaxRAMPercentage=${ram[1]} gives the heap more than ${maxPercent}% of the memory limit; the JVM's non-heap memory gets it OOM-killed.`,
          });
        }
      }
    }
    return;
  },
});

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
      // Only a text with "-X" can set the heap: the paths and messages are built for those alone.
      const env = array(container.env);
      for (let i = 0; i < env.length; i++) {
        const value = get(env[i], 'value');
        if (typeof value !== 'string' || !value.includes('-X')) continue;
        for (const message of heapProblems(value, name, limit, limitText, maxPercent))
          report({ resource, path: [...path, 'env', i, 'value'], message });
      }
      for (const field of FIELDS) {
        const items = array(container[field]);
        for (let i = 0; i < items.length; i++) {
          const item = items[i];
          if (typeof item !== 'string' || !item.includes('-X')) continue;
          for (const message of heapProblems(item, name, limit, limitText, maxPercent))
            report({ resource, path: [...path, field, i], message });
        }
      }
    }
    return;
  },
});

const FIELDS = ['command', 'args'] as const;
const XMX = /(?:^|\s)-Xmx(\d+)([kKmMgGtT]?)\b/;
const MAX_RAM_PERCENTAGE = /-XX:MaxRAMPercentage=(\d+(?:\.\d+)?)/;

/** What is wrong with the heap an env value or argument sets (-Xmx, -XX:MaxRAMPercentage): 0 to 2 messages. */
function heapProblems(text: string, name: string, limit: number, limitText: unknown, maxPercent: number): string[] {
  const problems: string[] = [];
  const xmx = XMX.exec(text);
  if (xmx) {
    const heap = Number(xmx[1]) * ({ k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[xmx[2].toLowerCase()] ?? 1);
    const percent = Math.round((heap / limit) * 100);
    if (percent > maxPercent)
      problems.push(
        `Container "${name}": -Xmx${xmx[1]}${xmx[2]} is ${percent}% of its ${String(limitText)} memory limit; above ${maxPercent}% the JVM's non-heap memory gets it OOM-killed.`,
      );
  }
  const ram = MAX_RAM_PERCENTAGE.exec(text);
  if (ram && Number(ram[1]) > maxPercent)
    problems.push(
      `Container "${name}": -XX:MaxRAMPercentage=${ram[1]} gives the heap more than ${maxPercent}% of the memory limit; the JVM's non-heap memory gets it OOM-killed.`,
    );
  return problems;
}

// Whether a selector that matches nothing in the repository is a mistake or simply selects pods the
// repository does not deploy. A NetworkPolicy, PodDisruptionBudget or monitor in a namespace where the
// repository runs no workload at all (an operator's namespace, pods created by a controller) selects
// what this repository cannot see: only a selector in a namespace the repository populates is judged.
import type { KubeObject, Resource } from '../types.ts';
import { podTemplateOf, sameNamespace } from './workloads.ts';

/** Some workload of the scope runs pods in `owner`'s namespace (an absent namespace matches any). */
export function deploysPodsBeside(owner: KubeObject, resources: Resource[]): boolean {
  return resources.some(
    (resource) => podTemplateOf(resource.object) !== undefined && sameNamespace(resource.object, owner),
  );
}

/** "app=web,tier in (front)" for messages. */
export function describeSelector(selector: unknown): string {
  const parts: string[] = [];
  const record = (selector ?? {}) as { matchLabels?: Record<string, unknown>; matchExpressions?: unknown[] };
  for (const [key, value] of Object.entries(record.matchLabels ?? {})) parts.push(`${key}=${String(value)}`);
  for (const expression of Array.isArray(record.matchExpressions) ? record.matchExpressions : []) {
    const { key, operator, values } = (expression ?? {}) as { key?: unknown; operator?: unknown; values?: unknown };
    parts.push(
      `${String(key)} ${String(operator)}${Array.isArray(values) ? ` (${values.map(String).join(', ')})` : ''}`,
    );
  }
  return parts.join(',') || '{}';
}

/** A label selector with neither matchLabels nor matchExpressions selects every pod of the namespace. */
export function selectsEverything(selector: unknown): boolean {
  const record = (selector ?? {}) as { matchLabels?: unknown; matchExpressions?: unknown };
  const labels = record.matchLabels && typeof record.matchLabels === 'object' ? Object.keys(record.matchLabels) : [];
  const expressions = Array.isArray(record.matchExpressions) ? record.matchExpressions : [];
  return labels.length === 0 && expressions.length === 0;
}

// A container's effective security settings: the container's securityContext wins over the pod's
// for the fields both have (runAsNonRoot, runAsUser), as the kubelet applies them.
import type { Finding, JsonPath, RuleMeta } from '../../types.ts';
import type { ResourceRule } from '../rule.ts';
import { findingAt } from '../rule.ts';
import { get, isRecord } from '../values.ts';
import { containersOf, podTemplateOf, type ContainerAt, type PodTemplate } from '../workloads.ts';

export function effective(template: PodTemplate, container: ContainerAt, field: 'runAsNonRoot' | 'runAsUser'): unknown {
  const own = get(container.container, 'securityContext', field);
  return own !== undefined ? own : get(template.spec, 'securityContext', field);
}

/** Where a finding about a container's securityContext lands: the block if it exists, else the container's name. */
export function securityContextPath(container: ContainerAt, field?: string): JsonPath {
  const context = container.container.securityContext;
  if (!isRecord(context)) return [...container.path, 'name'];
  return field && field in context
    ? [...container.path, 'securityContext', field]
    : [...container.path, 'securityContext'];
}

/** Windows pods have no Linux security context. */
export function isWindows(template: PodTemplate): boolean {
  return (
    get(template.spec, 'os', 'name') === 'windows' ||
    get(template.spec, 'nodeSelector', 'kubernetes.io/os') === 'windows'
  );
}

/**
 * A rule about one securityContext switch of every container: `problem` says what is wrong with a
 * container, or undefined. The four switch rules (privileged, escalation, read-only root,
 * capabilities) share this so that they read and report the same way.
 */
export function containerRule(
  meta: RuleMeta,
  problem: (container: ContainerAt) => { field: string; message: string } | undefined,
): ResourceRule {
  return {
    scope: 'resource',
    meta,
    check(_ctx, resource) {
      const template = podTemplateOf(resource.object);
      if (!template || isWindows(template)) return [];
      const findings: Finding[] = [];
      for (const container of containersOf(template)) {
        const found = problem(container);
        if (found) findings.push(findingAt(meta, resource, securityContextPath(container, found.field), found.message));
      }
      return findings;
    },
  };
}

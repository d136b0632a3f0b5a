// A container's effective security settings: the container's securityContext wins over the pod's
// for the fields both have (runAsNonRoot, runAsUser), as the kubelet applies them.
import { defineRule, type Rule } from '../check/contract.ts';
import type { JsonPath, RuleMeta } from '../types.ts';
import { get, isRecord } from './values.ts';
import { containersOf, podTemplateOf, type ContainerAt, type PodTemplate } from './workloads.ts';

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
  meta: Omit<RuleMeta, 'scope'>,
  problem: (container: ContainerAt) => { field: string; message: string } | undefined,
): Rule {
  return defineRule({
    meta: { ...meta, scope: 'resource' },
    check({ resource, report }) {
      const template = podTemplateOf(resource.object);
      if (!template || isWindows(template)) return;
      for (const container of containersOf(template)) {
        const found = problem(container);
        if (found) report({ resource, path: securityContextPath(container, found.field), message: found.message });
      }
    },
  });
}

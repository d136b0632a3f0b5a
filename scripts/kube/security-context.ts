// A container's effective security settings: the container's securityContext wins over the pod's
// for the fields both have (runAsNonRoot, runAsUser), as the kubelet applies them.
import { defineRule, type Rule } from '../check/contract.ts';
import type { JsonPath, RuleMeta } from '../types.ts';
import { isRecord } from './values.ts';
import { containersOf, podTemplateOf, WORKLOAD_KINDS, type ContainerAt, type PodTemplate } from './workloads.ts';

export function effective(template: PodTemplate, container: ContainerAt, field: 'runAsNonRoot' | 'runAsUser'): unknown {
  const own = fieldOf(container.container.securityContext, field);
  return own !== undefined ? own : fieldOf(template.spec.securityContext, field);
}

/** A field of a securityContext block, or undefined when the block is missing or not a map (as get() reads it). */
function fieldOf(context: unknown, field: string): unknown {
  return isRecord(context) ? context[field] : undefined;
}

/**
 * The field a finding about a container's securityContext is about, present or not: a missing field
 * lands on its nearest written parent (the block, else the container), and an overlay patch that
 * removed it (a JSON 6902 remove, a null) gets the finding (scripts/manifest/locate.ts).
 */
export function securityContextPath(container: ContainerAt, field?: string): JsonPath {
  return field ? [...container.path, 'securityContext', field] : [...container.path, 'securityContext'];
}

/** Windows pods have no Linux security context. */
export function isWindows(template: PodTemplate): boolean {
  // Read directly (what get() does, without its path array): every security rule asks this per object.
  const { os, nodeSelector } = template.spec;
  return (
    (isRecord(os) && os.name === 'windows') ||
    (isRecord(nodeSelector) && nodeSelector['kubernetes.io/os'] === 'windows')
  );
}

/**
 * A rule about one securityContext switch of every container: `problem` says what is wrong with a
 * container, or undefined. The four switch rules (privileged, escalation, read-only root,
 * capabilities) share this so that they read and report the same way.
 */
export function containerRule(
  meta: Omit<RuleMeta, 'scope' | 'reach' | 'kinds'>,
  problem: (container: ContainerAt) => { field: string; message: string } | undefined,
): Rule {
  return defineRule({
    meta: { ...meta, scope: 'resource', kinds: WORKLOAD_KINDS, reach: 'scope' }, // reads only the one object, a pod template's
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

import { defineRule } from '../../check/contract.ts';
import { isRecord } from '../../kube/values.ts';

/**
 * Argo CD reads these only as annotations. Labels of the argocd.argoproj.io prefix that are labels on
 * purpose stay out: the tracking label `instance`, `secret-type`, and OpenShift GitOps' namespace label
 * `managed-by` (it grants an Argo CD instance the namespace).
 */
const ANNOTATION_KEYS = [
  'argocd.argoproj.io/sync-wave',
  'argocd.argoproj.io/hook',
  'argocd.argoproj.io/hook-delete-policy',
  'argocd.argoproj.io/sync-options',
  'argocd.argoproj.io/compare-options',
  'argocd.argoproj.io/tracking-id',
];

/** Whether any label key (own or inherited, as `in` sees them) has Argo CD's prefix. */
function hasArgoKey(labels: Record<string, unknown>): boolean {
  for (const key in labels) if (key.startsWith('argocd.argoproj.io/')) return true;
  return false;
}

const configMap = (where: 'labels' | 'annotations') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
  ${where}:
    argocd.argoproj.io/sync-wave: "2"
data: {LOG_LEVEL: info}`;

export default defineRule({
  meta: {
    id: 'argocd-annotation-as-label',
    description: 'Argo CD settings (sync-wave, hook, sync-options...) are written as annotations, not labels.',
    defaultSeverity: 'warning',
    category: 'argocd',
    scope: 'resource',
    reach: 'scope',
    docs: {
      why: `Argo CD reads \`argocd.argoproj.io/sync-wave\`, \`hook\`, \`hook-delete-policy\`, \`sync-options\` and
\`compare-options\` from a resource's annotations only. Written under \`metadata.labels\` they are
ignored without a word: the resource syncs in wave 0, the "hook" runs as a plain resource, the sync
option does nothing. Kustomize's \`commonLabels\`/\`labels\` is the usual way it happens (it was meant to
be \`commonAnnotations\`).`,
      fix: `Move the key to \`metadata.annotations\` (in kustomize, \`commonAnnotations\`).`,
    },
    examples: { bad: configMap('labels'), good: configMap('annotations') },
  },
  check({ resource, report }) {
    const labels = resource.object.metadata?.labels ?? {};
    if (isRecord(labels) && !hasArgoKey(labels)) return; // nearly every object: no argocd.argoproj.io label
    for (const key of ANNOTATION_KEYS) {
      if (!(key in labels)) continue;
      report({
        resource,
        path: ['metadata', 'labels', key],
        message: `${resource.object.kind ?? 'Object'} "${resource.object.metadata?.name ?? '?'}" sets ${key} as a label; Argo CD reads it only as an annotation and ignores it here.`,
      });
    }
  },
});

import type { ResourceRule } from '../rule.ts';
import { findingAt } from '../rule.ts';
import { get, str } from '../values.ts';
import { relatedResources, sameNamespace } from '../workloads.ts';

export const hpaTargetExists: ResourceRule = {
  scope: 'resource',
  meta: {
    id: 'hpa-target-exists',
    description:
      "A HorizontalPodAutoscaler's scaleTargetRef names a workload deployed in the same environment and namespace.",
    defaultSeverity: 'error',
    category: 'reliability',
    docs: `An HPA whose target does not exist scales nothing and says so only in its status
(\`FailedGetScale\`), so the service runs at its base replica count through the next traffic peak. It
happens when a Deployment is renamed, or when a \`namePrefix\`/\`nameSuffix\` in an overlay renames the
Deployment but the HPA's reference is not updated (kustomize updates it only when both are in the
same kustomization).

**How to fix:** make \`scaleTargetRef\` name the workload's kind and rendered name.`,
    examples: {
      bad: `kind: HorizontalPodAutoscaler
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-v1}   # the Deployment is "web"`,
      good: `kind: HorizontalPodAutoscaler
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}`,
    },
  },
  check(ctx, resource, app) {
    if (resource.object.kind !== 'HorizontalPodAutoscaler') return [];
    const kind = str(get(resource.object, 'spec', 'scaleTargetRef', 'kind'));
    const name = str(get(resource.object, 'spec', 'scaleTargetRef', 'name'));
    if (!kind || !name) return [];
    const exists = relatedResources(ctx.apps, app).some(
      (r) => r.object.kind === kind && r.object.metadata?.name === name && sameNamespace(r.object, resource.object),
    );
    if (exists) return [];
    return [
      findingAt(
        this.meta,
        resource,
        ['spec', 'scaleTargetRef', 'name'],
        `HorizontalPodAutoscaler "${resource.object.metadata?.name ?? '?'}" targets ${kind} "${name}", which is not deployed here.`,
      ),
    ];
  },
};

import type { Resource } from '../../types.ts';
import { get, str } from '../../kube/values.ts';
import { isFlaggerCanary, targetRefOf } from '../../kube/rollouts.ts';
import { relatedResources, resourcesOfKind, sameNamespace } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

/** The autoscalers Flagger copies for the primary (autoscalerRef's kinds). */
const SCALERS = ['HorizontalPodAutoscaler', 'ScaledObject'];

/** The Canaries beside `scaler` whose target has the same kind as the scaler's target. */
function canariesFor(scaler: Resource, kind: string, related: Resource[]): Resource[] {
  return resourcesOfKind(related, 'Canary').filter(
    (canary) =>
      isFlaggerCanary(canary.object) &&
      sameNamespace(canary.object, scaler.object) &&
      get(canary.object, 'spec', 'targetRef', 'kind') === kind,
  );
}

export default defineRule({
  meta: {
    id: 'flagger-primary-scaler',
    description:
      "No HPA or ScaledObject scales a Flagger Canary's primary directly, and one that scales its target is the Canary's autoscalerRef.",
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: SCALERS,
    reach: 'scope',
    docs: {
      why: `Flagger runs a service as two workloads: \`<target>-primary\`, which serves, and the target itself,
scaled to zero between releases. It scales the primary by copying the autoscaler \`autoscalerRef\`
names into \`<autoscaler>-primary\` (pkg/canary/hpa_reconciler.go, scaler_reconciler.go). An autoscaler
of the repository's own on \`<target>-primary\` fights that copy, each setting the replica count in
turn. One on the target that \`autoscalerRef\` does not name scales only the canary during an
analysis, and the primary that serves runs at a fixed count.`,
      fix: `Point the HPA (or ScaledObject) at the Canary's target and name it in the Canary's \`autoscalerRef\`;
Flagger makes the primary's.`,
    },
    examples: {
      bad: `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  service: {port: 80}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-primary}
  minReplicas: 2
  maxReplicas: 10`,
      good: `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  autoscalerRef: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: web}
  service: {port: 80}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10`,
    },
  },
  check({ repo, app, resource, report }) {
    const kind = resource.object.kind ?? '';
    if (!SCALERS.includes(kind)) return;
    const ref = targetRefOf(resource.object);
    if (!ref) return;
    const what = `${kind} "${resource.object.metadata?.name ?? '?'}"`;
    for (const canary of canariesFor(resource, ref.kind, relatedResources(repo.apps, app))) {
      const target = str(get(canary.object, 'spec', 'targetRef', 'name'));
      const canaryName = canary.object.metadata?.name ?? '?';
      if (target && ref.name === `${target}-primary`) {
        report({
          resource,
          path: ref.path,
          message: `${what} scales ${ref.kind} "${ref.name}", the primary Flagger's Canary "${canaryName}" runs and scales itself; the two fight over its replicas.`,
          hint: `Target ${ref.kind} "${target}" and name this ${kind} in the Canary's autoscalerRef.`,
        });
        return;
      }
      if (target && ref.name === target) {
        const named = get(canary.object, 'spec', 'autoscalerRef');
        if (get(named, 'kind') === kind && get(named, 'name') === resource.object.metadata?.name) return;
        report({
          resource,
          path: ref.path,
          message: `${what} scales ${ref.kind} "${target}", the target of Flagger's Canary "${canaryName}", which does not name it in autoscalerRef; the serving primary is not autoscaled.`,
          hint: `Set autoscalerRef: {apiVersion: ${resource.object.apiVersion ?? '?'}, kind: ${kind}, name: ${resource.object.metadata?.name ?? '?'}} on the Canary.`,
        });
        return;
      }
    }
    return;
  },
});

import type { Resource } from '../../types.ts';
import { array, get, str } from '../../kube/values.ts';
import { targetRefOf, type TargetRef } from '../../kube/rollouts.ts';
import { relatedResources, resourcesOfKind, sameNamespace } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

// KEDA's annotations (apis/keda/v1alpha1/scaledobject_types.go).
const TRANSFER_OWNERSHIP = 'scaledobject.keda.sh/transfer-hpa-ownership';
const SKIP_OWNERSHIP_CHECK = 'validations.keda.sh/hpa-ownership';

const isKeda = (resource: Resource) => (resource.object.apiVersion ?? '').startsWith('keda.sh/');

/** The API group of an apiVersion ("apps/v1" → "apps", "v1" → ""). */
const group = (apiVersion: string | undefined) => (apiVersion?.includes('/') ? apiVersion.split('/')[0] : '');

/** Do two scale targets name the same workload (kind, group and name; the webhook's GVK check, versions aside)? */
function sameTarget(a: TargetRef, b: TargetRef): boolean {
  return a.kind === b.kind && a.name === b.name && group(a.apiVersion) === group(b.apiVersion);
}

/** Is the HPA the ScaledObject's own (an owner reference to it, as KEDA's HPA has)? */
function ownedBy(hpa: Resource, scaledObject: Resource): boolean {
  return array(hpa.object.metadata?.ownerReferences).some(
    (owner) => get(owner, 'kind') === 'ScaledObject' && get(owner, 'name') === scaledObject.object.metadata?.name,
  );
}

/** Does the ScaledObject take this HPA over (transfer-hpa-ownership with the HPA named in advanced)? */
function takesOver(scaledObject: Resource, hpa: Resource): boolean {
  return (
    scaledObject.object.metadata?.annotations?.[TRANSFER_OWNERSHIP] === 'true' &&
    str(get(scaledObject.object, 'spec', 'advanced', 'horizontalPodAutoscalerConfig', 'name')) ===
      hpa.object.metadata?.name
  );
}

export default defineRule({
  meta: {
    id: 'scaledobject-conflict',
    description:
      'A KEDA ScaledObject is the only autoscaler of its workload: no HorizontalPodAutoscaler and no other ScaledObject scales the same one.',
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: ['ScaledObject'],
    reach: 'scope',
    docs: {
      why: `KEDA scales a workload by making an HPA of its own for the ScaledObject. A second autoscaler on the
same workload (an HPA kept from before KEDA, or a second ScaledObject) sets the replica count in
turn with it. KEDA's admission webhook refuses such a ScaledObject ("the workload ... is already
managed by the hpa ...", apis/keda/v1alpha1/scaledobject_webhook.go), so Argo CD's sync fails; where
the webhook is not installed, the two fight. An HPA KEDA is told to take over
(\`scaledobject.keda.sh/transfer-hpa-ownership: "true"\` with the HPA's name in
\`spec.advanced.horizontalPodAutoscalerConfig.name\`) or one annotated
\`validations.keda.sh/hpa-ownership: "false"\` is left alone, as the webhook does.`,
      fix: `Delete the HPA (its CPU or memory target can be a \`cpu\`/\`memory\` trigger of the ScaledObject), or
have KEDA take it over with the transfer annotation; keep one ScaledObject per workload, with all its
triggers.`,
    },
    examples: {
      bad: `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: orders-consumer, namespace: shop}
spec:
  scaleTargetRef: {name: orders-consumer}
  minReplicaCount: 1
  maxReplicaCount: 20
  triggers:
    - type: kafka
      metadata: {bootstrapServers: kafka:9092, consumerGroup: orders, topic: orders, lagThreshold: "50"}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: orders-consumer, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: orders-consumer}
  minReplicas: 2
  maxReplicas: 10`,
      good: `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: orders-consumer, namespace: shop}
spec:
  scaleTargetRef: {name: orders-consumer}
  minReplicaCount: 1
  maxReplicaCount: 20
  triggers:
    - type: kafka
      metadata: {bootstrapServers: kafka:9092, consumerGroup: orders, topic: orders, lagThreshold: "50"}
    - type: cpu
      metricType: Utilization
      metadata: {value: "70"}`,
    },
  },
  check({ repo, app, resource, report }) {
    if (resource.object.kind !== 'ScaledObject' || !isKeda(resource)) return;
    const ref = targetRefOf(resource.object);
    if (!ref) return;
    const name = resource.object.metadata?.name ?? '?';
    const related = relatedResources(repo.apps, app);
    const beside = (kind: string) =>
      resourcesOfKind(related, kind).filter((other) => sameNamespace(other.object, resource.object));
    for (const hpa of beside('HorizontalPodAutoscaler')) {
      const hpaRef = targetRefOf(hpa.object);
      if (!hpaRef || !sameTarget(ref, hpaRef)) continue;
      if (
        hpa.object.metadata?.annotations?.[SKIP_OWNERSHIP_CHECK] === 'false' ||
        takesOver(resource, hpa) ||
        ownedBy(hpa, resource)
      )
        continue;
      report({
        resource,
        path: ref.path,
        message: `ScaledObject "${name}" scales ${ref.kind} "${ref.name}", which HorizontalPodAutoscaler "${hpa.object.metadata?.name ?? '?'}" already scales; KEDA's webhook refuses it (or the two fight).`,
        hint: `Remove the HPA, or take it over: annotation ${TRANSFER_OWNERSHIP}: "true" and spec.advanced.horizontalPodAutoscalerConfig.name.`,
      });
    }
    // Of two ScaledObjects on one workload, the second (by name) is the one reported.
    const earlier = beside('ScaledObject').find((other) => {
      const otherName = other.object.metadata?.name ?? '';
      const otherRef = targetRefOf(other.object);
      return isKeda(other) && otherName < name && !!otherRef && sameTarget(ref, otherRef);
    });
    if (earlier)
      report({
        resource,
        path: ref.path,
        message: `ScaledObject "${name}" scales ${ref.kind} "${ref.name}", which ScaledObject "${earlier.object.metadata?.name ?? '?'}" already scales; KEDA refuses a second one. Put all triggers in one.`,
      });
    return;
  },
});

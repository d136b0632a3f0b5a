import type { Resource } from '../../types.ts';
import { array, get, str } from '../../kube/values.ts';
import { refersTo, targetRefOf } from '../../kube/rollouts.ts';
import { podTemplateOf, relatedResources, resourcesOfKind, sameNamespace } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

const RESOURCES = ['cpu', 'memory'];

/**
 * The resources a VPA sets on its target's pods: none in updateMode Off; otherwise, per container, the
 * controlledResources of its containerPolicy (by name, else "*"), cpu and memory by default, none for a
 * policy in mode Off (autoscaler's vertical-pod-autoscaler API types). Without the workload, the "*"
 * policy (or the default) speaks for every container.
 */
export function vpaControlledResources(vpa: Resource, workload: Resource | undefined): string[] {
  if (str(get(vpa.object, 'spec', 'updatePolicy', 'updateMode')) === 'Off') return [];
  const policies = array(get(vpa.object, 'spec', 'resourcePolicy', 'containerPolicies'));
  const forContainer = (container: string): string[] => {
    const policy =
      policies.find((p) => get(p, 'containerName') === container) ??
      policies.find((p) => get(p, 'containerName') === '*');
    if (get(policy, 'mode') === 'Off') return [];
    const listed = array(get(policy, 'controlledResources')).map(String);
    return listed.length > 0 ? listed : RESOURCES;
  };
  const containers = workload
    ? array(get(podTemplateOf(workload.object)?.spec, 'containers')).flatMap((c) => str(get(c, 'name')) ?? [])
    : [];
  const names = containers.length > 0 ? containers : ['*'];
  return RESOURCES.filter((resource) => names.some((container) => forContainer(container).includes(resource)));
}

/** The resources an HPA scales on (v2 Resource and ContainerResource metrics; CPU when it lists none, as v1). */
export function hpaResources(hpa: Resource): string[] {
  if (hpa.object.kind === 'ScaledObject')
    return array(get(hpa.object, 'spec', 'triggers')).flatMap((trigger) => {
      const type = str(get(trigger, 'type'));
      return type && RESOURCES.includes(type) ? [type] : [];
    });
  const metrics = array(get(hpa.object, 'spec', 'metrics'));
  if (metrics.length === 0) return ['cpu'];
  return metrics.flatMap((metric) => {
    const name = str(get(metric, 'resource', 'name')) ?? str(get(metric, 'containerResource', 'name'));
    return name && RESOURCES.includes(name) ? [name] : [];
  });
}

export default defineRule({
  meta: {
    id: 'vpa-hpa-conflict',
    description:
      'A VerticalPodAutoscaler that sets CPU or memory requests does not share its workload with an HPA (or KEDA ScaledObject) scaling on the same resource.',
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: ['VerticalPodAutoscaler'],
    reach: 'scope',
    docs: {
      why: `An HPA on CPU or memory scales on usage as a share of the pods' requests; a VPA in \`Auto\`,
\`Recreate\`, \`InPlaceOrRecreate\` or \`Initial\` mode changes those requests from the same usage.
Each undoes the other: the VPA raises the requests, utilisation drops, the HPA removes pods, usage
per pod rises, and so on. The Vertical Pod Autoscaler's documentation says not to use the two on the
same resource metric. A VPA in \`updateMode: "Off"\` only recommends and is fine beside an HPA; so is
one that controls only the resource the HPA does not scale on (\`controlledResources: [memory]\` beside
a CPU HPA). An HPA without metrics scales on CPU, as do KEDA's \`cpu\` triggers.`,
      fix: `Set the VPA to \`updateMode: "Off"\` (recommendations only), limit its \`controlledResources\` to the
resource the HPA does not use, or scale horizontally on another metric (requests per second, queue
length).`,
    },
    examples: {
      bad: `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  updatePolicy: {updateMode: Auto}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}`,
      good: `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  updatePolicy: {updateMode: "Off"}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}`,
    },
  },
  check({ repo, app, resource, report }) {
    if (resource.object.kind !== 'VerticalPodAutoscaler') return;
    if (!(resource.object.apiVersion ?? '').startsWith('autoscaling.k8s.io/')) return;
    const ref = targetRefOf(resource.object);
    if (!ref) return;
    const related = relatedResources(repo.apps, app);
    const workload = resourcesOfKind(related, ref.kind).find((r) => refersTo(ref, resource.object, r.object));
    const controlled = vpaControlledResources(resource, workload);
    if (controlled.length === 0) return;
    const name = resource.object.metadata?.name ?? '?';
    for (const kind of ['HorizontalPodAutoscaler', 'ScaledObject']) {
      for (const scaler of resourcesOfKind(related, kind)) {
        const scalerRef = targetRefOf(scaler.object);
        if (!scalerRef || scalerRef.kind !== ref.kind || scalerRef.name !== ref.name) continue;
        if (!sameNamespace(scaler.object, resource.object)) continue;
        const shared = hpaResources(scaler).filter((r) => controlled.includes(r));
        if (shared.length === 0) continue;
        report({
          resource,
          path: ref.path,
          message: `VerticalPodAutoscaler "${name}" sets the ${shared.join(' and ')} requests of ${ref.kind} "${ref.name}", which ${kind} "${scaler.object.metadata?.name ?? '?'}" scales on ${shared.join(' and ')}; the two undo each other.`,
          hint: 'Set updatePolicy.updateMode: "Off" (recommend only), or limit controlledResources to what the HPA does not use.',
        });
      }
    }
    return;
  },
});

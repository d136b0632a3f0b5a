import { get } from '../../kube/values.ts';
import { autoscalersOf, relatedResources, REPLICATED_KINDS } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'hpa-replicas-conflict',
    description: 'A workload scaled by an HPA does not pin spec.replicas.',
    defaultSeverity: 'warning',
    category: 'reliability',
    scope: 'resource',
    docs: {
      why: `When an HPA scales a Deployment, the HPA owns \`spec.replicas\`. If Git also sets it, Argo CD
sees the HPA's change as drift: the app is OutOfSync all day, and with self-heal (or on every sync)
Argo CD resets the replica count to the Git value, dropping pods in the middle of a traffic peak
until the HPA scales them back.`,
      fix: `Remove \`replicas\` from the workload (and from the overlay's \`replicas:\` list) and
set \`minReplicas\` on the HPA instead. If you must keep it, tell Argo CD to ignore it with
\`ignoreDifferences\` on \`/spec/replicas\`.`,
    },
    examples: {
      bad: `kind: Deployment
metadata: {name: web}
spec:
  replicas: 3   # and an HPA targets web`,
      good: `kind: Deployment
metadata: {name: web}
spec:
  # no replicas: the HPA's minReplicas decides
  selector: {matchLabels: {app: web}}`,
    },
  },
  check({ repo, resource, app, report }) {
    if (!REPLICATED_KINDS.includes(resource.object.kind ?? '')) return;
    if (get(resource.object, 'spec', 'replicas') === undefined) return;
    const [hpa] = autoscalersOf(resource, relatedResources(repo.apps, app));
    if (!hpa) return;
    report({
      resource,
      path: ['spec', 'replicas'],
      message: `${resource.object.kind} "${resource.object.metadata?.name ?? '?'}" sets replicas but HorizontalPodAutoscaler "${hpa.object.metadata?.name ?? '?'}" scales it; Argo CD will fight the HPA.`,
      hint: 'Remove spec.replicas and set minReplicas on the HPA.',
    });
    return;
  },
});

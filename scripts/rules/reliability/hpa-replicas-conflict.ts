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
    kinds: REPLICATED_KINDS,
    reach: 'scope',
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
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3   # fights the HPA on every sync
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
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

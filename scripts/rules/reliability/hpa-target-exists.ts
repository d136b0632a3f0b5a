import { get, str } from '../../kube/values.ts';
import { definedElsewhere, relatedResources, sameNamespace, scopeIsComplete } from '../../kube/workloads.ts';
import type { Resource } from '../../types.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'hpa-target-exists',
    description:
      "A HorizontalPodAutoscaler's scaleTargetRef names a workload deployed in the same environment and namespace.",
    defaultSeverity: 'error',
    category: 'reliability',
    scope: 'resource',
    docs: {
      why: `An HPA whose target does not exist scales nothing and says so only in its status
(\`FailedGetScale\`), so the service runs at its base replica count through the next traffic peak. It
happens when a Deployment is renamed, or when a \`namePrefix\`/\`nameSuffix\` in an overlay renames the
Deployment but the HPA's reference is not updated (kustomize updates it only when both are in the
same kustomization).

A target that another folder of the repository deploys (folders applied one after the other) is
information: the repository does not say they are applied together.`,
      fix: `Make \`scaleTargetRef\` name the workload's kind and rendered name.`,
    },
    examples: {
      bad: `apiVersion: apps/v1
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
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-v1}
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
    // Absence proves nothing where part of the scope could not be rendered.
    if (!scopeIsComplete(repo.apps, app)) return;
    if (resource.object.kind !== 'HorizontalPodAutoscaler') return;
    const kind = str(get(resource.object, 'spec', 'scaleTargetRef', 'kind'));
    const name = str(get(resource.object, 'spec', 'scaleTargetRef', 'name'));
    if (!kind || !name) return;
    const isTarget = (r: Resource) =>
      r.object.kind === kind && r.object.metadata?.name === name && sameNamespace(r.object, resource.object);
    if (relatedResources(repo.apps, app).some(isTarget)) return;
    const elsewhere = definedElsewhere(repo.apps, app, isTarget);
    const hpa = `HorizontalPodAutoscaler "${resource.object.metadata?.name ?? '?'}" targets ${kind} "${name}"`;
    report({
      resource,
      path: ['spec', 'scaleTargetRef', 'name'],
      ...(elsewhere
        ? {
            severity: 'info' as const,
            message: `${hpa}, which only ${elsewhere.path ?? elsewhere.id} deploys (applied apart from this one); check the HPA scales the workload you mean.`,
          }
        : { message: `${hpa}, which is not deployed here.` }),
    });
    return;
  },
});

import { get, stringMap } from '../../kube/values.ts';
import { relatedResources, scopeIsComplete, workloadsSelectedBy } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'service-selects-pods',
    description: "A Service's selector matches the pods of a workload in the same environment and namespace.",
    defaultSeverity: 'error',
    category: 'cross-resource',
    scope: 'resource',
    kinds: ['Service'],
    reach: 'scope',
    docs: {
      why: `A Service whose selector matches no pod has no endpoints: every request to it fails with
"connection refused" or a 503 from the ingress, while every object looks healthy in Argo CD. It
happens when labels change on one side only (an overlay's \`labels\`, a renamed app label, a typo).

Services without a selector (ExternalName, or endpoints managed by hand) are not checked. The pods
may come from any app of the same environment and namespace.`,
      fix: `Make every selector pair a label of the workload's pod template.`,
    },
    examples: {
      bad: `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web-server}
  ports: [{name: http, port: 80, targetPort: http}]   # the pods are labelled app: web
---
apiVersion: apps/v1
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
          ports: [{name: http, containerPort: 8080}]`,
      good: `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: apps/v1
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
          ports: [{name: http, containerPort: 8080}]`,
    },
  },
  check({ repo, resource, app, report }) {
    // Absence proves nothing where part of the scope could not be rendered.
    if (!scopeIsComplete(repo.apps, app)) return;
    if (resource.object.kind !== 'Service' || get(resource.object, 'spec', 'type') === 'ExternalName') return;
    const selector = stringMap(get(resource.object, 'spec', 'selector'));
    if (Object.keys(selector).length === 0) return;
    if (workloadsSelectedBy(selector, resource.object, relatedResources(repo.apps, app)).length > 0) return;
    const text = Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    report({
      resource,
      path: ['spec', 'selector'],
      message: `Service "${resource.object.metadata?.name ?? '?'}" selects ${text}, which no workload's pods carry; it has no endpoints.`,
    });
    return;
  },
});

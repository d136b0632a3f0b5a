import { array, get } from '../../kube/values.ts';
import { relatedResources, sameNamespace, scopeIsComplete } from '../../kube/workloads.ts';
import { ingressBackends } from '../../kube/ingress.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'ingress-backend-exists',
    description:
      "An Ingress's backends name a Service (and a port of it) deployed in the same environment and namespace.",
    defaultSeverity: 'error',
    category: 'cross-resource',
    scope: 'resource',
    docs: {
      why: `An Ingress path whose backend Service does not exist, or does not have the named port, answers
every request with a 503 from the ingress controller. Renamed Services and \`namePrefix\` in one
overlay but not the other are the usual causes.`,
      fix: `Name the Service's rendered name and one of its \`ports\` (by number or by name).`,
    },
    examples: {
      bad: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web-svc, port: {name: http}}}   # the Service is "web"
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]`,
      good: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web, port: {name: http}}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]`,
    },
  },
  check({ repo, resource, app, report }) {
    // Absence proves nothing where part of the scope could not be rendered.
    if (!scopeIsComplete(repo.apps, app)) return;
    if (resource.object.kind !== 'Ingress') return;
    const services = relatedResources(repo.apps, app).filter(
      (r) => r.object.kind === 'Service' && sameNamespace(r.object, resource.object),
    );
    for (const backend of ingressBackends(resource.object)) {
      const service = services.find((s) => s.object.metadata?.name === backend.service);
      if (!service) {
        report({
          resource,
          path: backend.path,
          message: `Ingress "${resource.object.metadata?.name ?? '?'}" routes to Service "${backend.service}", which is not deployed here.`,
        });
        continue;
      }
      if (backend.port === undefined) continue;
      const ports = array(get(service.object, 'spec', 'ports'));
      const known = ports.some(
        (p) =>
          get(p, 'port') === backend.port ||
          get(p, 'name') === backend.port ||
          String(get(p, 'port')) === String(backend.port),
      );
      if (!known) {
        report({
          resource,
          path: backend.path,
          message: `Ingress "${resource.object.metadata?.name ?? '?'}" routes to port ${JSON.stringify(backend.port)} of Service "${backend.service}", which has no such port.`,
        });
      }
    }
    return;
  },
});

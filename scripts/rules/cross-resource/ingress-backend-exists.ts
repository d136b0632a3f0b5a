import { array, get } from '../../kube/values.ts';
import {
  definedElsewhere,
  namedOfKind,
  relatedResources,
  resourcesOfKind,
  sameNamespace,
  scopeIsComplete,
} from '../../kube/workloads.ts';
import { deploysPodsBeside } from '../../kube/selection.ts';
import { ingressBackends } from '../../kube/ingress.ts';
import { defineRule } from '../../check/contract.ts';
import type { Resource } from '../../types.ts';

export default defineRule({
  meta: {
    id: 'ingress-backend-exists',
    description:
      "An Ingress's backends name a Service (and a port of it) deployed in the same environment and namespace.",
    defaultSeverity: 'error',
    category: 'cross-resource',
    scope: 'resource',
    kinds: ['Ingress'],
    docs: {
      why: `An Ingress path whose backend Service does not exist, or does not have the named port, answers
every request with a 503 from the ingress controller. Renamed Services and \`namePrefix\` in one
overlay but not the other are the usual causes.

An Ingress in a namespace where the repository runs no Service and no workload (an operator's
namespace: NooBaa's \`s3\` Service in openshift-storage) routes to what the operator creates, and is
not judged; a Service only another folder of the repository deploys is information.`,
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
    const related = relatedResources(repo.apps, app);
    const isService = (r: Resource) => r.object.kind === 'Service' && sameNamespace(r.object, resource.object);
    // Nothing of the repository runs in this namespace: its Services are someone else's (an operator's).
    if (!resourcesOfKind(related, 'Service').some(isService) && !deploysPodsBeside(resource.object, related)) return;
    for (const backend of ingressBackends(resource.object)) {
      // The scope's Services by name (indexed once per scope), not a walk of every Service per Ingress.
      const service = namedOfKind(related, 'Service', backend.service).find(isService);
      if (!service) {
        const ingress = `Ingress "${resource.object.metadata?.name ?? '?'}" routes to Service "${backend.service}"`;
        const elsewhere = definedElsewhere(
          repo.apps,
          app,
          (r) => isService(r) && r.object.metadata?.name === backend.service,
        );
        report({
          resource,
          path: backend.path,
          ...(elsewhere
            ? {
                severity: 'info' as const,
                message: `${ingress}, which only ${elsewhere.path ?? elsewhere.id} deploys (applied apart from this one).`,
              }
            : { message: `${ingress}, which is not deployed here.` }),
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

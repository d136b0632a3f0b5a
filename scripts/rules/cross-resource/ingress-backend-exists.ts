import type { Finding } from '../../types.ts';
import type { ResourceRule } from '../rule.ts';
import { findingAt } from '../rule.ts';
import { array, get } from '../values.ts';
import { relatedResources, sameNamespace } from '../workloads.ts';
import { ingressBackends } from './ingress.ts';

export const ingressBackendExists: ResourceRule = {
  scope: 'resource',
  meta: {
    id: 'ingress-backend-exists',
    description:
      "An Ingress's backends name a Service (and a port of it) deployed in the same environment and namespace.",
    defaultSeverity: 'error',
    category: 'cross-resource',
    docs: `An Ingress path whose backend Service does not exist, or does not have the named port, answers
every request with a 503 from the ingress controller. Renamed Services and \`namePrefix\` in one
overlay but not the other are the usual causes.

**How to fix:** name the Service's rendered name and one of its \`ports\` (by number or by name).`,
    examples: {
      bad: `backend:
  service:
    name: web-svc       # the Service is "web"
    port: {number: 80}`,
      good: `backend:
  service:
    name: web
    port: {name: http}`,
    },
  },
  check(ctx, resource, app) {
    if (resource.object.kind !== 'Ingress') return [];
    const services = relatedResources(ctx.apps, app).filter(
      (r) => r.object.kind === 'Service' && sameNamespace(r.object, resource.object),
    );
    const findings: Finding[] = [];
    for (const backend of ingressBackends(resource.object)) {
      const service = services.find((s) => s.object.metadata?.name === backend.service);
      if (!service) {
        findings.push(
          findingAt(
            this.meta,
            resource,
            backend.path,
            `Ingress "${resource.object.metadata?.name ?? '?'}" routes to Service "${backend.service}", which is not deployed here.`,
          ),
        );
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
        findings.push(
          findingAt(
            this.meta,
            resource,
            backend.path,
            `Ingress "${resource.object.metadata?.name ?? '?'}" routes to port ${JSON.stringify(backend.port)} of Service "${backend.service}", which has no such port.`,
          ),
        );
      }
    }
    return findings;
  },
};

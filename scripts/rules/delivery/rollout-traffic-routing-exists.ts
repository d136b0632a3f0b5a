import type { JsonPath, Resource } from '../../types.ts';
import { array, get, isRecord, record, str } from '../../kube/values.ts';
import { findNamed, isRollout, rolloutStrategy } from '../../kube/rollouts.ts';
import { relatedResources, resourcesOfKind, sameNamespace, scopeIsComplete } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

interface Problem {
  path: JsonPath;
  message: string;
  /** The problem is that an object is not deployed: unprovable where the scope is not rendered whole. */
  absent?: boolean;
}

/** A VirtualService destination's Service: the host up to its first dot (the controller's getHost). */
function hostService(destination: unknown): string {
  const host = str(get(destination, 'destination', 'host')) ?? '';
  const dot = host.indexOf('.');
  return dot > 0 ? host.slice(0, dot) : dot < 0 ? host : '';
}

/** The HTTP routes of a VirtualService the controller patches (getHttpRouteIndexesToPatch). */
function routesToPatch(virtualService: Resource, routeNames: string[]): { routes: unknown[]; missing: string[] } {
  const http = array(get(virtualService.object, 'spec', 'http'));
  if (routeNames.length === 0) {
    if (http.length === 1) return { routes: http, missing: [] };
    const unnamed = http.find((route) => !str(get(route, 'name')));
    return { routes: unnamed ? [unnamed] : [], missing: unnamed ? [] : [''] };
  }
  const missing = routeNames.filter((route) => !http.some((candidate) => get(candidate, 'name') === route));
  return { routes: http.filter((route) => routeNames.includes(String(get(route, 'name')))), missing };
}

function istioProblems(
  canary: Record<string, unknown>,
  istio: Record<string, unknown>,
  rollout: Resource,
  related: Resource[],
): Problem[] {
  const problems: Problem[] = [];
  const destinationRule = isRecord(istio.destinationRule) ? istio.destinationRule : undefined;
  const stable = str(canary.stableService);
  const canaryService = str(canary.canaryService);
  const virtualServices = isRecord(istio.virtualService)
    ? [{ spec: istio.virtualService, path: ['virtualService'] as JsonPath }]
    : array(istio.virtualServices).map((spec, index) => ({
        spec: record(spec),
        path: ['virtualServices', index] as JsonPath,
      }));
  for (const { spec, path } of virtualServices) {
    const fullName = str(spec.name);
    if (!fullName) continue;
    // "namespace/name" names a VirtualService in another namespace.
    const [namespace, vsName] = fullName.includes('/') ? fullName.split('/', 2) : [undefined, fullName];
    const virtualService = resourcesOfKind(related, 'VirtualService').find(
      (r) =>
        r.object.metadata?.name === vsName &&
        (r.object.apiVersion ?? '').startsWith('networking.istio.io/') &&
        (namespace
          ? r.object.metadata?.namespace === namespace || !r.object.metadata?.namespace
          : sameNamespace(r.object, rollout.object)),
    );
    if (!virtualService) {
      problems.push({
        path: [...path, 'name'],
        message: `Istio VirtualService "${fullName}" is not deployed.`,
        absent: true,
      });
      continue;
    }
    const { routes, missing } = routesToPatch(virtualService, array(spec.routes).map(String));
    for (const route of missing)
      problems.push({
        path: [...path, ...(route ? ['routes'] : ['name'])],
        message: route
          ? `VirtualService "${vsName}" has no HTTP route named "${route}".`
          : `VirtualService "${vsName}" has several HTTP routes; name the one to shift in routes.`,
      });
    for (const route of routes) {
      const destinations = array(get(route, 'route'));
      const routeName = str(get(route, 'name')) ?? 'its route';
      const expected = destinationRule
        ? [
            ['subset', str(destinationRule.stableSubsetName)],
            ['subset', str(destinationRule.canarySubsetName)],
          ]
        : [
            ['host', stable],
            ['host', canaryService],
          ];
      for (const [what, value] of expected) {
        if (!value) continue;
        const found = destinations.some((d) =>
          what === 'subset' ? get(d, 'destination', 'subset') === value : hostService(d) === value,
        );
        if (!found)
          problems.push({
            path: [...path, 'name'],
            message: `VirtualService "${vsName}" (${routeName}) has no destination with ${what} "${value}"; the controller cannot shift traffic.`,
          });
      }
    }
  }
  if (destinationRule) {
    const drName = str(destinationRule.name);
    const rule = drName ? findNamed(related, ['DestinationRule'], drName, rollout.object) : undefined;
    if (drName && !rule)
      problems.push({
        path: ['destinationRule', 'name'],
        message: `Istio DestinationRule "${drName}" is not deployed.`,
        absent: true,
      });
    if (rule) {
      const subsets = array(get(rule.object, 'spec', 'subsets')).map((subset) => str(get(subset, 'name')));
      for (const key of ['stableSubsetName', 'canarySubsetName']) {
        const subset = str(destinationRule[key]);
        if (subset && !subsets.includes(subset))
          problems.push({
            path: ['destinationRule', key],
            message: `DestinationRule "${drName}" has no subset "${subset}".`,
          });
      }
    }
  }
  return problems;
}

function nginxProblems(
  canary: Record<string, unknown>,
  nginx: Record<string, unknown>,
  rollout: Resource,
  related: Resource[],
): Problem[] {
  const problems: Problem[] = [];
  const stable = str(canary.stableService);
  const ingresses = [
    ...(str(nginx.stableIngress) ? [{ name: String(nginx.stableIngress), path: ['stableIngress'] as JsonPath }] : []),
    ...array(nginx.stableIngresses).map((name, index) => ({
      name: String(name),
      path: ['stableIngresses', index] as JsonPath,
    })),
  ];
  for (const { name, path } of ingresses) {
    const ingress = findNamed(related, ['Ingress'], name, rollout.object);
    if (!ingress) {
      problems.push({ path, message: `Ingress "${name}" is not deployed in the Rollout's namespace.`, absent: true });
      continue;
    }
    const backends = array(get(ingress.object, 'spec', 'rules')).flatMap((rule) =>
      array(get(rule, 'http', 'paths')).map(
        (p) => str(get(p, 'backend', 'service', 'name')) ?? str(get(p, 'backend', 'serviceName')),
      ),
    );
    if (stable && !backends.includes(stable))
      problems.push({
        path,
        message: `Ingress "${name}" has no rule with the stable Service "${stable}" as its backend.`,
      });
  }
  return problems;
}

export default defineRule({
  meta: {
    id: 'rollout-traffic-routing-exists',
    description:
      'The traffic routing a Rollout names exists and routes to its Services: Istio VirtualServices with the named routes and destinations, DestinationRules with the subsets, NGINX Ingresses with the stable Service as backend.',
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: ['Rollout'],
    reach: 'scope',
    docs: {
      why: `With traffic routing, Argo Rollouts shifts weight by editing objects it does not own: the weights of
an Istio VirtualService's route (between the stable and canary Services, or the DestinationRule's stable
and canary subsets), or a copy of the stable NGINX Ingress. When the VirtualService, a named route, a
destination, a subset or the Ingress is missing, or the route does not reach the Services the Rollout
names, the controller stops the update with an error (argo-rollouts rollout/trafficrouting/istio
\`ValidateHTTPRoutes\`, \`validation_references.go\`) and the canary never gets its share.`,
      fix: `Deploy the VirtualService (and DestinationRule) or Ingress with the Rollout, with one HTTP route (or
the routes listed under \`routes\`) whose destinations are the stable and canary Services or subsets,
and an Ingress whose backend is the stable Service.`,
    },
    examples: {
      bad: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: ghcr.io/acme/web:1.4.2}
  strategy:
    canary:
      trafficRouting:
        istio:
          virtualService: {name: web, routes: [primary]}
          destinationRule: {name: web, canarySubsetName: canary, stableSubsetName: stable}
      steps:
        - setWeight: 20
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [web]
  http:
    - name: main
      route:
        - destination: {host: web, subset: stable}
          weight: 100`,
      good: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: ghcr.io/acme/web:1.4.2}
  strategy:
    canary:
      trafficRouting:
        istio:
          virtualService: {name: web, routes: [primary]}
          destinationRule: {name: web, canarySubsetName: canary, stableSubsetName: stable}
      steps:
        - setWeight: 20
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [web]
  http:
    - name: primary
      route:
        - destination: {host: web, subset: stable}
          weight: 100
        - destination: {host: web, subset: canary}
          weight: 0
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: shop}
spec:
  host: web
  subsets:
    - {name: stable, labels: {app: web}}
    - {name: canary, labels: {app: web}}`,
    },
  },
  check({ repo, app, resource, report }) {
    if (!isRollout(resource.object)) return;
    const strategy = rolloutStrategy(resource.object);
    if (strategy?.kind !== 'canary') return;
    const routing = record(strategy.spec.trafficRouting);
    const related = relatedResources(repo.apps, app);
    const base: JsonPath = [...strategy.path, 'trafficRouting'];
    const name = resource.object.metadata?.name ?? '?';
    const problems = [
      ...(isRecord(routing.istio)
        ? istioProblems(strategy.spec, routing.istio, resource, related).map((p) => ({
            ...p,
            path: ['istio', ...p.path],
          }))
        : []),
      ...(isRecord(routing.nginx)
        ? nginxProblems(strategy.spec, routing.nginx, resource, related).map((p) => ({
            ...p,
            path: ['nginx', ...p.path],
          }))
        : []),
    ];
    // Absence proves nothing where part of the scope could not be rendered.
    const complete = scopeIsComplete(repo.apps, app);
    for (const problem of problems.filter((each) => complete || !each.absent))
      report({ resource, path: [...base, ...problem.path], message: `Rollout "${name}": ${problem.message}` });
    return;
  },
});

// rollout-traffic-routing-exists: its failing and passing cases (scripts/rules/delivery/rollout-traffic-routing-exists.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';
import { docs, partialScope, rollout } from './fixtures.ts';

const virtualService = (route: string, destinations: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [web]
  http:
    - name: ${route}
      route:
${destinations}
`;
const destinationRule = (subsets: string[]) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: shop}
spec:
  host: web
  subsets:
${subsets.map((name) => `    - {name: ${name}, labels: {app: web}}`).join('\n')}
`;

test('rollout-traffic-routing-exists: a route the VirtualService lacks, a missing subset, Services not in the route', () => {
  const subsets = rollout(
    'canary:\n  trafficRouting:\n    istio:\n      virtualService: {name: web, routes: [primary]}\n      destinationRule: {name: web, canarySubsetName: canary, stableSubsetName: stable}\n  steps: [{setWeight: 10}]',
  );
  const yaml = docs(
    subsets,
    virtualService('main', '        - {destination: {host: web, subset: stable}}'),
    destinationRule(['stable']),
  );
  const findings = runRule('rollout-traffic-routing-exists', single(yaml));
  assert.deepEqual(where(findings), [
    ['rollout-traffic-routing-exists', 'app/resources.yaml', lineOf(yaml, 'routes: [primary]')],
    ['rollout-traffic-routing-exists', 'app/resources.yaml', lineOf(yaml, 'canarySubsetName')],
  ]);
  assert.match(findings[1].message, /no subset "canary"/);

  const hosts = rollout(
    'canary:\n  stableService: web-stable\n  canaryService: web-canary\n  trafficRouting:\n    istio:\n      virtualService: {name: web}\n  steps: [{setWeight: 10}]',
  );
  const routed = docs(
    hosts,
    virtualService('primary', '        - {destination: {host: web-stable.shop.svc.cluster.local}}'),
  );
  const missing = runRule('rollout-traffic-routing-exists', single(routed));
  assert.deepEqual(where(missing), [
    ['rollout-traffic-routing-exists', 'app/resources.yaml', lineOf(routed, 'virtualService: {name: web}')],
  ]);
  assert.match(missing[0].message, /host "web-canary"/);
});

test('rollout-traffic-routing-exists: an NGINX stable Ingress that is missing or routes elsewhere', () => {
  const nginx = rollout(
    'canary:\n  stableService: web-stable\n  canaryService: web-canary\n  trafficRouting:\n    nginx: {stableIngress: web, stableIngresses: [web-admin]}\n  steps: [{setWeight: 10}]',
  );
  const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
`;
  const yaml = docs(nginx, ingress);
  assert.deepEqual(where(runRule('rollout-traffic-routing-exists', single(yaml))), [
    ['rollout-traffic-routing-exists', 'app/resources.yaml', lineOf(yaml, 'nginx:')],
    ['rollout-traffic-routing-exists', 'app/resources.yaml', lineOf(yaml, 'nginx:')],
  ]);
  const fixed = docs(
    nginx.replace(', stableIngresses: [web-admin]', ''),
    ingress.replace('name: web, port', 'name: web-stable, port'),
  );
  assert.deepEqual(runRule('rollout-traffic-routing-exists', single(fixed)), []);
});

test('rollout-traffic-routing-exists: a VirtualService routing to both subsets and a DestinationRule with both pass', () => {
  const yaml = docs(
    rollout(
      'canary:\n  trafficRouting:\n    istio:\n      virtualService: {name: web, routes: [primary]}\n      destinationRule: {name: web, canarySubsetName: canary, stableSubsetName: stable}\n  steps: [{setWeight: 10}]',
    ),
    virtualService(
      'primary',
      '        - {destination: {host: web, subset: stable}, weight: 100}\n        - {destination: {host: web, subset: canary}, weight: 0}',
    ),
    destinationRule(['stable', 'canary']),
  );
  assert.deepEqual(runRule('rollout-traffic-routing-exists', single(yaml)), []);
});

test('rollout-traffic-routing-exists: missing routing objects are not reported where part of the scope could not be rendered', () => {
  const yaml = rollout(
    'canary:\n  stableService: web-stable\n  canaryService: web-canary\n  trafficRouting:\n    istio:\n      virtualService: {name: web}\n      destinationRule: {name: web, canarySubsetName: canary, stableSubsetName: stable}\n  steps: [{setWeight: 10}]',
  );
  assert.equal(runRule('rollout-traffic-routing-exists', single(yaml)).length, 2);
  assert.deepEqual(runRule('rollout-traffic-routing-exists', partialScope(yaml)), []);
});

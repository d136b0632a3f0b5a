import { array, get, str } from '../../kube/values.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'ingress-tls',
    description: 'Every host an Ingress serves is covered by its tls section.',
    defaultSeverity: 'warning',
    category: 'cross-resource',
    scope: 'resource',
    kinds: ['Ingress'],
    reach: 'scope',
    docs: {
      why: `An Ingress host without TLS serves plain HTTP: credentials and session cookies cross the network
in clear text, and browsers mark the site as not secure. With cert-manager, adding the host to
\`spec.tls\` (and the issuer annotation) is all it takes to get a certificate.`,
      fix: `List every host of \`spec.rules\` under \`spec.tls[].hosts\` with a \`secretName\`.`,
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
            backend: {service: {name: web, port: {name: http}}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]`,
      good: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop, annotations: {cert-manager.io/cluster-issuer: letsencrypt}}
spec:
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
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
  check({ resource, report }) {
    if (resource.object.kind !== 'Ingress') return;
    const covered = array(get(resource.object, 'spec', 'tls')).flatMap((tls) => array(get(tls, 'hosts')).map(String));
    const name = resource.object.metadata?.name ?? '?';
    const rules = array(get(resource.object, 'spec', 'rules'));
    if (covered.length === 0) {
      report({
        resource,
        path: rules.length ? ['spec', 'rules'] : ['spec'],
        message: `Ingress "${name}" has no tls section; it serves plain HTTP.`,
      });
      return;
    }
    rules.forEach((rule, index) => {
      const host = str(get(rule, 'host'));
      if (host && !covered.some((pattern) => hostMatches(pattern, host))) {
        report({
          resource,
          path: ['spec', 'rules', index, 'host'],
          message: `Ingress "${name}" serves host ${host} without TLS: no spec.tls entry lists it.`,
        });
      }
    });
    return;
  },
});

/** "*.example.com" covers one label: a.example.com but not example.com or a.b.example.com. */
function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
}

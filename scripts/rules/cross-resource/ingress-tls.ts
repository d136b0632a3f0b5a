import type { Finding } from '../../types.ts';
import type { ResourceRule } from '../rule.ts';
import { findingAt } from '../rule.ts';
import { array, get, str } from '../values.ts';

export const ingressTls: ResourceRule = {
  scope: 'resource',
  meta: {
    id: 'ingress-tls',
    description: 'Every host an Ingress serves is covered by its tls section.',
    defaultSeverity: 'warning',
    category: 'cross-resource',
    docs: `An Ingress host without TLS serves plain HTTP: credentials and session cookies cross the network
in clear text, and browsers mark the site as not secure. With cert-manager, adding the host to
\`spec.tls\` (and the issuer annotation) is all it takes to get a certificate.

**How to fix:** list every host of \`spec.rules\` under \`spec.tls[].hosts\` with a \`secretName\`.`,
    examples: {
      bad: `spec:
  rules:
    - host: shop.example.com`,
      good: `metadata:
  annotations: {cert-manager.io/cluster-issuer: letsencrypt}
spec:
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com`,
    },
  },
  check(_ctx, resource) {
    if (resource.object.kind !== 'Ingress') return [];
    const covered = array(get(resource.object, 'spec', 'tls')).flatMap((tls) => array(get(tls, 'hosts')).map(String));
    const findings: Finding[] = [];
    const name = resource.object.metadata?.name ?? '?';
    const rules = array(get(resource.object, 'spec', 'rules'));
    if (covered.length === 0) {
      return [
        findingAt(
          this.meta,
          resource,
          rules.length ? ['spec', 'rules'] : ['spec'],
          `Ingress "${name}" has no tls section; it serves plain HTTP.`,
        ),
      ];
    }
    rules.forEach((rule, index) => {
      const host = str(get(rule, 'host'));
      if (host && !covered.some((pattern) => hostMatches(pattern, host))) {
        findings.push(
          findingAt(
            this.meta,
            resource,
            ['spec', 'rules', index, 'host'],
            `Ingress "${name}" serves host ${host} without TLS: no spec.tls entry lists it.`,
          ),
        );
      }
    });
    return findings;
  },
};

/** "*.example.com" covers one label: a.example.com but not example.com or a.b.example.com. */
function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
}

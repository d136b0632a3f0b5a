import { array, get, str } from '../../kube/values.ts';
import { defineRule } from '../../check/contract.ts';

/** Cloud annotations that make a LoadBalancer Service internal (a private address in the VPC). */
const INTERNAL_LOAD_BALANCER: readonly [annotation: string, value: RegExp][] = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
  ['service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', /^private$/i],
];

const service = (spec: string) => `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
${spec}
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]`;

export default defineRule({
  meta: {
    id: 'service-exposed',
    description: 'Services are not exposed outside the cluster (NodePort, or an unrestricted public LoadBalancer).',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    kinds: ['Service'],
    reach: 'scope',
    docs: {
      why: `A \`NodePort\` Service opens its port on every node of the cluster, outside the Ingress and its TLS,
authentication and rate limits; a \`LoadBalancer\` Service gets a public address by default. Either
makes the service reachable by whoever can reach the nodes or the internet, usually by accident (a
port opened while debugging, a chart's default).

A LoadBalancer that a cloud annotation makes internal (\`service.beta.kubernetes.io/aws-load-balancer-scheme:
internal\`, \`networking.gke.io/load-balancer-type: Internal\`, Azure's, OCI's, IBM's) or that
\`loadBalancerSourceRanges\` restricts passes. A warning: the ingress controller's own Service is meant
to be public; exempt it with the ignore annotation and a reason.`,
      fix: `Use \`type: ClusterIP\` behind the Ingress, or make the load balancer internal or restricted to
known source ranges.`,
    },
    examples: { bad: service('  type: NodePort'), good: service('  type: ClusterIP') },
  },
  check({ resource, report }) {
    if (resource.object.kind !== 'Service' || resource.object.apiVersion !== 'v1') return;
    const type = str(get(resource.object, 'spec', 'type'));
    const name = resource.object.metadata?.name ?? '?';
    if (type === 'NodePort') {
      report({
        resource,
        path: ['spec', 'type'],
        message: `Service "${name}" is a NodePort: its port is open on every node of the cluster.`,
      });
      return;
    }
    if (type !== 'LoadBalancer') return;
    if (array(get(resource.object, 'spec', 'loadBalancerSourceRanges')).length > 0) return;
    const annotations = resource.object.metadata?.annotations ?? {};
    if (INTERNAL_LOAD_BALANCER.some(([key, value]) => value.test(String(annotations[key] ?? '')))) return;
    report({
      resource,
      path: ['spec', 'type'],
      message: `Service "${name}" is a LoadBalancer with no internal annotation and no loadBalancerSourceRanges: it gets a public address.`,
    });
  },
});

import { get, str } from '../../kube/values.ts';
import { defineRule } from '../../check/contract.ts';

const ANNOTATION = 'kubernetes.io/ingress.class';

const ingress = (metadata: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop${metadata}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}`;

export default defineRule({
  meta: {
    id: 'ingress-class-conflict',
    description: 'An Ingress names its class once: spec.ingressClassName or the old annotation, not both.',
    defaultSeverity: 'error',
    category: 'api',
    scope: 'resource',
    kinds: ['Ingress'],
    reach: 'scope',
    docs: {
      why: `\`spec.ingressClassName\` replaced the \`kubernetes.io/ingress.class\` annotation in networking.k8s.io/v1.
The API server refuses to create an Ingress that sets both ("annotations.kubernetes.io/ingress.class:
Invalid value: can not be set when the class field is also set"), so Argo CD's sync of a new Ingress
fails. It happens when a base sets the annotation and an overlay adds the field, or the other way.

An error: the object cannot be created.`,
      fix: `Remove the \`kubernetes.io/ingress.class\` annotation and keep \`spec.ingressClassName\`.`,
    },
    examples: {
      bad: ingress(`\n  annotations: {${ANNOTATION}: nginx}`),
      good: ingress(''),
    },
  },
  check({ resource, report }) {
    if (resource.object.kind !== 'Ingress') return;
    const annotation = resource.object.metadata?.annotations?.[ANNOTATION];
    const field = str(get(resource.object, 'spec', 'ingressClassName'));
    if (annotation === undefined || field === undefined) return;
    report({
      resource,
      path: ['metadata', 'annotations', ANNOTATION],
      message: `Ingress "${resource.object.metadata?.name ?? '?'}" sets both the ${ANNOTATION} annotation (${String(annotation)}) and spec.ingressClassName (${field}): the API server refuses to create it.`,
    });
  },
});

import type { Resource } from '../../types.ts';
import { array, get } from '../../kube/values.ts';
import { OPERATOR_API_FACTS, unservedOperatorApi } from '../../kube/operator-api-versions.ts';
import { relatedResources, resourcesOfKind } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

const certificate = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: Certificate
metadata: {name: web-tls, namespace: shop}
spec:
  secretName: web-tls
  dnsNames: [shop.example.com]
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}`;

/** The repository ships the CRD itself and it still serves that version: the team pins an older operator. */
function servedByShippedCrd(resource: Resource, resources: Resource[]): boolean {
  const [group, version] = (resource.object.apiVersion ?? '').split('/');
  return resourcesOfKind(resources, 'CustomResourceDefinition').some(
    (crd) =>
      get(crd.object, 'spec', 'group') === group &&
      get(crd.object, 'spec', 'names', 'kind') === resource.object.kind &&
      array(get(crd.object, 'spec', 'versions')).some((v) => get(v, 'name') === version && get(v, 'served') !== false),
  );
}

export default defineRule({
  meta: {
    id: 'operator-api-removed',
    description: "Custom resources do not use an API version their operator's current releases no longer serve.",
    defaultSeverity: 'warning',
    category: 'api',
    scope: 'resource',
    reach: 'scope',
    docs: {
      why: `Operators retire old versions of their custom resources the way Kubernetes retires beta APIs: once
the operator is upgraded, its CRD stops serving the old version and every manifest still written
against it fails to apply ("no matches for kind ... in version ..."), so Argo CD cannot sync it. The
table of facts, each with its source:

${OPERATOR_API_FACTS.map((f) => `- ${f.group} ${f.versions.join(', ')}${f.kinds.includes('*') ? '' : ` (${f.kinds.join(', ')})`}: not served since ${f.operator} ${f.stoppedIn}; use ${f.replacement} (${f.source}).`).join('\n')}

A warning rather than an error: the repository does not say which operator version the cluster runs.
When the repository ships the operator's CRD and that CRD still serves the version, nothing is reported.`,
      fix: `Move the resource to the replacement apiVersion (read the operator's upgrade notes: fields may have
changed), before upgrading the operator.`,
    },
    examples: { bad: certificate('cert-manager.io/v1alpha2'), good: certificate('cert-manager.io/v1') },
  },
  check({ repo, app, resource, report }) {
    const fact = unservedOperatorApi(resource.object.apiVersion ?? '', resource.object.kind ?? '');
    if (!fact || servedByShippedCrd(resource, relatedResources(repo.apps, app))) return;
    report({
      resource,
      path: ['apiVersion'],
      message: `${resource.object.kind ?? 'Object'} "${resource.object.metadata?.name ?? '?'}" uses ${resource.object.apiVersion}, which ${fact.operator} no longer serves since ${fact.stoppedIn}; use ${fact.replacement}.`,
    });
  },
});

import { get, str } from '../../kube/values.ts';
import { defineRule } from '../../check/contract.ts';

// The scope annotations (bitnami-labs/sealed-secrets pkg/apis/sealedsecrets/v1alpha1/types.go).
const CLUSTER_WIDE = 'sealedsecrets.bitnami.com/cluster-wide';
const NAMESPACE_WIDE = 'sealedsecrets.bitnami.com/namespace-wide';

/** The scope the controller decrypts with: read from the SealedSecret's own annotations (SecretScope). */
function scopeOf(annotations: Record<string, string> | undefined): 'strict' | 'namespace-wide' | 'cluster-wide' {
  if (annotations?.[CLUSTER_WIDE] === 'true') return 'cluster-wide';
  if (annotations?.[NAMESPACE_WIDE] === 'true') return 'namespace-wide';
  return 'strict';
}

export default defineRule({
  meta: {
    id: 'sealed-secret-scope',
    description:
      "A SealedSecret is deployed under the name and namespace it was sealed for: the overlay's namePrefix, nameSuffix or namespace does not change what its scope binds.",
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: ['SealedSecret'],
    reach: 'scope',
    docs: {
      why: `kubeseal encrypts a Secret with its namespace and name as part of the ciphertext's label (strict
scope, the default; namespace only with \`sealedsecrets.bitnami.com/namespace-wide\`; nothing with
\`cluster-wide\`), and the controller decrypts with the SealedSecret's own name and namespace as it
finds them in the cluster (pkg/apis/sealedsecrets/v1alpha1 \`Unseal\`). A kustomize \`namePrefix\`,
\`nameSuffix\` or \`namespace\` in an overlay renames the SealedSecret but not what it was sealed
for, so the controller fails with "no key could decrypt secret" and the Secret is never made, while
Argo CD shows the SealedSecret as synced (bitnami-labs/sealed-secrets #294, #297). kubeseal records
the sealed name and namespace in \`spec.template.metadata\`; the rule compares the rendered object
with them and says nothing where they are not written.`,
      fix: `Seal the Secret again for the name and namespace the overlay gives it (\`kubeseal --name ...
--namespace ...\`), exclude the SealedSecret from the prefix (a separate kustomization without
namePrefix), or seal it \`--scope namespace-wide\` (namespace changes still break it) or
\`cluster-wide\`.`,
    },
    examples: {
      bad: `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: prod-db-credentials, namespace: shop}
spec:
  encryptedData:
    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq
  template:
    metadata: {name: db-credentials, namespace: shop}`,
      good: `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db-credentials, namespace: shop}
spec:
  encryptedData:
    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq
  template:
    metadata: {name: db-credentials, namespace: shop}`,
    },
  },
  check({ resource, report }) {
    const object = resource.object;
    if (object.kind !== 'SealedSecret' || !(object.apiVersion ?? '').startsWith('bitnami.com/')) return;
    const scope = scopeOf(object.metadata?.annotations);
    if (scope === 'cluster-wide') return;
    const name = object.metadata?.name;
    const sealedName = str(get(object, 'spec', 'template', 'metadata', 'name'));
    const namespace = object.metadata?.namespace;
    const sealedNamespace = str(get(object, 'spec', 'template', 'metadata', 'namespace'));
    if (namespace && sealedNamespace && namespace !== sealedNamespace)
      report({
        resource,
        path: ['metadata', 'namespace'],
        message: `SealedSecret "${name ?? '?'}" is deployed to namespace "${namespace}" but was sealed for "${sealedNamespace}" (${scope} scope); the controller cannot decrypt it and the Secret is never made.`,
        hint: `Seal it again for namespace ${namespace}, or keep the overlay from changing its namespace.`,
      });
    if (scope === 'strict' && name && sealedName && name !== sealedName)
      report({
        resource,
        path: ['metadata', 'name'],
        message: `SealedSecret "${name}" was sealed as "${sealedName}" (strict scope); the controller cannot decrypt it under the new name and the Secret is never made.`,
        hint: `Seal it again as ${name} (kubeseal --name ${name}), keep namePrefix/nameSuffix off it, or seal it namespace-wide.`,
      });
    return;
  },
});

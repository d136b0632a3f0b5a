import { record } from '../../kube/values.ts';
import { looksLikeReference } from '../../kube/secret-detect.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'no-plaintext-secrets',
    description: 'No Secret with data or stringData is stored in the repository (base64 is not encryption).',
    defaultSeverity: 'error',
    category: 'secrets',
    scope: 'resource',
    kinds: ['Secret'],
    reach: 'scope',
    everyTrackedFile: true,
    docs: {
      why: `A \`kind: Secret\` in Git gives its values to everyone who can read the repository, its forks,
its CI logs and its history forever: \`data\` is base64, an encoding anyone reverses with one command,
not encryption. A kustomize \`secretGenerator\` with literals or files in the repository is the same
thing.

The ways out keep only ciphertext or a reference in Git:
- **SealedSecret** (Bitnami Sealed Secrets): encrypted for the cluster's key;
- **ExternalSecret** (External Secrets Operator): a pointer into Vault, AWS/GCP secret managers...;
- **SOPS**: a Secret file encrypted with \`sops\` (it carries a top-level \`sops:\` key) and decrypted by
  a kustomize plugin (KSOPS) at render time. Such files pass.

A Secret with no data (only a type or annotations, for example a service-account token Secret) passes.`,
      fix: `Move the values into a SealedSecret or an ExternalSecret, delete the Secret from the
repository, and rotate the credentials: they are in the Git history.`,
    },
    examples: {
      bad: `apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
stringData:
  password: hunter2`,
      good: `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: db, namespace: shop}
spec:
  secretStoreRef: {name: vault, kind: ClusterSecretStore}
  target: {name: db}
  data:
    - secretKey: password
      remoteRef: {key: shop/db, property: password}`,
    },
  },
  check({ resource, report }) {
    const object = resource.object;
    if (object.kind !== 'Secret' || !(object.apiVersion === 'v1' || object.apiVersion === undefined)) return;
    if ('sops' in object) return; // encrypted with SOPS: the values are ciphertext
    for (const field of ['data', 'stringData'] as const) {
      // A value that only points somewhere (a file path, a URL without credentials) holds no credential.
      const values = Object.entries(record(object[field])).filter(
        ([, value]) =>
          value !== null && value !== '' && !looksLikeReference(field === 'data' ? decoded(value) : String(value)),
      );
      if (values.length === 0) continue;
      const keys = values.map(([key]) => key).sort();
      report({
        resource,
        path: [field],
        message: `Secret "${object.metadata?.name ?? '?'}" stores ${keys.length === 1 ? 'key' : 'keys'} ${keys.map((k) => `"${k}"`).join(', ')} in plain ${field} in the repository; base64 is not encryption.`,
        hint: 'Use a SealedSecret, an ExternalSecret or a SOPS-encrypted file, and rotate these credentials: they are in the Git history.',
      });
    }
    return;
  },
});

/** A `data` value as text; a value that is not base64 stays as written (the schema stage reports it). */
function decoded(value: unknown): string {
  const text = String(value);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text.trim())) return text;
  return Buffer.from(text.trim(), 'base64').toString('utf8');
}

// `gitops seal` (issue 19): a SealedSecret in the format kubeseal writes, sealed with the controller's
// public certificate, so the controller decrypts it as if kubeseal had written it. Written from the
// format's definition in bitnami-labs/sealed-secrets (pkg/crypto: HybridEncrypt; the v1alpha1 API:
// EncryptionLabel, scope annotations): each value is AES-256-GCM encrypted with a fresh 32-byte session
// key and a zero nonce (the key is used once), the session key RSA-OAEP (SHA-256) encrypted with the
// scope's label, and the three joined as <RSA ciphertext length, 2 bytes big-endian> <RSA ciphertext>
// <AES ciphertext and tag>, base64. Node's crypto does all of it: no library is needed.
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { InputError } from '../errors.ts';

export const SCOPES = ['strict', 'namespace-wide', 'cluster-wide'] as const;
export type SealingScope = (typeof SCOPES)[number];

export const NAMESPACE_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/namespace-wide';
export const CLUSTER_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/cluster-wide';

const SESSION_KEY_BYTES = 32;
const GCM_NONCE_BYTES = 12;

/**
 * The controller's public key from what `kubeseal --fetch-cert` prints (a PEM certificate), or a PEM
 * public key. Only RSA: the scheme is RSA-OAEP.
 */
export function readPublicKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = pem.includes('-----BEGIN CERTIFICATE-----')
      ? new X509Certificate(pem).publicKey
      : pem.includes('PUBLIC KEY-----')
        ? createPublicKey(pem)
        : (() => {
            throw new Error('no PEM certificate');
          })();
  } catch {
    throw new InputError(
      `${source}: not a PEM certificate or public key. Give the controller's certificate (kubeseal --fetch-cert > cert.pem)`,
    );
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new InputError(`${source}: a ${key.asymmetricKeyType} key; the sealed-secrets controller's key is RSA`);
  return key;
}

/** The label that binds a value to where it may be decrypted: namespace/name, the namespace, or nothing. */
export function encryptionLabel(namespace: string, name: string, scope: SealingScope): Buffer {
  if (scope === 'cluster-wide') return Buffer.alloc(0);
  return Buffer.from(scope === 'namespace-wide' ? namespace : `${namespace}/${name}`);
}

/** The scope a SealedSecret's annotations declare (cluster-wide wins, as in the controller). */
export function scopeOf(annotations: Record<string, unknown> | undefined): SealingScope {
  if (annotations?.[CLUSTER_WIDE_ANNOTATION] === 'true') return 'cluster-wide';
  if (annotations?.[NAMESPACE_WIDE_ANNOTATION] === 'true') return 'namespace-wide';
  return 'strict';
}

/** One value, sealed: base64 of length, RSA-OAEP(session key, label), AES-256-GCM(value). */
export function sealValue(publicKey: KeyObject, value: Buffer, label: Buffer): string {
  const sessionKey = randomBytes(SESSION_KEY_BYTES);
  const wrapped = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
    sessionKey,
  );
  const cipher = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(GCM_NONCE_BYTES));
  const length = Buffer.alloc(2);
  length.writeUInt16BE(wrapped.length);
  return Buffer.concat([length, wrapped, cipher.update(value), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

export interface SealRequest {
  publicKey: KeyObject;
  name: string;
  namespace: string;
  scope: SealingScope;
  /** Secret key -> value. */
  data: Record<string, Buffer>;
  /** A SealedSecret to add the values to (same name, namespace and scope): its other keys stay. */
  existing?: Record<string, unknown>;
}

/**
 * The SealedSecret kubeseal writes for a Secret of that name, namespace and scope: the scope in the
 * annotations of both the SealedSecret (the controller reads its label from there) and the template
 * (kubeseal annotates the Secret before sealing it), keys in order, the Secret's type Opaque.
 */
export function sealedSecret(request: SealRequest): Record<string, unknown> {
  const { name, namespace, scope } = request;
  const label = encryptionLabel(namespace, name, scope);
  const encryptedData: Record<string, string> = { ...existingData(request) };
  for (const [key, value] of Object.entries(request.data))
    encryptedData[key] = sealValue(request.publicKey, value, label);
  const annotations =
    scope === 'strict'
      ? undefined
      : { [scope === 'cluster-wide' ? CLUSTER_WIDE_ANNOTATION : NAMESPACE_WIDE_ANNOTATION]: 'true' };
  const metadata = { ...(annotations ? { annotations } : {}), name, namespace };
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata,
    spec: {
      encryptedData: Object.fromEntries(
        Object.keys(encryptedData)
          .sort()
          .map((key) => [key, encryptedData[key]]),
      ),
      template: { metadata: { ...metadata }, type: 'Opaque' },
    },
  };
}

/** The values of the SealedSecret being added to; it must be the same Secret in the same scope (its label). */
function existingData(request: SealRequest): Record<string, string> {
  const existing = request.existing;
  if (!existing) return {};
  const metadata = (existing.metadata ?? {}) as Record<string, unknown>;
  const same =
    existing.kind === 'SealedSecret' &&
    metadata.name === request.name &&
    metadata.namespace === request.namespace &&
    scopeOf(metadata.annotations as Record<string, unknown> | undefined) === request.scope;
  if (!same)
    throw new InputError(
      `the file holds ${String(existing.kind)} "${String(metadata.namespace)}/${String(metadata.name)}" in scope ${scopeOf(metadata.annotations as Record<string, unknown> | undefined)}, not SealedSecret "${request.namespace}/${request.name}" in scope ${request.scope}: its values were sealed with another label and could not be decrypted beside new ones. Write to a new file`,
    );
  const data = ((existing.spec ?? {}) as Record<string, unknown>).encryptedData ?? {};
  return Object.fromEntries(
    Object.entries(data as Record<string, unknown>).map(([key, value]) => [key, String(value)]),
  );
}

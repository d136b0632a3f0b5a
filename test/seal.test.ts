// gitops seal's format: what the sealed-secrets controller decrypts. Each value is opened here the way
// the controller opens it (the label from the SealedSecret's own name, namespace and scope annotations;
// RSA-OAEP SHA-256 for the session key, AES-256-GCM with a zero nonce), with a key pair made in the
// test, and its layout is compared with a SealedSecret kubeseal wrote.
import assert from 'node:assert/strict';
import { constants, createDecipheriv, generateKeyPairSync, privateDecrypt, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { run } from '../scripts/cli/seal.ts';
import { loadConfigFile } from '../scripts/config/index.ts';
import { InputError } from '../scripts/errors.ts';
import { readPublicKey, sealedSecret, type SealingScope } from '../scripts/seal/seal.ts';
import { sharedDir } from './argocd-helpers.ts';

type Sealed = {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: { encryptedData: Record<string, string>; template: { metadata: Record<string, unknown>; type: string } };
};

const pair = (bits = 2048) => generateKeyPairSync('rsa', { modulusLength: bits });

/** The controller's Unseal for one key: the label from where the SealedSecret is, as its annotations scope it. */
function unseal(privateKey: KeyObject, sealed: Sealed, key: string, where = sealed.metadata): Buffer {
  const annotations = sealed.metadata.annotations ?? {};
  const label =
    annotations['sealedsecrets.bitnami.com/cluster-wide'] === 'true'
      ? ''
      : annotations['sealedsecrets.bitnami.com/namespace-wide'] === 'true'
        ? where.namespace
        : `${where.namespace}/${where.name}`;
  const bytes = Buffer.from(sealed.spec.encryptedData[key], 'base64');
  const rsaLength = bytes.readUInt16BE(0);
  const sessionKey = privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label) },
    bytes.subarray(2, 2 + rsaLength),
  );
  const aes = bytes.subarray(2 + rsaLength);
  const decipher = createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(aes.subarray(aes.length - 16));
  return Buffer.concat([decipher.update(aes.subarray(0, aes.length - 16)), decipher.final()]);
}

const seal = (publicKey: KeyObject, scope: SealingScope, data: Record<string, string>, existing?: unknown) =>
  sealedSecret({
    publicKey,
    name: 'payment-service-gateway',
    namespace: 'microservices',
    scope,
    data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value)])),
    ...(existing ? { existing: existing as Record<string, unknown> } : {}),
  }) as unknown as Sealed;

test('strict scope: the controller opens each value where it was sealed, and nowhere else', () => {
  const { publicKey, privateKey } = pair();
  const sealed = seal(publicKey, 'strict', { 'api-key': 'sk_live_123', other: 'two\nlines' });
  assert.equal(unseal(privateKey, sealed, 'api-key').toString(), 'sk_live_123');
  assert.equal(unseal(privateKey, sealed, 'other').toString(), 'two\nlines');
  // a namePrefix or another namespace changes the label: RSA-OAEP refuses it
  assert.throws(() =>
    unseal(privateKey, sealed, 'api-key', { ...sealed.metadata, name: 'prod-payment-service-gateway' }),
  );
  assert.throws(() => unseal(privateKey, sealed, 'api-key', { ...sealed.metadata, namespace: 'shop' }));
  // the key pair is the controller's: another one opens nothing
  assert.throws(() => unseal(pair().privateKey, sealed, 'api-key'));
  assert.equal(sealed.metadata.annotations, undefined);
});

test('namespace-wide and cluster-wide: the annotation kubeseal writes, on the SealedSecret and its template, and the label that goes with it', () => {
  const { publicKey, privateKey } = pair();
  const namespaceWide = seal(publicKey, 'namespace-wide', { 'api-key': 'v' });
  assert.deepEqual(namespaceWide.metadata.annotations, { 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
  assert.deepEqual(namespaceWide.spec.template.metadata.annotations, namespaceWide.metadata.annotations);
  assert.equal(
    unseal(privateKey, namespaceWide, 'api-key', { ...namespaceWide.metadata, name: 'renamed' }).toString(),
    'v',
  );
  assert.throws(() => unseal(privateKey, namespaceWide, 'api-key', { ...namespaceWide.metadata, namespace: 'other' }));
  const clusterWide = seal(publicKey, 'cluster-wide', { 'api-key': 'v' });
  assert.deepEqual(clusterWide.metadata.annotations, { 'sealedsecrets.bitnami.com/cluster-wide': 'true' });
  assert.equal(unseal(privateKey, clusterWide, 'api-key', { name: 'any', namespace: 'where' }).toString(), 'v');
});

test('every seal is new (a fresh session key), and sealing into an existing file keeps its other keys', () => {
  const { publicKey, privateKey } = pair();
  const first = seal(publicKey, 'strict', { a: 'same' });
  const again = seal(publicKey, 'strict', { a: 'same' });
  assert.notEqual(first.spec.encryptedData.a, again.spec.encryptedData.a);
  const merged = seal(publicKey, 'strict', { b: 'new' }, first);
  assert.deepEqual(Object.keys(merged.spec.encryptedData), ['a', 'b']);
  assert.equal(merged.spec.encryptedData.a, first.spec.encryptedData.a);
  assert.equal(unseal(privateKey, merged, 'b').toString(), 'new');
  // another scope's values were sealed with another label: refused, not mixed
  assert.throws(() => seal(publicKey, 'cluster-wide', { b: 'new' }, first), InputError);
});

const corpusFile = join(
  sharedDir,
  'corpus',
  'cluster-config',
  'components',
  'acs-operator',
  'overlays',
  'sso',
  'sso-sealed-secret.yaml',
);

test(
  'the layout kubeseal writes (a SealedSecret of the corpus): the same fields, and values of 2 + 512 + n + 16 bytes for a 4096-bit controller key',
  { skip: !existsSync(corpusFile) && 'no ../shared/corpus' },
  () => {
    const written = parse(readFileSync(corpusFile, 'utf8')) as Sealed & Record<string, unknown>;
    const { publicKey, privateKey } = pair(4096);
    const sealed = seal(publicKey, 'strict', { 'client-secret': 'x'.repeat(40) }) as Sealed & Record<string, unknown>;
    // Field names and nesting, leaving out the annotations that person added (a sync wave).
    const shape = (object: Record<string, unknown>): unknown =>
      Object.fromEntries(
        Object.entries(object)
          .filter(([key]) => key !== 'annotations')
          .map(([key, value]) => [
            key,
            value && typeof value === 'object' && key !== 'encryptedData'
              ? shape(value as Record<string, unknown>)
              : typeof value,
          ]),
      );
    assert.deepEqual(shape(sealed), shape(written));
    for (const object of [written, sealed]) {
      for (const value of Object.values(object.spec.encryptedData)) {
        const bytes = Buffer.from(value, 'base64');
        assert.equal(bytes.readUInt16BE(0), 512, 'the RSA ciphertext of a 4096-bit key');
        assert.ok(bytes.length > 2 + 512 + 16, 'then the AES-GCM ciphertext and its 16-byte tag');
      }
    }
    assert.equal(Buffer.from(sealed.spec.encryptedData['client-secret'], 'base64').length, 2 + 512 + 40 + 16);
    assert.equal(unseal(privateKey, sealed, 'client-secret').toString(), 'x'.repeat(40));
  },
);

test('the certificate kubeseal --fetch-cert prints, or a public key; anything else is refused with what to give', () => {
  const { publicKey } = pair();
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  assert.equal(readPublicKey(pem, 'cert.pem').asymmetricKeyType, 'rsa');
  const certificate = readFileSync(join(import.meta.dirname, 'fixtures', 'sealed-secrets', 'cert.pem'), 'utf8');
  assert.equal(readPublicKey(certificate, 'cert.pem').asymmetricKeyType, 'rsa');
  assert.throws(() => readPublicKey('not a key', 'cert.pem'), /cert\.pem: not a PEM certificate or public key/);
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
  assert.throws(
    () => readPublicKey(ec.toString(), 'ec.pem'),
    /ec\.pem: a ec key; the sealed-secrets controller's key is RSA/,
  );
});

test('gitops seal --service --secret --env: the Secret gitops.yaml names, into the file its sealed.<env> names, keeping the keys sealed there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-seal-'));
  try {
    const { publicKey, privateKey } = pair();
    writeFileSync(join(dir, 'cert.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'user'), 'app');
    writeFileSync(join(dir, 'password'), 's3cret');
    writeFileSync(
      join(dir, 'gitops.yaml'),
      readFileSync(join(import.meta.dirname, 'fixtures', 'config', 'sealed-wrong-name.yaml'), 'utf8').replace(
        'sealed/other-db.yaml',
        'sealed/dev/web-db.yaml',
      ),
    );
    mkdirSync(join(dir, 'sealed', 'dev'), { recursive: true });
    const common = ['--cert', join(dir, 'cert.pem'), '--config', join(dir, 'gitops.yaml')];
    const target = ['--service', 'web', '--secret', 'db', '--env', 'dev'];
    assert.equal(await run([...common, ...target, '--from-file', `username=${join(dir, 'user')}`]), 0);
    assert.equal(await run([...common, ...target, '--from-file', `password=${join(dir, 'password')}`]), 0);
    const sealed = parse(readFileSync(join(dir, 'sealed', 'dev', 'web-db.yaml'), 'utf8')) as Sealed;
    assert.deepEqual([sealed.metadata.name, sealed.metadata.namespace], ['web-db', 'apps']);
    assert.equal(unseal(privateKey, sealed, 'username').toString(), 'app');
    assert.equal(unseal(privateKey, sealed, 'password').toString(), 's3cret');
    // the generator takes what gitops seal wrote
    assert.equal(
      loadConfigFile(join(dir, 'gitops.yaml')).services[0].secrets?.[0].sealedSecrets?.dev.kind,
      'SealedSecret',
    );
    await assert.rejects(
      run([...common, '--service', 'web', '--secret', 'cache', '--from-file', 'a=-']),
      /has no secret "cache" \(it has db\)/,
    );
    await assert.rejects(
      run([...common, ...target, '--scope', 'global', '--from-file', 'a=-']),
      /--scope must be one of strict, namespace-wide, cluster-wide/,
    );
    await assert.rejects(
      run([...common, '--name', 'x', '--namespace', 'y', '--from-file', 'bad key=-']),
      /write <key>=<file>/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

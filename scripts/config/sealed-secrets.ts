// A service's secret sealed for an environment (`secrets[].sealed.<env>: <file>`): the SealedSecret
// file `gitops seal` (or kubeseal) wrote, read from next to gitops.yaml through the one safe file
// reader and checked before the generator copies it into that environment's overlay. The controller
// decrypts a value only under the name and namespace it was sealed for (the scope's label), and the
// pods read the keys the secret's `env` names: a file sealed for another Secret, or without a key,
// would deploy and then fail at runtime, so it is refused here.
import { yamlPackage } from '../manifest/yaml-package.ts';
import { describeFileProblem, readRepoFile } from '../safe/files.ts';
import { scopeOf } from '../seal/seal.ts';
import type { JsonPath } from '../types.ts';
import type { EnvironmentConfig, ServiceConfig } from './types.ts';

/** A SealedSecret is a Secret's size (1 MiB) and a third more for base64 and the RSA blocks. */
export const MAX_SEALED_FILE_BYTES = 2 * 1024 * 1024;

type Fail = (path: JsonPath, message: string) => never;

/** The Secret a service's secret becomes: `<service>-<secret>`, as for an ExternalSecret. */
const secretName = (service: ServiceConfig, name: string) => `${service.name}-${name}`;

/** The environments of the service where the secret is not sealed: there it is an ExternalSecret. */
export function externalIn(
  secret: NonNullable<ServiceConfig['secrets']>[number],
  runsIn: EnvironmentConfig[],
): EnvironmentConfig[] {
  return runsIn.filter((env) => !secret.sealed?.[env.name]);
}

/** Where each secret comes from: a sealed environment the service runs in; a remote key wherever it is not sealed. */
export function checkSecretSources(
  service: ServiceConfig,
  runsIn: EnvironmentConfig[],
  at: (rest: JsonPath) => JsonPath,
  fail: Fail,
): void {
  for (const [index, secret] of (service.secrets ?? []).entries()) {
    for (const env of Object.keys(secret.sealed ?? {}))
      if (!runsIn.some((candidate) => candidate.name === env))
        fail(
          at(['secrets', index, 'sealed', env]),
          `service "${service.name}" does not run in environment "${env}": its secret "${secret.name}" cannot be sealed for it there. List environments it runs in (${runsIn.map((each) => each.name).join(', ')})`,
        );
    const external = externalIn(secret, runsIn);
    if (external.length > 0 && !secret.remoteKey)
      fail(
        at(['secrets', index]),
        `service "${service.name}": secret "${secret.name}" has no remoteKey for ${external.map((env) => env.name).join(', ')}, where it is not sealed. Add remoteKey (an ExternalSecret) or sealed.<env> files for them`,
      );
  }
}

/** Reads and checks each sealed file; the parsed SealedSecrets go to the generator. */
export function readSealedSecrets(
  service: ServiceConfig,
  dir: string | undefined,
  at: (rest: JsonPath) => JsonPath,
  fail: Fail,
): ServiceConfig {
  if (dir === undefined || !(service.secrets ?? []).some((secret) => secret.sealed)) return service;
  const secrets = (service.secrets ?? []).map((secret, index) => {
    if (!secret.sealed) return secret;
    const sealedSecrets = Object.fromEntries(
      Object.entries(secret.sealed).map(([env, file]) => {
        const where = at(['secrets', index, 'sealed', env]);
        const problem = (what: string): never =>
          fail(
            where,
            `service "${service.name}": ${file} cannot be the sealed secret "${secret.name}" of ${env}: ${what}`,
          );
        const result = readRepoFile(dir, file, { maxBytes: MAX_SEALED_FILE_BYTES });
        if (!result.ok)
          problem(
            `it ${result.reason === 'too-large' ? `is larger than ${MAX_SEALED_FILE_BYTES / 1024 / 1024} MiB` : describeFileProblem(result)}. Give a file inside gitops.yaml's folder (gitops seal writes it)`,
          );
        return [env, checkSealed(parseOne((result as { text: string }).text, problem), service, secret, problem)];
      }),
    );
    return { ...secret, sealedSecrets };
  });
  return { ...service, secrets };
}

function parseOne(text: string, problem: (what: string) => never): Record<string, unknown> {
  let value: unknown;
  try {
    value = yamlPackage().parse(text, { maxAliasCount: 0 });
  } catch {
    problem('it is not one YAML document. Write it again with gitops seal');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) problem('it holds no SealedSecret');
  return value as Record<string, unknown>;
}

function checkSealed(
  object: Record<string, unknown>,
  service: ServiceConfig,
  secret: NonNullable<ServiceConfig['secrets']>[number],
  problem: (what: string) => never,
): Record<string, unknown> {
  const record = (value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  if (object.apiVersion !== 'bitnami.com/v1alpha1' || object.kind !== 'SealedSecret')
    problem(`it holds ${String(object.kind)} ${String(object.apiVersion)}, not a bitnami.com/v1alpha1 SealedSecret`);
  const metadata = record(object.metadata);
  const name = secretName(service, secret.name);
  const scope = scopeOf(record(metadata.annotations));
  // The label binds the name (strict) and the namespace (strict, namespace-wide): they must be the Secret's.
  if (metadata.name !== name)
    problem(
      `it is named "${String(metadata.name)}"; the pods read Secret "${name}". Seal it with gitops seal --service ${service.name} --secret ${secret.name}`,
    );
  if (scope !== 'cluster-wide' && metadata.namespace !== service.namespace)
    problem(
      `it was sealed for namespace "${String(metadata.namespace)}" (${scope}); the controller decrypts it only there, and the service runs in "${service.namespace}"`,
    );
  const keys = Object.keys(record(record(object.spec).encryptedData));
  const missing = [...new Set(Object.values(secret.env))].filter((key) => !keys.includes(key)).sort();
  if (missing.length > 0)
    problem(`it has no ${missing.join(', ')}, which env reads. Add them with gitops seal --from-file <key>=<file>`);
  return object;
}

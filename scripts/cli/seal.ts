// `gitops seal`: a SealedSecret from values and the controller's public certificate (scripts/seal/).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfigFile } from '../config/load.ts';
import { externalSecretName } from '../generate/names.ts';
import { toYaml } from '../generate/objects.ts';
import { InputError, UsageError } from '../errors.ts';
import { readPublicKey, SCOPES, sealedSecret, type SealingScope } from '../seal/seal.ts';
import { parseCommandLine } from './args.ts';

export const help = `Usage: gitops seal --cert <file> --from-file <key>=<file>... (--service <service> --secret <name> | --name <secret> --namespace <ns>) [options]

Encrypts Secret values with the sealed-secrets controller's public certificate into a SealedSecret, as
kubeseal writes it: only that controller can decrypt it, so the file can be committed. No cluster is
contacted: fetch the certificate once (kubeseal --fetch-cert > prod.pem).

With --service and --secret, the Secret is the one gitops.yaml gives that service (<service>-<secret>
in its namespace); with --env as well, the file is the one its secrets[].sealed.<env> names, and keys
already sealed in it stay.

Options:
  --cert <file>              the controller's certificate (PEM) or public key
  --from-file <key>=<file>   a value: the content of the file, - for standard input (repeatable)
  --service <service>        a service of gitops.yaml
  --secret <name>            one of its secrets
  --env <env>                write to the file secrets[].sealed.<env> names (needs --service and --secret)
  --name <secret>            the Secret's name, without gitops.yaml
  --namespace <ns>           its namespace, without gitops.yaml
  --scope <scope>            strict (default: this name in this namespace), namespace-wide (any name in
                             this namespace) or cluster-wide (anywhere)
  -c, --config <file>        the gitops.yaml (default: ./gitops.yaml)
  -o, --out <file>           write here (keys already sealed in it stay) instead of standard output

Exit codes: 0 sealed, 2 bad usage or input.`;

interface Target {
  name: string;
  namespace: string;
  /** The file gitops.yaml names for it. */
  file?: string;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandLine({
    args,
    options: {
      cert: { type: 'string' },
      'from-file': { type: 'string', multiple: true },
      service: { type: 'string' },
      secret: { type: 'string' },
      env: { type: 'string' },
      name: { type: 'string' },
      namespace: { type: 'string' },
      scope: { type: 'string', default: 'strict' },
      config: { type: 'string', short: 'c', default: 'gitops.yaml' },
      out: { type: 'string', short: 'o' },
    },
  });
  if (!values.cert) throw new UsageError('--cert <file> is required (kubeseal --fetch-cert > cert.pem)');
  const scope = values.scope as SealingScope;
  if (!SCOPES.includes(scope)) throw new UsageError(`--scope must be one of ${SCOPES.join(', ')}`);
  const sources = values['from-file'] ?? [];
  if (sources.length === 0) throw new UsageError('give at least one --from-file <key>=<file>');
  const target = targetOf(values);
  const publicKey = readPublicKey(readText(values.cert, '--cert'), values.cert);
  const data = readValues(sources);
  const out = values.out ?? target.file;
  const existing = out && existsSync(out) ? (parse(readText(out, out)) as Record<string, unknown>) : undefined;
  const object = sealedSecret({ publicKey, name: target.name, namespace: target.namespace, scope, data, existing });
  if (!out) {
    process.stdout.write(toYaml(object));
    return 0;
  }
  try {
    writeFileSync(out, toYaml(object));
  } catch {
    throw new InputError(`cannot write the file. Create its folder (${dirname(out)}) or pass another --out`, out);
  }
  console.error(`gitops seal: ${Object.keys(data).join(', ')} sealed into ${out} (${scope})`);
  return 0;
}

function targetOf(values: Record<string, unknown>): Target {
  const { service: serviceName, secret: secretName, env, name, namespace, config } = values as Record<string, string>;
  if (name || namespace) {
    if (serviceName || secretName || env)
      throw new UsageError('give --name and --namespace, or --service and --secret, not both');
    if (!name || !namespace) throw new UsageError('--name and --namespace go together');
    return { name, namespace };
  }
  if (!serviceName || !secretName) throw new UsageError('give --service and --secret (or --name and --namespace)');
  // The sealed files are what this command writes: they need not exist yet.
  const gitops = loadConfigFile(resolve(config), config, { readConfigFiles: false });
  const service = gitops.services.find((candidate) => candidate.name === serviceName);
  if (!service) throw new UsageError(`gitops.yaml declares no service "${serviceName}"`);
  const secret = (service.secrets ?? []).find((candidate) => candidate.name === secretName);
  if (!secret)
    throw new UsageError(
      `service "${serviceName}" has no secret "${secretName}" (it has ${(service.secrets ?? []).map((each) => each.name).join(', ') || 'none'})`,
    );
  const target = { name: externalSecretName(service, secret.name), namespace: service.namespace };
  if (!env) return target;
  const file = secret.sealed?.[env];
  if (!file)
    throw new UsageError(
      `secret "${secretName}" of service "${serviceName}" is not sealed in ${env}: declare its sealed.${env}: <file> in gitops.yaml, or pass --out`,
    );
  return { ...target, file: resolve(dirname(resolve(config)), file) };
}

function readValues(sources: string[]): Record<string, Buffer> {
  const data: Record<string, Buffer> = {};
  let stdinUsed = false;
  for (const source of sources) {
    const equals = source.indexOf('=');
    const key = source.slice(0, equals);
    const file = source.slice(equals + 1);
    // A Secret key: letters, digits, '-', '_' and '.' (the API server's IsConfigMapKey).
    if (equals <= 0 || !file || !/^[-._a-zA-Z0-9]+$/.test(key))
      throw new UsageError(`--from-file ${source}: write <key>=<file>, the key of letters, digits, '-', '_' and '.'`);
    if (key in data) throw new UsageError(`--from-file gives key "${key}" twice`);
    if (file === '-') {
      if (stdinUsed) throw new UsageError('standard input (-) can give one value only');
      stdinUsed = true;
    }
    try {
      data[key] = readFileSync(file === '-' ? 0 : file);
    } catch {
      throw new InputError(`cannot read the file for key "${key}"`, file);
    }
  }
  return data;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`cannot read the file (${what})`, file);
  }
}

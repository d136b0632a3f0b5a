// Reads gitops.yaml: YAML with positions, then the JSON schema (ajv), then the checks a schema cannot
// express (duplicates, references, templates). Every problem is an InputError at a file:line:column
// with what to do, so the CLI exits 2 before anything is written.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InputError } from '../errors.ts';
import { toolRoot } from '../tool.ts';
import { parseSourceFile, type SourceDocument } from '../manifest/source.ts';
import type { JsonPath, LintSettings } from '../types.ts';
import { readConfigFiles } from './config-files.ts';
import { imagePartProblem } from './image-reference.ts';
import { checkWorkloadSettings } from './workload-checks.ts';
import type { GitopsConfig, ProbeConfig, RawConfig, ServiceConfig, ServiceEntry } from './types.ts';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;

export const schemaPath = join(toolRoot, 'schemas', 'gitops.schema.json');

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_HINT =
  'Use a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
/** Argo CD Application names are `<service>-<env>`; this one is taken by the per-environment namespaces app. */
const RESERVED_SERVICE_NAMES = new Set(['namespaces']);

let validator: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  if (!validator) {
    // Strict, so a mistake in the schema itself fails here (strictRequired off: services' required names are defined through allOf).
    // verbose: errors carry their schema, whose description says in words what a pattern means.
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
    validator = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  }
  return validator;
}

/** Reads and checks a gitops.yaml file. `displayPath` is how errors name it (relative to the cwd by default). */
export function loadConfigFile(
  file: string,
  displayPath = relative(process.cwd(), file) || file,
  options: { readConfigFiles?: boolean } = {},
): GitopsConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(
      `cannot read the file. Create it (see README.md, "gitops.yaml") or pass --config <file>.`,
      displayPath,
    );
  }
  return parseConfig(text, displayPath, options.readConfigFiles === false ? {} : { dir: dirname(file) });
}

export interface ParseOptions {
  /** gitops.yaml's folder: configFiles are read from it. Without it their content is not read (the validator needs none). */
  dir?: string;
}

export function parseConfig(text: string, file = 'gitops.yaml', options: ParseOptions = {}): GitopsConfig {
  const config = parseAnyConfig(text, file, options);
  if ('lintOnly' in config)
    throw new InputError(
      `holds only lint settings (a lint-only gitops.yaml, for a repository the generator does not write): generating needs project, kubernetesVersion, environments, namespaces and services. See schemas/gitops.schema.json.`,
      file,
      1,
      1,
    );
  return config;
}

/** The top-level keys of a lint-only gitops.yaml: a repository the generator does not write keeps its lint settings there. */
export const LINT_ONLY_KEYS: readonly string[] = ['$schema', 'kubernetesVersion', 'lint'];

/** The top-level keys only the generator reads: one of them makes a gitops.yaml a complete one. */
export const GENERATOR_KEYS: readonly string[] = [
  'project',
  'environments',
  'namespaces',
  'services',
  'templates',
  'argocd',
  'ingress',
  'monitoring',
];

/** A lint-only gitops.yaml: its lint settings and target Kubernetes minor, nothing of the generator's. */
export interface LintOnlyConfig {
  lintOnly: true;
  kubernetesVersion?: string;
  lint?: LintSettings;
}

/** A complete gitops.yaml, or a lint-only one (only LINT_ONLY_KEYS at the top). Schema errors all at once. */
export function parseAnyConfig(
  text: string,
  file = 'gitops.yaml',
  options: ParseOptions = {},
): GitopsConfig | LintOnlyConfig {
  const source = parseSourceFile(text, file);
  const problem = source.problems[0];
  if (problem) {
    const what =
      problem.kind === 'duplicate-key'
        ? 'a key appears twice in the same mapping. Keep one of them'
        : `${problem.message}. Fix the YAML syntax`;
    throw new InputError(`${what}.`, file, problem.line, problem.column);
  }
  const document = source.documents[0];
  if (
    !document ||
    source.documents.length > 1 ||
    typeof document.value !== 'object' ||
    document.value === null ||
    Array.isArray(document.value)
  ) {
    throw new InputError(
      'gitops.yaml must be one YAML mapping (project, environments, namespaces, services...; or only lint:). See schemas/gitops.schema.json.',
      file,
      document?.line ?? 1,
      1,
    );
  }
  const fail = (path: JsonPath, message: string): never => {
    const at = document.locate(path);
    throw new InputError(message.endsWith('.') ? message : `${message}.`, file, at.line, at.column);
  };
  const value = document.value as Record<string, unknown>;
  // Only lint settings and mistakes: a lint-only file with a typo, not a generator config missing five keys.
  const lintOnlyIntended = !Object.keys(value).some((key) => GENERATOR_KEYS.includes(key));
  checkSchema(document, file, lintOnlyIntended);
  if (Object.keys(value).every((key) => LINT_ONLY_KEYS.includes(key))) {
    const { kubernetesVersion, lint } = value as { kubernetesVersion?: string; lint?: LintSettings };
    return { lintOnly: true, ...(kubernetesVersion ? { kubernetesVersion } : {}), ...(lint ? { lint } : {}) };
  }
  return checkSemantics(value as unknown as RawConfig, fail, options);
}

type Fail = (path: JsonPath, message: string) => never;

function label(path: JsonPath): string {
  return (
    path.reduce<string>(
      (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : String(key)),
      '',
    ) || 'the top level'
  );
}

/**
 * Every schema problem at once (one per place, the most specific there), in the order a person reads
 * the file: fixing a config one run at a time is the pain this saves.
 */
function checkSchema(document: SourceDocument, file: string, lintOnlyIntended: boolean): void {
  const validate = schemaValidator();
  if (validate(document.value)) return;
  const errors = (validate.errors ?? []).filter(
    (error) =>
      !['anyOf', 'oneOf', 'allOf', 'if', 'propertyNames'].includes(error.keyword) &&
      !(lintOnlyIntended && error.keyword === 'required' && error.instancePath === ''),
  );
  const candidates = errors.length > 0 ? errors : (validate.errors ?? []);
  const ranked = candidates
    .map((error) => ({ error, path: errorPath(error), at: document.locate(errorPath(error)) }))
    .sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column || b.path.length - a.path.length);
  const seen = new Set<string>();
  const problems: InputError[] = [];
  for (const { error, path, at } of ranked) {
    const message = schemaMessage(error, path);
    // Each missing key is its own problem; otherwise one per place (the alternatives of a union agree there).
    const missing = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : '';
    const key = `${at.line}:${at.column}:${missing}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(new InputError(message.endsWith('.') ? message : `${message}.`, file, at.line, at.column));
  }
  throw InputError.all(problems);
}

function errorPath(error: ErrorObject): JsonPath {
  const path: JsonPath = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  if (error.keyword === 'additionalProperties')
    path.push((error.params as { additionalProperty: string }).additionalProperty);
  // A bad key: point at the key itself, not at the mapping holding it.
  const key = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (key !== undefined) path.push(key);
  return path;
}

function schemaMessage(error: ErrorObject, path: JsonPath): string {
  const key = (error as ErrorObject & { propertyName?: string }).propertyName;
  const where = key === undefined ? label(path) : `key "${key}" in ${label(path.slice(0, -1))}`;
  const described = (error.parentSchema as { description?: string } | undefined)?.description;
  switch (error.keyword) {
    case 'additionalProperties': {
      const parent = label(path.slice(0, -1));
      return `unknown key "${path[path.length - 1]}" in ${parent}. Remove it or fix its spelling (schemas/gitops.schema.json lists the allowed keys)`;
    }
    case 'required':
      return `${where} is missing "${(error.params as { missingProperty: string }).missingProperty}". Add it`;
    case 'type':
      return `${where} must be ${(error.params as { type: string | string[] }).type.toString().replace(',', ' or ')}. Change the value${path.includes('kubernetesVersion') ? ' (quote versions: "1.32")' : ''}`;
    case 'enum':
      return `${where} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((value) => JSON.stringify(value)).join(', ')}. Change the value`;
    case 'pattern':
    case 'minLength':
    case 'maxLength':
      if (
        String((error.params as { pattern?: string }).pattern ?? '').startsWith('^[a-z0-9]([-a-z0-9]*') ||
        (error.keyword === 'maxLength' && !described)
      ) {
        return `${where} is not a valid name. ${DNS_HINT}`;
      }
      // A regular expression is no help to a person: the schema's description says what is allowed.
      if (described) return `${where} is not allowed: ${described.replace(/\.$/, '')}. Change it`;
      return `${where} ${error.message}. Change the value`;
    case 'not':
      // A key that belongs to another choice (a canary's steps in a blue-green release): say whose it is.
      if (described) return `${where} does not apply here: it is ${described.replace(/\.$/, '')}. Remove it`;
      return `${where} ${error.message}. Change the value`;
    case 'anyOf':
      return `${where} has neither of the allowed shapes. See schemas/gitops.schema.json`;
    default:
      return `${where} ${error.message}. Change the value`;
  }
}

// ---- semantic checks -------------------------------------------------------------------------

function checkSemantics(raw: RawConfig, fail: Fail, options: ParseOptions): GitopsConfig {
  const envNames = uniqueNames(raw.environments, ['environments'], 'environment', fail);
  const namespaceNames = uniqueNames(raw.namespaces, ['namespaces'], 'namespace', fail);
  const services = expandServices(raw, fail);

  const serviceAt = new Map<string, JsonPath>();
  for (const { service, path } of services) {
    const first = serviceAt.get(service.name);
    if (first)
      fail(
        path,
        `duplicate service "${service.name}" (also declared at ${label(first)}). Give each service a unique name`,
      );
    serviceAt.set(service.name, path);
  }
  for (const expanded of services) {
    const { service, path, entryPath, at } = expanded;
    checkService(service, path, entryPath, at, { envNames, namespaceNames, serviceNames: serviceAt }, fail);
    checkWorkloadSettings(service, raw.environments, at, fail);
    expanded.service = readConfigFiles(service, options.dir, at, fail);
  }
  raw.environments.forEach((env, index) => {
    const replicas = env.defaults.replicas;
    if (replicas.min > replicas.max)
      fail(
        ['environments', index, 'defaults', 'replicas', 'min'],
        `replicas.min (${replicas.min}) is above replicas.max (${replicas.max}). Lower min or raise max`,
      );
  });
  const ruleSettings = raw.lint?.rules ?? {};
  for (const [rule, setting] of Object.entries(ruleSettings)) {
    if (typeof setting === 'object' && setting.env) {
      for (const env of Object.keys(setting.env)) {
        if (!envNames.has(env) && env !== 'default')
          fail(
            ['lint', 'rules', rule, 'env', env],
            `environment "${env}" is not declared under environments. Declare it or fix the name`,
          );
      }
    }
  }

  const { templates: _templates, services: _services, ...rest } = raw;
  return { ...rest, services: services.map(({ service }) => service) };
}

function uniqueNames(items: { name: string }[], path: JsonPath, what: string, fail: Fail): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.name))
      fail([...path, index, 'name'], `duplicate ${what} "${item.name}". Give each ${what} a unique name`);
    seen.add(item.name);
  });
  return seen;
}

interface Expanded {
  service: ServiceConfig;
  /** Where the service's name is written (the name, or its item under `names`). */
  path: JsonPath;
  /** The services[] entry it came from. */
  entryPath: JsonPath;
  /** Where a setting of this service is written: in the entry, or in the template it came from. */
  at(rest: JsonPath): JsonPath;
}

function expandServices(raw: RawConfig, fail: Fail): Expanded[] {
  const out: Expanded[] = [];
  raw.services.forEach((entry, index) => {
    const entryPath: JsonPath = ['services', index];
    const { merged, sources } = withTemplates(entry, raw, entryPath, fail);
    const at = (rest: JsonPath): JsonPath => {
      const source = sources.find(
        (candidate) => rest.length > 0 && valueAt(raw, [...candidate, rest[0]]) !== undefined,
      );
      return [...(source ?? entryPath), ...rest];
    };
    const { names, extends: _extends, ...settings } = merged;
    if (entry.name && names)
      fail([...entryPath, 'names'], 'a service has either `name` or `names`, not both. Remove one');
    const list = names
      ? names.map((name, i) => ({ name, path: [...entryPath, 'names', i] as JsonPath }))
      : [{ name: entry.name as string, path: [...entryPath, 'name'] as JsonPath }];
    for (const { name, path } of list) {
      if (!DNS_LABEL.test(name) || name.length > 63)
        fail(path, `service name "${name}" is not a valid name. ${DNS_HINT}`);
      const service = substitute({ ...settings, name }, name) as ServiceConfig;
      out.push({ service: normalise(service), path, entryPath, at });
    }
  });
  return out;
}

/**
 * Template settings first, the service's own on top; maps merge, lists are replaced. `sources` lists
 * where the settings are written, most specific first (the entry, then its templates).
 */
function withTemplates(
  entry: ServiceEntry,
  raw: RawConfig,
  entryPath: JsonPath,
  fail: Fail,
): { merged: ServiceEntry; sources: JsonPath[] } {
  const chain: ServiceEntry[] = [entry];
  const sources: JsonPath[] = [entryPath];
  const seen = new Set<string>();
  let current: ServiceEntry = entry;
  let path: JsonPath = [...entryPath, 'extends'];
  while (current.extends) {
    const name = current.extends;
    const template = raw.templates?.[name];
    if (!template) fail(path, `template "${name}" is not declared under templates. Declare it or fix the name`);
    if (seen.has(name)) fail(path, `templates extend each other in a loop ("${name}"). Break the loop`);
    seen.add(name);
    chain.unshift(template as ServiceEntry);
    sources.push(['templates', name]);
    current = template as ServiceEntry;
    path = ['templates', name, 'extends'];
  }
  return { merged: chain.reduce<ServiceEntry>((merged, next) => deepMerge(merged, next) as ServiceEntry, {}), sources };
}

function valueAt(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** Settings that are one choice among shapes (a hook is a sleep, an exec or an HTTP call): a service's replaces its template's. */
const REPLACED_WHOLE = new Set(['preStop', 'disruptionBudget']);

function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over))
      out[key] = key in out && !REPLACED_WHOLE.has(key) ? deepMerge(out[key], value) : value;
    return out;
  }
  return over;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function substitute(value: unknown, name: string): unknown {
  if (typeof value === 'string') return value.split('${name}').join(name);
  if (Array.isArray(value)) return value.map((item) => substitute(item, name));
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, name)]));
  return value;
}

/** Defaults and number-to-string quantities, so the generator sees one shape. */
function normalise(service: ServiceConfig): ServiceConfig {
  const quantities = (value: unknown): unknown =>
    isPlainObject(value)
      ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, quantities(item)]))
      : typeof value === 'number'
        ? String(value)
        : value;
  const out: ServiceConfig = { ...service, workload: service.workload ?? 'Deployment', ports: service.ports ?? [] };
  if (out.resources) out.resources = quantities(out.resources) as ServiceConfig['resources'];
  if (out.sidecars)
    out.sidecars = out.sidecars.map((sidecar) => ({
      ...sidecar,
      resources: quantities(sidecar.resources) as ServiceConfig['resources'],
    }));
  if (out.overrides) {
    out.overrides = Object.fromEntries(
      Object.entries(out.overrides).map(([env, override]) => [
        env,
        override.resources
          ? { ...override, resources: quantities(override.resources) as ServiceConfig['resources'] }
          : override,
      ]),
    );
  }
  if (out.volumeClaims) out.volumeClaims = out.volumeClaims.map((claim) => ({ ...claim, size: String(claim.size) }));
  return out;
}

interface Known {
  envNames: Set<string>;
  namespaceNames: Set<string>;
  serviceNames: Map<string, JsonPath>;
}

function checkService(
  service: ServiceConfig,
  path: JsonPath,
  entryPath: JsonPath,
  at: (rest: JsonPath) => JsonPath,
  known: Known,
  fail: Fail,
): void {
  const who = `service "${service.name}"`;
  if (RESERVED_SERVICE_NAMES.has(service.name))
    fail(path, `${who}: the name is reserved for the per-environment namespaces app. Choose another name`);
  for (const key of ['namespace', 'image', 'resources', 'probes'] as const) {
    if (service[key] === undefined)
      fail(entryPath, `${who} has no "${key}" (neither its own nor from a template). Add it`);
  }
  if (!known.namespaceNames.has(service.namespace)) {
    fail(
      at(['namespace']),
      `${who} uses namespace "${service.namespace}", which is not declared under namespaces. Declare it or fix the name`,
    );
  }
  if (!service.image.repository || !service.image.tag)
    fail(at(['image']), `${who} needs image.repository and image.tag. Add them`);
  const images: { path: JsonPath; image: { repository: string; tag?: string; digest?: string } }[] = [
    { path: at(['image']), image: service.image },
    ...(service.sidecars ?? []).map((sidecar, index) => ({
      path: at(['sidecars', index, 'image']),
      image: sidecar.image,
    })),
  ];
  for (const { path: imagePath, image } of images) {
    for (const part of ['repository', 'tag', 'digest'] as const) {
      const value = image[part];
      const problem = value === undefined ? undefined : imagePartProblem(part, value);
      if (problem) fail([...imagePath, part], `${who}: ${problem}. Fix the value`);
    }
  }
  for (const [env, override] of Object.entries(service.overrides ?? {})) {
    for (const [key, part] of [
      ['imageTag', 'tag'],
      ['imageDigest', 'digest'],
    ] as const) {
      const value = override[key];
      const problem = value === undefined ? undefined : imagePartProblem(part, value);
      if (problem) fail(at(['overrides', env, key]), `${who}: ${problem}. Fix the value`);
    }
  }
  if ((service.workload === 'Deployment' || service.workload === 'StatefulSet') && service.ports.length === 0)
    fail(entryPath, `${who} is a ${service.workload} with no ports. Add ports, or make it workload: Worker`);
  for (const env of service.environments ?? []) {
    if (!known.envNames.has(env))
      fail(
        at(['environments']),
        `${who} names environment "${env}", which is not declared under environments. Declare it or fix the name`,
      );
  }
  for (const env of Object.keys(service.overrides ?? {})) {
    if (!known.envNames.has(env))
      fail(
        at(['overrides', env]),
        `${who} overrides environment "${env}", which is not declared under environments. Declare it or fix the name`,
      );
  }
  for (const [index, callee] of (service.calls ?? []).entries()) {
    if (!known.serviceNames.has(callee))
      fail(
        at(['calls', index]),
        `${who} calls "${callee}", which is not a declared service. Declare it or fix the name`,
      );
  }
  const portNames = new Set(service.ports.map((port) => port.name));
  checkProbes(service.probes, portNames, at(['probes']), who, fail);
  const podPortNames = new Set([
    ...portNames,
    ...(service.sidecars ?? []).flatMap((sidecar) => (sidecar.ports ?? []).map((port) => port.name)),
  ]);
  if (service.metrics && !podPortNames.has(service.metrics.port))
    fail(
      at(['metrics', 'port']),
      `${who}: metrics port "${service.metrics.port}" is not one of its ports. Use a port name from ports`,
    );
  if (service.ingress) {
    if (!portNames.has(service.ingress.port))
      fail(
        at(['ingress', 'port']),
        `${who}: ingress port "${service.ingress.port}" is not one of its ports. Use a port name from ports`,
      );
    if (service.workload === 'Worker')
      fail(
        at(['ingress']),
        `${who} is a Worker (no Service) and cannot have an ingress. Remove it or change the workload`,
      );
  }
  if (service.volumeClaims && service.workload !== 'StatefulSet')
    fail(at(['volumeClaims']), `${who}: volumeClaims need workload: StatefulSet. Change the workload or remove them`);
  const replicaSets = [
    service.replicas,
    ...Object.values(service.overrides ?? {}).map((override) => override.replicas),
  ];
  for (const replicas of replicaSets) {
    if (replicas && replicas.min > replicas.max)
      fail(
        entryPath,
        `${who}: replicas.min (${replicas.min}) is above replicas.max (${replicas.max}). Lower min or raise max`,
      );
  }
  const secretNames = new Set((service.secrets ?? []).map((secret) => secret.name));
  for (const [index, sidecar] of (service.sidecars ?? []).entries()) {
    const sidecarPorts = new Set((sidecar.ports ?? []).map((port) => port.name));
    if (sidecar.probes)
      checkProbes(
        sidecar.probes,
        sidecarPorts,
        at(['sidecars', index, 'probes']),
        `${who} sidecar "${sidecar.name}"`,
        fail,
      );
    for (const [variable, ref] of Object.entries(sidecar.secretEnv ?? {})) {
      const secret = ref.split('.')[0];
      if (!secretNames.has(secret) || !ref.includes('.')) {
        fail(
          at(['sidecars', index, 'secretEnv', variable]),
          `${who} sidecar "${sidecar.name}": "${ref}" must be "<secret>.<property>" naming one of the service's secrets. Fix the reference`,
        );
      }
    }
  }
}

function checkProbes(
  probes: ServiceConfig['probes'],
  portNames: Set<string>,
  path: JsonPath,
  who: string,
  fail: Fail,
): void {
  for (const kind of ['liveness', 'readiness'] as const) {
    if (!probes[kind]) fail(path, `${who} has no ${kind} probe. Add probes.${kind}`);
  }
  for (const kind of ['liveness', 'readiness', 'startup'] as const) {
    const probe = probes[kind];
    if (!probe) continue;
    const handlers = (['http', 'tcp', 'exec', 'grpc'] as const).filter((handler) => probe[handler] !== undefined);
    if (handlers.length !== 1)
      fail(
        [...path, kind],
        `${who}: the ${kind} probe needs exactly one of http, tcp, exec or grpc (has ${handlers.length}). Keep one`,
      );
    const port = probePort(probe);
    if (typeof port === 'string' && !portNames.has(port))
      fail(
        [...path, kind],
        `${who}: the ${kind} probe uses port "${port}", which is not one of its ports. Use a port name from ports`,
      );
  }
  if (JSON.stringify(stripTiming(probes.liveness)) === JSON.stringify(stripTiming(probes.readiness))) {
    fail(
      [...path, 'readiness'],
      `${who}: liveness and readiness are the same check, so a slow dependency restarts the pod. Give readiness its own endpoint or command`,
    );
  }
}

function probePort(probe: ProbeConfig): string | number | undefined {
  return probe.http?.port ?? probe.tcp?.port ?? probe.grpc?.port;
}

function stripTiming(probe: ProbeConfig): ProbeConfig {
  return { http: probe.http, tcp: probe.tcp, exec: probe.exec, grpc: probe.grpc };
}

// Strict schema validation that reaches kubeconform's verdicts with ajv.
//
// Schemas are found kubeconform's way: schemas/ first, then the configured locations in order.
// The JSON Schema dialect follows each file's `$schema`, as kubeconform's library does:
//   - our schemas/ (draft-07): Kubernetes formats checked (int32, int64, byte, date-time...);
//   - `http://json-schema.org/schema#` (yannh/kubernetes-json-schema): formats are not checked;
//   - no `$schema` (CRDs-catalog, draft-04): the standard formats are checked, unknown ones ignored.
// Compiled validators are cached on disk as ajv standalone code keyed by a hash of the schema, so a
// warm run loads plain functions and never imports ajv.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRenderedYaml } from '../manifest/rendered.ts';
import type { JsonPath, KubeObject } from '../types.ts';
import { goRegExp } from './goRegExp.ts';
import { isUrl, localPath, locationTemplate, templateValues, UrlCache, expandTemplate } from './locations.ts';

const nodeRequire = createRequire(import.meta.url);
export const toolRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const builtinSchemasDir = path.join(toolRoot, 'schemas');

/** Bump when the generated code's shape or the ajv options change, so old cache entries are not reused. */
const COMPILER_VERSION = 'ajv-8.20-v1';

export interface SchemaError {
  /** Where in the object, as keys and indexes. */
  path: JsonPath;
  /** What was expected, never the value found (it may be a secret). */
  message: string;
  keyword: string;
}

export type VerdictStatus = 'valid' | 'invalid' | 'missing-schema' | 'skipped' | 'error';

export interface SchemaVerdict {
  status: VerdictStatus;
  errors: SchemaError[];
  /** The schema file or URL that decided, when one was found. */
  schema?: string;
  /** For missing-schema: every place that was tried, in order. */
  tried?: string[];
  /** For error: why the schema could not be used (bad JSON, download failure...). */
  reason?: string;
}

export interface SchemaValidatorOptions {
  /** Extra kubeconform-style locations (folders, file:// or http(s) URL templates), after schemas/. */
  locations?: string[];
  /** Set to false to leave out the built-in schemas/ (the parity test validates with the reference alone). */
  builtin?: boolean;
  /** Resolves relative folder locations. */
  baseDir?: string;
  /** For {{.NormalizedKubernetesVersion}}. */
  kubernetesVersion?: string;
  /** Kinds not validated (kubeconform -skip); matched against `kind` or `apiVersion/kind`. */
  skipKinds?: string[];
  /** Compiled validators and downloaded schemas; default: $GITOPS_CACHE_DIR or the OS temp folder. */
  cacheDir?: string;
}

type Dialect = 'gitops' | 'draft04' | 'noformat';
interface CompiledValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}
interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
interface LoadedSchema {
  source: string;
  validate?: CompiledValidator;
  error?: string;
}

export function defaultCacheDir(): string {
  return process.env.GITOPS_CACHE_DIR
    ? path.join(process.env.GITOPS_CACHE_DIR, 'schema')
    : path.join(os.tmpdir(), 'gitops-cache', 'schema');
}

export class SchemaValidator {
  private readonly templates: string[];
  private readonly skip: Set<string>;
  private readonly byKind = new Map<string, LoadedSchema | null>();
  private readonly urlCache: UrlCache;
  private readonly compiledDir: string;
  private readonly fileHashes = new Map<string, string>();
  private readonly kubernetesVersion: string;
  private ajvs?: Record<Dialect, AjvLike>;

  constructor(options: SchemaValidatorOptions = {}) {
    const base = options.baseDir ?? process.cwd();
    const locations = [...(options.builtin === false ? [] : [builtinSchemasDir]), ...(options.locations ?? [])];
    this.templates = locations
      .map((location) => (isUrl(location) ? location : localPath(location, base)))
      .map(locationTemplate);
    this.skip = new Set(options.skipKinds ?? []);
    const cacheDir = options.cacheDir ?? defaultCacheDir();
    this.urlCache = new UrlCache(path.join(cacheDir, 'downloads'));
    this.compiledDir = path.join(cacheDir, 'compiled');
    this.kubernetesVersion = options.kubernetesVersion ?? '1.36';
  }

  /** The places tried for a kind, in order. */
  candidates(kind: string, apiVersion: string): string[] {
    const values = templateValues(kind, apiVersion, this.kubernetesVersion);
    return this.templates.map((template) => expandTemplate(template, values));
  }

  /** Downloads the URL schemas these objects need into the cache; validateObject itself never waits on the network. */
  async prefetch(objects: KubeObject[]): Promise<string[]> {
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const object of expandLists(objects)) {
      if (!object.kind || !object.apiVersion) continue;
      for (const candidate of this.candidates(object.kind, object.apiVersion)) {
        if (!isUrl(candidate) || seen.has(candidate)) continue;
        seen.add(candidate);
        try {
          if ((await this.urlCache.fetch(candidate)) !== '') break;
        } catch (error) {
          failures.push(`${candidate}: ${(error as Error).message}`);
          break;
        }
      }
    }
    return failures;
  }

  /** Validates one object (not a `kind: List`: see expandLists). */
  validateObject(object: KubeObject): SchemaVerdict {
    const kind = object?.kind;
    const apiVersion = object?.apiVersion;
    if (typeof kind !== 'string' || typeof apiVersion !== 'string' || !kind || !apiVersion) {
      return {
        status: 'invalid',
        errors: [
          {
            path: typeof kind === 'string' && kind ? ['apiVersion'] : ['kind'],
            keyword: 'required',
            message: 'missing apiVersion or kind: every Kubernetes object needs both',
          },
        ],
      };
    }
    if (this.skip.has(kind) || this.skip.has(`${apiVersion}/${kind}`)) return { status: 'skipped', errors: [] };
    const loaded = this.schemaFor(kind, apiVersion);
    if (!loaded) return { status: 'missing-schema', errors: [], tried: this.candidates(kind, apiVersion) };
    if (!loaded.validate) return { status: 'error', errors: [], schema: loaded.source, reason: loaded.error };
    // Unquoted timestamps arrive as strings, as kubeconform sees them: the fast parser uses CORE_SCHEMA.
    if (loaded.validate(object)) return { status: 'valid', errors: [], schema: loaded.source };
    return { status: 'invalid', errors: toSchemaErrors(loaded.validate.errors ?? [], object), schema: loaded.source };
  }

  private schemaFor(kind: string, apiVersion: string): LoadedSchema | null {
    const key = `${apiVersion}\u0000${kind}`;
    let loaded = this.byKind.get(key);
    if (loaded === undefined) {
      loaded = this.load(kind, apiVersion);
      this.byKind.set(key, loaded);
    }
    return loaded;
  }

  private load(kind: string, apiVersion: string): LoadedSchema | null {
    for (const candidate of this.candidates(kind, apiVersion)) {
      const text = this.readCandidate(candidate);
      if (text === undefined || text === '') continue;
      try {
        return { source: candidate, validate: this.compile(candidate, text) };
      } catch (error) {
        return { source: candidate, error: (error as Error).message };
      }
    }
    return null;
  }

  private readCandidate(candidate: string): string | undefined {
    if (isUrl(candidate)) return this.urlCache.read(candidate);
    try {
      return fs.readFileSync(candidate, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Loads the cached standalone code for this schema, or compiles it with ajv and caches it. */
  private compile(source: string, text: string): CompiledValidator {
    const schema = JSON.parse(text) as Record<string, unknown>;
    const dialect = dialectOf(schema);
    const refs = externalRefs(schema, source);
    const hash = createHash('sha256').update(COMPILER_VERSION).update(dialect).update(text);
    for (const ref of refs) hash.update(this.hashOf(ref));
    const cached = path.join(this.compiledDir, `${hash.digest('hex').slice(0, 40)}.cjs`);
    if (fs.existsSync(cached)) {
      try {
        return loadStandalone(fs.readFileSync(cached, 'utf8'));
      } catch {
        fs.rmSync(cached, { force: true }); // a damaged entry: compile again
      }
    }

    const ajv = this.ajv(dialect);
    const id = toId(source);
    for (const ref of refs) {
      const refId = toId(ref);
      if (!ajv.getSchema(refId))
        ajv.addSchema(normalizeSchema(JSON.parse(this.readCandidate(ref) ?? 'null') ?? {}, refId), refId);
    }
    const validate = ajv.compile(normalizeSchema(schema, id));
    const code = this.standaloneCode(ajv, validate);
    fs.mkdirSync(this.compiledDir, { recursive: true });
    fs.writeFileSync(`${cached}.${process.pid}.tmp`, code);
    fs.renameSync(`${cached}.${process.pid}.tmp`, cached);
    return loadStandalone(code);
  }

  private hashOf(file: string): string {
    let hash = this.fileHashes.get(file);
    if (!hash) {
      hash = createHash('sha256')
        .update(this.readCandidate(file) ?? '')
        .digest('hex');
      this.fileHashes.set(file, hash);
    }
    return hash;
  }

  private ajv(dialect: Dialect): AjvLike {
    this.ajvs ??= createAjvs();
    return this.ajvs[dialect];
  }

  private standaloneCode(_ajv: AjvLike, validate: unknown): string {
    const standalone = nodeRequire('ajv/dist/standalone').default as (ajv: unknown, fn: unknown) => string;
    return standalone(_ajv, validate);
  }
}

/**
 * Parses a rendered YAML stream and validates every object, kubeconform's way: empty documents are
 * ignored, `kind: List` is expanded, and a duplicate key (or any YAML error) fails the whole stream.
 */
export function validateYamlStream(
  validator: SchemaValidator,
  text: string,
): { object?: KubeObject; verdict: SchemaVerdict }[] {
  let objects: KubeObject[];
  try {
    objects = parseRenderedYaml(text);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    return [{ verdict: { status: 'error', errors: [], reason: `invalid YAML: ${reason}` } }];
  }
  return expandLists(objects).map((object) => ({ object, verdict: validator.validateObject(object) }));
}

/** `kind: List` (kubeconform expands it) becomes its items; other objects pass through. */
export function expandLists(objects: KubeObject[]): KubeObject[] {
  const out: KubeObject[] = [];
  for (const object of objects) {
    if (object?.kind === 'List' && Array.isArray(object.items)) out.push(...expandLists(object.items as KubeObject[]));
    else out.push(object);
  }
  return out;
}

function dialectOf(schema: Record<string, unknown>): Dialect {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (declared === '') return 'draft04';
  if (/json-schema\.org\/schema#?$/.test(declared)) return 'noformat';
  if (/draft-04/.test(declared)) return 'draft04';
  return 'gitops';
}

/** Ids are absolute file paths or URLs, so schemas from different folders never clash. */
function toId(source: string): string {
  return isUrl(source) ? source : `file://${source.split(path.sep).join('/')}`;
}

function fromId(id: string): string {
  return id.startsWith('file://') ? fileURLToPath(id) : id;
}

/** The other files a schema's `$ref`s point at (schemas/ kinds point at `_definitions.json`). */
function externalRefs(schema: unknown, source: string): string[] {
  const refs = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
          const file = value.split('#')[0];
          refs.add(fromId(new URL(file, toId(source)).href));
        } else visit(value);
      }
    }
  };
  visit(schema);
  return [...refs].sort();
}

/**
 * Adapts a schema to ajv: sets its id, drops `$schema` (ajv knows no draft-04 meta-schema) and the
 * draft-04 `id`, and turns draft-04 boolean exclusiveMinimum/Maximum into the draft-07 numbers.
 */
function normalizeSchema(schema: Record<string, unknown>, id: string): Record<string, unknown> {
  const copy = { ...schema };
  delete copy.$schema;
  delete copy.id;
  copy.$id = id;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    for (const [bound, limit] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      if (typeof record[bound] === 'boolean') {
        if (record[bound] && typeof record[limit] === 'number') {
          record[bound] = record[limit];
          delete record[limit];
        } else delete record[bound];
      }
    }
    for (const value of Object.values(record)) visit(value);
  };
  visit(copy);
  return copy;
}

// ---------------------------------------------------------------------------------------------
// ajv, loaded only when something must be compiled.

interface AjvLike {
  compile(schema: unknown): unknown;
  addSchema(schema: unknown, key: string): unknown;
  getSchema(key: string): unknown;
}

/** The formats kubeconform's draft-04 library checks; others (int32, byte...) are ignored there. */
const DRAFT04_FORMATS = [
  'date-time',
  'date',
  'time',
  'duration',
  'hostname',
  'email',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'uri-template',
  'regex',
  'json-pointer',
  'relative-json-pointer',
  'uuid',
];

/** Kubernetes formats for our own schemas, on top of ajv-formats. */
export const kubernetesFormats: Record<string, { type: 'number' | 'string'; validate: (value: never) => boolean }> = {
  int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 },
  int64: { type: 'number', validate: (n: number) => Number.isSafeInteger(n) || Number.isInteger(n) },
  double: { type: 'number', validate: () => true },
  float: { type: 'number', validate: () => true },
  byte: {
    type: 'string',
    validate: (s: string) =>
      /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s.replace(/\s/g, '')),
  },
  'int-or-string': { type: 'string', validate: () => true },
  quantity: {
    type: 'string',
    validate: (s: string) => /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+|[KMGTPE]i|[kMGTPEmnu])?$/.test(s),
  },
};

/** What the standalone code's `require("gitops-schema-formats")` returns, per dialect. */
const formatModules: Record<string, Record<string, unknown>> = {};

function formatsFor(dialect: Dialect): Record<string, unknown> {
  if (!formatModules[dialect]) {
    const { fullFormats } = nodeRequire('ajv-formats/dist/formats') as { fullFormats: Record<string, unknown> };
    const out: Record<string, unknown> = {};
    if (dialect === 'draft04') for (const name of DRAFT04_FORMATS) out[name] = fullFormats[name];
    if (dialect === 'gitops') Object.assign(out, fullFormats, kubernetesFormats);
    formatModules[dialect] = out;
  }
  return formatModules[dialect];
}

function createAjvs(): Record<Dialect, AjvLike> {
  const Ajv = nodeRequire('ajv').default as new (
    options: unknown,
  ) => AjvLike & { addFormat(name: string, format: unknown): unknown };
  const { _ } = nodeRequire('ajv') as { _: (strings: TemplateStringsArray, ...values: unknown[]) => unknown };
  const make = (dialect: Dialect): AjvLike => {
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      logger: false,
      validateFormats: dialect !== 'noformat',
      code: {
        source: true,
        lines: false,
        regExp: goRegExp,
        formats: dialect === 'noformat' ? undefined : _`require(${`gitops-schema-formats/${dialect}`})`,
      },
    });
    for (const [name, format] of Object.entries(formatsFor(dialect))) ajv.addFormat(name, format);
    return ajv;
  };
  return { gitops: make('gitops'), draft04: make('draft04'), noformat: make('noformat') };
}

/** Evaluates cached standalone code with a require that also knows our formats and regex engine. */
function loadStandalone(code: string): CompiledValidator {
  const module = { exports: {} as unknown };
  const requireShim = (id: string): unknown => {
    if (id === 'gitops-go-regexp') return { goRegExp };
    if (id.startsWith('gitops-schema-formats/')) return formatsFor(id.split('/')[1] as Dialect);
    return nodeRequire(id);
  };
  new Function('require', 'module', 'exports', code)(requireShim, module, module.exports);
  return module.exports as CompiledValidator;
}

// ---------------------------------------------------------------------------------------------
// ajv's errors as paths and messages a person can act on.

export function instancePathToJsonPath(instancePath: string, object: unknown): JsonPath {
  const path: JsonPath = [];
  let node: unknown = object;
  for (const raw of instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      path.push(Number(key));
      node = node[Number(key)];
    } else {
      path.push(key);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}

function toSchemaErrors(errors: AjvError[], object: unknown): SchemaError[] {
  // anyOf/oneOf umbrellas and the `null` branch of a nullable field only add noise when a deeper
  // error explains the failure.
  const specific = errors.filter(
    (e) =>
      !['anyOf', 'oneOf', 'if', 'then', 'else'].includes(e.keyword) &&
      !(e.keyword === 'type' && e.params.type === 'null'),
  );
  const chosen = specific.length > 0 ? specific : errors;
  const out = new Map<string, SchemaError>();
  for (const error of chosen) {
    const path = instancePathToJsonPath(error.instancePath, object);
    let message: string;
    switch (error.keyword) {
      case 'additionalProperties':
        path.push(String(error.params.additionalProperty));
        message = `unknown field "${String(error.params.additionalProperty)}" (strict schema: check the spelling and the indentation)`;
        break;
      case 'required':
        message = `missing required field "${String(error.params.missingProperty)}"`;
        break;
      case 'type':
        message = `expected ${[error.params.type]
          .flat()
          .filter((t) => t !== 'null')
          .join(' or ')}, got ${typeName(valueAt(object, path))}`;
        break;
      case 'enum':
        message = `expected one of ${(error.params.allowedValues as unknown[])
          .filter((v) => v !== null)
          .map((v) => JSON.stringify(v))
          .join(', ')}`;
        break;
      case 'format':
        message = `expected format ${String(error.params.format)}`;
        break;
      case 'pattern':
        message = `expected a string matching ${String(error.params.pattern)}`;
        break;
      default:
        message = error.message ?? error.keyword;
    }
    const key = `${JSON.stringify(path)}\u0000${message}`;
    if (!out.has(key)) out.set(key, { path, message, keyword: error.keyword });
  }
  return [...out.values()];
}

function valueAt(object: unknown, path: JsonPath): unknown {
  let node = object;
  for (const key of path)
    node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

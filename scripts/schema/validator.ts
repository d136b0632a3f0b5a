// Strict schema validation that reaches kubeconform's verdicts with ajv.
//
// Schemas are found kubeconform's way: the repository's CRDs first (crds.ts), then schemas/, then
// the configured locations in order. The JSON Schema dialect follows each file's `$schema`, as
// kubeconform's library does:
//   - our schemas/ (draft-07): Kubernetes formats checked (int32, int64, byte, date-time...);
//   - `http://json-schema.org/schema#` (yannh/kubernetes-json-schema): formats are not checked;
//   - no `$schema` (CRDs-catalog, draft-04), and the repository's CRDs: the standard formats are
//     checked, unknown ones ignored.
// Validators are compiled in memory, once per schema per run. There is no cache of compiled code:
// generated code kept on disk is code anyone who can write that folder (another user of a shared
// temp dir, a restored CI cache) chooses, and nothing short of compiling again can prove a file is
// what we would have generated. A schema that is not ours (a CRD, a schema folder, a downloaded
// file) has its `pattern`s compiled with RE2 (linear time), never with the backtracking RegExp.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRenderedYaml } from '../manifest/rendered.ts';
import { userCacheDir } from '../safe/cache-dir.ts';
import { readRepoFile } from '../safe/files.ts';
import { repositoryRegex } from '../safe/regex.ts';
import { toolRoot } from '../tool.ts';
import type { JsonPath, KubeObject } from '../types.ts';
import type { CrdSchema } from './crds.ts';
import { goRegExp } from './goRegExp.ts';
import { isUrl, localPath, locationTemplate, templateValues, UrlCache, expandTemplate } from './locations.ts';
import { DEFINITIONS_FILE } from './names.ts';
import { definitionsFor, kindIntroducedAfter, versionTable, type VersionTable } from './versions.ts';

const nodeRequire = createRequire(import.meta.url);
export const builtinSchemasDir = path.join(toolRoot, 'schemas');
/** The built-in ObjectMeta, which a CRD's metadata is checked against. */
export const objectMetaRef = `${toId(path.join(builtinSchemasDir, DEFINITIONS_FILE))}#/definitions/IoK8sApimachineryPkgApisMetaV1ObjectMeta`;

export interface SchemaError {
  /** Where in the object, as keys and indexes. */
  path: JsonPath;
  /** What was expected, never the value found (it may be a secret). */
  message: string;
  keyword: string;
}

const NO_ERRORS: readonly SchemaError[] = Object.freeze([]);

export type VerdictStatus = 'valid' | 'invalid' | 'missing-schema' | 'skipped' | 'error';

/** Shared between objects (a valid one is one frozen verdict per schema): read, never change. */
export interface SchemaVerdict {
  status: VerdictStatus;
  errors: readonly SchemaError[];
  /** The schema file or URL that decided, when one was found (for a CRD: `<file>#<crd name>`). */
  schema?: string;
  /** For missing-schema: every place that was tried, in order. */
  tried?: readonly string[];
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
  /** The repository's CRDs: they win over every location for their group/version/kind. */
  crds?: CrdSchema[];
  /** Downloaded schemas; default: the per-user cache (userCacheDir), in memory when there is none. */
  cacheDir?: string;
  /**
   * Use schemas/'s precompiled validators (PRECOMPILED_FILE) for the kinds and target they cover (default);
   * false compiles every schema in memory (the test that both agree).
   */
  precompiled?: boolean;
}

type Dialect = 'gitops' | 'draft04' | 'noformat';
/** Ours (schemas/): native RegExp; anything else: RE2 only. */
type Trust = 'builtin' | 'foreign';
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
  /** The verdict of every object this schema passes: one frozen copy, not one per object. */
  valid?: SchemaVerdict;
  /** trustOf(source), worked out once: it resolves a path, and every object asks. */
  trust?: Trust;
}

/** The folder for downloaded schemas: $GITOPS_CACHE_DIR/schema or the per-user cache; undefined when none is safe. */
export function defaultCacheDir(): string | undefined {
  return userCacheDir('schema');
}

export class SchemaValidator {
  private readonly templates: string[];
  private readonly skip: Set<string>;
  private readonly byKind = new KindMap<LoadedSchema | null>();
  /** kindIntroducedAfter of each built-in kind for the target, worked out once (null: served). */
  private readonly introducedAfter = new KindMap<string | null>();
  private readonly missing = new Map<string, SchemaVerdict>();
  private readonly crds = new Map<string, CrdSchema[]>();
  private readonly compiledCrds = new Map<CrdSchema, LoadedSchema>();
  private readonly urlCache: UrlCache;
  /** Where relative locations start: the repository's top in a run. */
  private readonly base: string;
  /** The only folders a local schema file is read from: the repository, schemas/, each local location's. */
  private readonly folders: string[];
  private readonly kubernetesVersion: string;
  private readonly precompiled: boolean;
  private ajvs?: Map<string, AjvLike>;

  constructor(options: SchemaValidatorOptions = {}) {
    const base = path.resolve(options.baseDir ?? process.cwd());
    this.base = base;
    const locations = [...(options.builtin === false ? [] : [builtinSchemasDir]), ...(options.locations ?? [])];
    this.templates = locations
      .map((location) => (isUrl(location) ? location : localPath(location, base)))
      .map(locationTemplate);
    this.folders = [base, ...this.templates.filter((template) => !isUrl(template)).map(locationFolder)];
    this.skip = new Set(options.skipKinds ?? []);
    const cacheDir = options.cacheDir ?? defaultCacheDir();
    this.urlCache = new UrlCache(cacheDir === undefined ? undefined : path.join(cacheDir, 'downloads'));
    this.kubernetesVersion = options.kubernetesVersion ?? '1.36';
    this.precompiled = options.precompiled !== false;
    for (const crd of options.crds ?? []) {
      const key = kindKey(crd.kind, crd.apiVersion);
      this.crds.set(key, [...(this.crds.get(key) ?? []), crd]);
    }
  }

  /** The places tried for a kind, in order. */
  candidates(kind: string, apiVersion: string): string[] {
    const values = templateValues(kind, apiVersion, this.kubernetesVersion);
    return this.templates.map((template) => expandTemplate(template, values));
  }

  /** Whether a location is a URL: without one, prefetch has nothing to download. */
  get downloadsSchemas(): boolean {
    return this.templates.some(isUrl);
  }

  /** Downloads the URL schemas these objects need into the cache; validateObject itself never waits on the network. */
  async prefetch(objects: KubeObject[]): Promise<string[]> {
    const failures: string[] = [];
    // Without a URL location there is nothing to download: working out every object's candidates
    // was 4% of checking 50,000 manifests. With one, each kind and apiVersion is looked at once.
    if (!this.downloadsSchemas) return failures;
    const kinds = new Set<string>();
    const seen = new Set<string>();
    for (const object of expandLists(objects)) {
      const { kind, apiVersion } = object ?? {};
      if (typeof kind !== 'string' || typeof apiVersion !== 'string' || !kind || !apiVersion) continue;
      const key = kindKey(kind, apiVersion);
      if (kinds.has(key) || this.crds.has(key)) continue;
      kinds.add(key);
      for (const candidate of this.candidates(kind, apiVersion)) {
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

  /**
   * Validates one object (not a `kind: List`: see expandLists). `env` picks, among CRDs of the same
   * kind that differ, the one deployed to the same environment.
   */
  validateObject(object: KubeObject, env?: string): SchemaVerdict {
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
    // Without skipKinds or CRDs (most runs) nothing is looked up or joined for them.
    if (this.skip.size > 0 && (this.skip.has(kind) || this.skip.has(`${apiVersion}/${kind}`)))
      return { status: 'skipped', errors: [] };
    const loaded =
      (this.crds.size > 0 ? this.crdSchemaFor(kind, apiVersion, env) : undefined) ?? this.schemaFor(kind, apiVersion);
    if (!loaded) return this.missingVerdict(kind, apiVersion);
    if (!loaded.validate) return { status: 'error', errors: [], schema: loaded.source, reason: loaded.error };
    const servedFrom =
      (loaded.trust ??= trustOf(loaded.source)) === 'builtin' ? this.kindIntroducedAfter(apiVersion, kind) : undefined;
    if (servedFrom) {
      const message = `${apiVersion} ${kind} is not served by Kubernetes ${this.kubernetesVersion} (the target): it was added in ${servedFrom}`;
      return {
        status: 'invalid',
        errors: [{ path: ['apiVersion'], keyword: 'introducedIn', message }],
        schema: loaded.source,
      };
    }
    // Unquoted timestamps arrive as strings, as kubeconform sees them: the fast parser uses CORE_SCHEMA.
    if (loaded.validate(object))
      return (loaded.valid ??= Object.freeze({
        status: 'valid',
        errors: NO_ERRORS,
        schema: loaded.source,
      }));
    return {
      status: 'invalid',
      errors: toSchemaErrors(loaded.validate.errors ?? [], object, this.kubernetesVersion),
      schema: loaded.source,
    };
  }

  private crdSchemaFor(kind: string, apiVersion: string, env: string | undefined): LoadedSchema | undefined {
    const all = this.crds.get(kindKey(kind, apiVersion));
    if (!all) return undefined;
    const crd = all.find((candidate) => env !== undefined && candidate.env === env) ?? all[0];
    let loaded = this.compiledCrds.get(crd);
    if (!loaded) {
      const source = `${crd.file}${crd.line ? `:${crd.line}` : ''} (CustomResourceDefinition ${crd.crd})`;
      try {
        loaded = {
          source,
          validate: this.compileSchema(crd.schema, `/crd/${this.compiledCrds.size}.json`, 'draft04', 'foreign'),
        };
      } catch (error) {
        loaded = { source, error: (error as Error).message };
      }
      this.compiledCrds.set(crd, loaded);
    }
    return loaded;
  }

  /** One frozen verdict per kind and apiVersion without a schema: its candidates are worked out once. */
  private missingVerdict(kind: string, apiVersion: string): SchemaVerdict {
    const key = kindKey(kind, apiVersion);
    let verdict = this.missing.get(key);
    if (!verdict) {
      const tried = Object.freeze(this.candidates(kind, apiVersion));
      verdict = Object.freeze({ status: 'missing-schema', errors: NO_ERRORS, tried });
      this.missing.set(key, verdict);
    }
    return verdict;
  }

  private schemaFor(kind: string, apiVersion: string): LoadedSchema | null {
    let loaded = this.byKind.get(apiVersion, kind);
    if (loaded === undefined) {
      loaded = this.load(kind, apiVersion);
      this.byKind.set(apiVersion, kind, loaded);
    }
    return loaded;
  }

  private load(kind: string, apiVersion: string): LoadedSchema | null {
    for (const candidate of this.candidates(kind, apiVersion)) {
      const precompiled = this.precompiled ? precompiledValidator(candidate, this.kubernetesVersion) : undefined;
      if (precompiled) return { source: candidate, validate: precompiled };
      const text = this.readCandidate(candidate);
      if (text === undefined || text === '') continue;
      try {
        const schema = JSON.parse(text) as Record<string, unknown>;
        return {
          source: candidate,
          validate: this.compileSchema(schema, candidate, dialectOf(schema), trustOf(candidate)),
        };
      } catch (error) {
        return { source: candidate, error: (error as Error).message };
      }
    }
    return null;
  }

  private readCandidate(candidate: string): string | undefined {
    if (isUrl(candidate)) return this.urlCache.read(candidate);
    // The path is the repository's to choose: a kind `../../../../etc/x` expands to a file outside
    // every location, and so does a `$ref: /proc/self/environ` in a repository schema (JSON's error
    // quoted what it read). Only a file inside one of the folders is read.
    const file = path.resolve(candidate);
    const folder = this.folders.find((dir) => within(dir, file));
    if (folder === undefined) return undefined;
    // A schema file of a repository folder may be a link to a device or out of the checkout: inside
    // the base folder (the repository), links must stay in it; elsewhere (schemas/, a
    // --schema-location folder) in the file's own folder.
    const read = readRepoFile(folder === this.base ? this.base : path.dirname(file), file);
    return read.ok ? read.text : undefined;
  }

  /** Compiles a schema with ajv in memory, adding the files its `$ref`s point at. */
  private compileSchema(
    schema: Record<string, unknown>,
    source: string,
    dialect: Dialect,
    trust: Trust,
  ): CompiledValidator {
    const ajv = this.ajv(dialect, trust);
    for (const ref of externalRefs(schema, source)) {
      const refId = toId(ref);
      if (!ajv.getSchema(refId)) ajv.addSchema(normalizeSchema(this.referencedSchema(ref), refId), refId);
    }
    return ajv.compile(normalizeSchema(schema, toId(source))) as CompiledValidator;
  }

  /** A file a `$ref` points at; schemas/'s shared definitions as the target Kubernetes minor has them. */
  private referencedSchema(ref: string): Record<string, unknown> {
    const schema = (JSON.parse(this.readCandidate(ref) ?? 'null') ?? {}) as Record<string, unknown>;
    const table = versionTable(builtinSchemasDir);
    if (!table || ref !== path.join(builtinSchemasDir, DEFINITIONS_FILE)) return schema;
    const definitions = schema.definitions as Record<string, Record<string, unknown>>;
    return { ...schema, definitions: definitionsFor(definitions, table, this.kubernetesVersion) };
  }

  private kindIntroducedAfter(apiVersion: string, kind: string): string | undefined {
    let introduced = this.introducedAfter.get(apiVersion, kind);
    if (introduced === undefined) {
      const table = versionTable(builtinSchemasDir);
      introduced = (table ? kindIntroducedAfter(table, apiVersion, kind, this.kubernetesVersion) : undefined) ?? null;
      this.introducedAfter.set(apiVersion, kind, introduced);
    }
    return introduced ?? undefined;
  }

  private ajv(dialect: Dialect, trust: Trust): AjvLike {
    this.ajvs ??= new Map();
    const key = `${dialect}/${trust}`;
    let ajv = this.ajvs.get(key);
    if (!ajv) {
      ajv = createAjv(dialect, trust);
      this.ajvs.set(key, ajv);
    }
    return ajv;
  }
}

/** The folder a local location template's files are in: up to its first placeholder. */
function locationFolder(template: string): string {
  const placeholder = template.indexOf('{{');
  const fixed = placeholder < 0 ? template : template.slice(0, placeholder);
  return /[\\/]$/.test(fixed) ? path.resolve(fixed) : path.dirname(path.resolve(fixed));
}

/** Whether `file` is below `dir` (both absolute and resolved). */
function within(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function kindKey(kind: string, apiVersion: string): string {
  return `${apiVersion}\u0000${kind}`;
}

/**
 * A map by apiVersion, then kind: every object looks its kind up, and a joined key would be a new
 * string to build and hash each time.
 */
class KindMap<V> {
  private readonly byApiVersion = new Map<string, Map<string, V>>();

  get(apiVersion: string, kind: string): V | undefined {
    return this.byApiVersion.get(apiVersion)?.get(kind);
  }

  set(apiVersion: string, kind: string, value: V): void {
    let kinds = this.byApiVersion.get(apiVersion);
    if (!kinds) {
      kinds = new Map();
      this.byApiVersion.set(apiVersion, kinds);
    }
    kinds.set(kind, value);
  }
}

/** Only schemas/ of this tool is ours; a CRD, a schema folder or a downloaded file is not. */
function trustOf(source: string): Trust {
  return !isUrl(source) && path.resolve(source).startsWith(builtinSchemasDir + path.sep) ? 'builtin' : 'foreign';
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
    if (object?.kind === 'List' && Array.isArray(object.items))
      for (const item of expandLists(object.items as KubeObject[])) out.push(item);
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
// ajv, loaded only when something must be compiled (a run that meets no object loads none).

interface AjvLike {
  compile(schema: unknown): unknown;
  addSchema(schema: unknown, key: string): unknown;
  getSchema(key: string): unknown;
  addKeyword(definition: unknown): unknown;
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

const formatsByDialect: Partial<Record<Dialect, Record<string, unknown>>> = {};

function formatsFor(dialect: Dialect): Record<string, unknown> {
  let formats = formatsByDialect[dialect];
  if (!formats) {
    const { fullFormats } = nodeRequire('ajv-formats/dist/formats') as { fullFormats: Record<string, unknown> };
    formats = {};
    if (dialect === 'draft04') for (const name of DRAFT04_FORMATS) formats[name] = fullFormats[name];
    if (dialect === 'gitops') Object.assign(formats, fullFormats, kubernetesFormats);
    formatsByDialect[dialect] = formats;
  }
  return formats;
}

/** RE2 for the patterns of schemas that are not ours: linear time, and Go's syntax, as the API server reads them. */
function re2RegExp(pattern: string): { test(input: string): boolean; toString(): string } {
  const regex = repositoryRegex(pattern);
  // ajv shares one compiled pattern between schemas by its toString(): it must name the pattern.
  return { test: (input: string) => regex.test(input), toString: () => `re2:${pattern}` };
}
re2RegExp.code = 'unused: validators are never written out as code';

/** What the precompiled validators' code names (`__deps.…`): the same formats and regex engine as in memory. */
interface PrecompiledDeps {
  formats: Record<string, unknown>;
  goRegExp: typeof goRegExp;
}

function createAjv(dialect: Dialect, trust: Trust, standalone = false): AjvLike {
  const ajvModule = nodeRequire('ajv') as {
    default: new (options: unknown) => AjvLike & { addFormat(name: string, format: unknown): unknown };
    _: (strings: TemplateStringsArray, ...values: unknown[]) => unknown;
  };
  const { _ } = ajvModule;
  const ajv = new ajvModule.default({
    strict: false,
    allErrors: true,
    logger: false,
    validateFormats: dialect !== 'noformat',
    // Checking our own 4 MB of definitions against the meta-schema on every run costs more than the
    // compile of a Deployment; `gitops schemas` and its test produce them. Foreign schemas are checked.
    validateSchema: trust === 'foreign',
    code: {
      lines: false,
      regExp: trust === 'builtin' ? goRegExp : re2RegExp,
      // Standalone code (precompiledSource) names the formats through its factory's argument.
      ...(standalone ? { source: true, formats: _`__deps.formats` } : {}),
    },
  });
  for (const [name, format] of Object.entries(formatsFor(dialect))) ajv.addFormat(name, format);
  // A field newer than the target Kubernetes version (versions.ts puts it in place of the field's schema):
  // always fails, naming the version. A code keyword, so standalone code can hold it too.
  ajv.addKeyword({
    keyword: 'introducedIn',
    schemaType: 'string',
    error: {
      message: 'introduced later',
      params: ({ schemaCode }: { schemaCode: unknown }) => _`{version: ${schemaCode}}`,
    },
    code: (cxt: { fail(): void }) => cxt.fail(),
  });
  return ajv;
}

// ---------------------------------------------------------------------------------------------
// Precompiled validators: ajv's standalone code for schemas/'s Kubernetes kinds, generated by
// `gitops schemas` into schemas/compiled/ (one CommonJS module per kind, loaded when a run first meets
// that kind) and shipped with the tool, so a run loads code instead of compiling (ajv's compile of a
// Deployment is about 0.5 s; loading its module about a tenth of that). Only the tool's own files, in its
// own schemas/, are ever loaded: never a cache, never a file from the repository or a temporary folder
// (docs/architecture.md, threat model). test/integration/schema.test.ts checks they are what the build
// writes, and that they give the same verdicts and errors as compiling in memory.

/** The folder of the generated modules in schemas/: `<kind file without .json>.cjs`. */
export const PRECOMPILED_DIR = 'compiled';
/** The target Kubernetes minor precompiled: the pipeline's default (DEFAULT_KUBERNETES_VERSION, tested equal). */
export const PRECOMPILED_TARGET = '1.32';
/** A stand-in for schemas/'s path in the generated code, which must not depend on where the tool lives. */
const PRECOMPILED_ROOT = '/gitops/schemas';

interface PrecompiledModule {
  target: string;
  create(deps: PrecompiledDeps): CompiledValidator;
}

const precompiledByFile = new Map<string, CompiledValidator | null>();

/** The precompiled validator of a built-in schema file for this target, when schemas/compiled/ has it. */
function precompiledValidator(candidate: string, target: string): CompiledValidator | undefined {
  if (target !== PRECOMPILED_TARGET || path.dirname(candidate) !== builtinSchemasDir) return undefined;
  const name = path.basename(candidate);
  let validator = precompiledByFile.get(name);
  if (validator === undefined) {
    const file = path.join(builtinSchemasDir, PRECOMPILED_DIR, name.replace(/\.json$/, '.cjs'));
    const module = existsSync(file) ? (nodeRequire(file) as PrecompiledModule) : undefined;
    validator =
      module?.target === PRECOMPILED_TARGET ? module.create({ formats: formatsFor('gitops'), goRegExp }) : null;
    precompiledByFile.set(name, validator);
  }
  return validator ?? undefined;
}

/** The generated module of a kind file: `compiled/<name>.cjs`. */
export function precompiledName(kindFile: string): string {
  return `${PRECOMPILED_DIR}/${kindFile.replace(/\.json$/, '.cjs')}`;
}

/**
 * The sources of schemas/compiled/: each given kind file (names in schemas/) compiled for PRECOMPILED_TARGET
 * exactly as SchemaValidator compiles it in memory (same ajv options, the shared definitions of that
 * minor, the same formats and regex engine), one CommonJS module per kind whose `create(deps)` returns
 * its validator. Keyed by precompiledName.
 */
export function precompiledSources(
  read: (name: string) => string,
  kindFiles: string[],
  table: VersionTable | null,
): Map<string, string> {
  const standaloneCode = nodeRequire('ajv/dist/standalone').default as (
    ajv: AjvLike,
    refs: Record<string, string>,
  ) => string;
  const ajv = createAjv('gitops', 'builtin', true);
  const definitionsId = toId(path.join(PRECOMPILED_ROOT, DEFINITIONS_FILE));
  const schema = JSON.parse(read(DEFINITIONS_FILE)) as Record<string, unknown>;
  const definitions = schema.definitions as Record<string, Record<string, unknown>>;
  const viewed = table ? { ...schema, definitions: definitionsFor(definitions, table, PRECOMPILED_TARGET) } : schema;
  ajv.addSchema(normalizeSchema(viewed, definitionsId), definitionsId);
  const out = new Map<string, string>();
  for (const name of [...kindFiles].sort()) {
    const id = toId(path.join(PRECOMPILED_ROOT, name));
    const kind = JSON.parse(read(name)) as Record<string, unknown>;
    for (const ref of externalRefs(kind, fromId(id)))
      if (ref !== fromId(definitionsId))
        throw new Error(`${name}: a $ref outside ${DEFINITIONS_FILE} cannot be precompiled`);
    ajv.addSchema(normalizeSchema(kind, id), id);
    const code = standaloneCode(ajv, { validate: id });
    out.set(
      precompiledName(name),
      [
        `// Generated by \`gitops schemas\` (scripts/schema/validator.ts, precompiledSources): ajv's standalone validator`,
        `// of schemas/${name} for Kubernetes ${PRECOMPILED_TARGET}. Do not edit; test/integration/schema.test.ts checks it.`,
        `'use strict';`,
        `exports.target = ${JSON.stringify(PRECOMPILED_TARGET)};`,
        `exports.create = function (__deps) {`,
        `const exports = {};`,
        code,
        `return exports.validate;`,
        `};`,
        '',
      ].join('\n'),
    );
  }
  return out;
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

function toSchemaErrors(errors: AjvError[], object: unknown, kubernetesVersion: string): SchemaError[] {
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
      case 'introducedIn':
        message = `field "${String(path[path.length - 1])}" is not in Kubernetes ${kubernetesVersion} (the target): it was added in ${String(error.params.version)}`;
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

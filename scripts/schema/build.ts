// Builds schemas/ (kubeconform layout) from the pinned kubernetes-models packages.
//
// Structure comes from the packages' TypeScript declarations, walked with the type checker:
// properties, optional flags, string-literal unions (enums) and index signatures (maps). The
// declarations say `number` where the API says int32 and drop patterns, so leaf facts (integer,
// format, pattern) are read from the packages' compiled ajv validators, which are generated from
// the same OpenAPI definitions. Every named declaration becomes one shared definition in
// `_definitions.json`; each kind file is a small `$ref` into it, which keeps the folder a few MB.
import { createHash } from 'node:crypto';
// eslint-disable-next-line no-restricted-imports -- `gitops schemas` (a maintainer command) reads node_modules and schemas/
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { DEFINITIONS_FILE, kubeconformFileName, MANIFEST_FILE } from './names.ts';
import { compiledConfigSchemaSource, compiledSchemaPath } from '../config/load.ts';
import { PRECOMPILED_DIR, precompiledSources } from './validator.ts';
import { VERSION_TABLE_FILE, versionTable, type VersionTable } from './versions.ts';
import { crdPropertySchema, crdVersionSchema } from './crds.ts';
import { FLAGGER_KINDS } from './flagger.ts';
import { UPSTREAM_FIELDS, UPSTREAM_RELAXATIONS, withUpstreamFields, type UpstreamField } from './upstream-fields.ts';
import { compareText } from '../finding-order.ts';

/** The packages schemas/ is built from, in priority order (the first wins a file-name collision). */
export const SCHEMA_PACKAGES = [
  'kubernetes-models',
  '@kubernetes-models/argo-cd',
  '@kubernetes-models/argo-rollouts',
  '@kubernetes-models/cert-manager',
  '@kubernetes-models/external-secrets',
  '@kubernetes-models/gateway-api',
  '@kubernetes-models/istio',
  '@kubernetes-models/keda',
  '@kubernetes-models/prometheus-operator',
  '@kubernetes-models/sealed-secrets',
  '@kubernetes-models/flux-cd',
  '@kubernetes-models/kyverno',
  '@kubernetes-models/karpenter',
  '@kubernetes-models/autoscaler',
];

/** Where the kinds written in this project come from, in the manifest (no npm package ships them). */
export const WRITTEN_SCHEMAS = 'scripts/schema/flagger.ts';
const OBJECT_META = 'IoK8sApimachineryPkgApisMetaV1ObjectMeta';

/** kubernetes-models 5.x follows Kubernetes 1.(x+31): 5.1.0 is generated from Kubernetes 1.36. */
export const KUBERNETES_VERSION_OF_MODELS: Record<string, string> = { '5': '1.36' };

/** Our files declare draft-07: the validator then checks their formats (int32...), see validator.ts. */
const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

type JsonSchema = Record<string, unknown>;

interface KindEntry {
  kind: string;
  apiVersion: string;
  definition: string;
  packageName: string;
}

/**
 * The schema files of the custom resources `gitops generate` writes (Argo CD, Argo Rollouts, Flagger, cert-manager,
 * External Secrets, Sealed Secrets, KEDA, the VPA, the Prometheus operator): precompiled like the Kubernetes kinds.
 */
export const GENERATED_RESOURCE_FILES = [
  'alertprovider-flagger-v1beta1.json',
  'analysistemplate-argoproj-v1alpha1.json',
  'application-argoproj-v1alpha1.json',
  'applicationset-argoproj-v1alpha1.json',
  'appproject-argoproj-v1alpha1.json',
  'canary-flagger-v1beta1.json',
  'certificate-cert-manager-v1.json',
  'clustersecretstore-external-secrets-v1.json',
  'externalsecret-external-secrets-v1.json',
  'metrictemplate-flagger-v1beta1.json',
  'podmonitor-monitoring-v1.json',
  'rollout-argoproj-v1alpha1.json',
  'scaledobject-keda-v1alpha1.json',
  'sealedsecret-bitnami-v1alpha1.json',
  'secretstore-external-secrets-v1.json',
  'servicemonitor-monitoring-v1.json',
  'verticalpodautoscaler-autoscaling-v1.json',
];

export interface BuildResult {
  files: Map<string, string>;
  kinds: number;
  definitions: number;
  collisions: string[];
  /** The shared definitions, and the Kubernetes kinds (kubernetes-models) with theirs: the version table's input. */
  definitionSchemas: Record<string, JsonSchema>;
  kubernetesKinds: { apiVersion: string; kind: string; definition: string }[];
  /** The schema files of those kinds and of GENERATED_RESOURCE_FILES (the ones precompiled). */
  kubernetesFiles: string[];
}

export function buildSchemas(toolRoot: string): BuildResult {
  const require = createRequire(path.join(toolRoot, 'package.json'));
  const packageRoots = SCHEMA_PACKAGES.map((name) => ({
    name,
    root: path.dirname(require.resolve(`${name}/package.json`)),
  }));
  const kindFiles: { file: string; packageName: string }[] = [];
  for (const { name, root } of packageRoots) {
    // Only kinds are roots (a cheap text test); the program loads what they reference.
    for (const file of listDeclarationFiles(root))
      if (/^\s*static kind: /m.test(fs.readFileSync(file, 'utf8'))) kindFiles.push({ file, packageName: name });
  }
  const program = ts.createProgram(
    kindFiles.map((k) => k.file),
    {
      noEmit: true,
      skipLibCheck: true,
      types: [],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
    },
  );
  const walker = new DeclarationWalker(program);
  const kinds: KindEntry[] = [];
  for (const { file, packageName } of kindFiles) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    const kindInfo = kindOfDeclarationFile(source);
    if (!kindInfo) continue;
    const definition = walker.definitionFor(kindInfo.declaration);
    if (definition) kinds.push({ ...kindInfo, definition, packageName });
  }
  walker.drain();

  const files = new Map<string, string>();
  const collisions: string[] = [];
  const owner = new Map<string, KindEntry>();
  kinds.sort(
    (a, b) =>
      SCHEMA_PACKAGES.indexOf(a.packageName) - SCHEMA_PACKAGES.indexOf(b.packageName) ||
      compareText(a.apiVersion, b.apiVersion) ||
      compareText(a.kind, b.kind),
  );
  for (const entry of kinds) {
    const name = kubeconformFileName(entry.kind, entry.apiVersion);
    const previous = owner.get(name);
    if (previous) {
      if (previous.apiVersion !== entry.apiVersion || previous.kind !== entry.kind) {
        collisions.push(
          `${name}: ${previous.kind} ${previous.apiVersion} (${previous.packageName}) kept, ${entry.kind} ${entry.apiVersion} (${entry.packageName}) dropped`,
        );
      }
      continue;
    }
    owner.set(name, entry);
    files.set(
      name,
      `${JSON.stringify({ $schema: DRAFT_07, $ref: `${DEFINITIONS_FILE}#/definitions/${entry.definition}` }, null, 2)}\n`,
    );
  }
  // Kinds no package ships, written from their CRDs (flagger.ts) and converted as a repository's CRDs are.
  for (const { apiVersion, kind, openAPIV3Schema } of FLAGGER_KINDS) {
    const name = kubeconformFileName(kind, apiVersion);
    if (files.has(name)) continue;
    owner.set(name, { kind, apiVersion, definition: '', packageName: WRITTEN_SCHEMAS });
    const schema = crdVersionSchema(openAPIV3Schema, `${DEFINITIONS_FILE}#/definitions/${OBJECT_META}`);
    files.set(name, `${JSON.stringify({ $schema: DRAFT_07, ...schema }, null, 2)}\n`);
  }
  const definitions = walker.definitions();
  const crdFields = JSON.parse(
    fs.readFileSync(path.join(toolRoot, 'scripts', 'schema', 'upstream-crd-fields.json'), 'utf8'),
  ) as UpstreamField[];
  const upstream = [...UPSTREAM_FIELDS, ...crdFields];
  withUpstreamFields(definitions, upstream, UPSTREAM_RELAXATIONS, crdPropertySchema, nullable);
  files.set(DEFINITIONS_FILE, stableStringify({ $schema: DRAFT_07, $id: DEFINITIONS_FILE, definitions }));
  const packages = Object.fromEntries(
    packageRoots.map(({ name, root }) => [
      name,
      JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version as string,
    ]),
  );
  const modelsMajor = packages['kubernetes-models'].split('.')[0];
  const manifest = {
    generatedBy: 'gitops schemas (scripts/schema/build.ts)',
    kubernetesVersion: KUBERNETES_VERSION_OF_MODELS[modelsMajor] ?? 'unknown',
    packages,
    definitionsSha256: createHash('sha256').update(files.get(DEFINITIONS_FILE)!).digest('hex'),
    // What the build adds to the packages' definitions (upstream-fields.ts), so a reader sees it here.
    upstreamFields: upstream.map(({ definition, property, since }) => `${definition}.${property} (${since})`),
    upstreamRelaxations: UPSTREAM_RELAXATIONS.map(
      ({ definition, enumValues, notRequired, since }) =>
        `${definition}: ${[
          ...(enumValues ? [`${enumValues.property} also ${enumValues.values.join(', ')}`] : []),
          ...(notRequired ? [`${notRequired.join(', ')} not required`] : []),
        ].join('; ')} (${since})`,
    ),
    kinds: [...owner.entries()]
      .map(([file, e]) => ({ apiVersion: e.apiVersion, kind: e.kind, file, package: e.packageName }))
      .sort((a, b) => compareText(a.file, b.file)),
    collisions: collisions.sort(),
  };
  files.set(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  // Precompiled: the Kubernetes API's own stable kinds (v1, <group>/v<N>), not their List kinds: the ones
  // nearly every repository holds. Beta, alpha, List and custom-resource kinds compile in memory as they come.
  const kubernetesFiles = [...owner.entries()]
    .filter(([, e]) => e.packageName === 'kubernetes-models')
    .filter(([, e]) => /^(v\d+|[a-z0-9.-]+\/v\d+)$/.test(e.apiVersion) && !e.kind.endsWith('List'))
    .map(([file]) => file);
  // And the custom resources the generator writes (GENERATED_RESOURCE_FILES), which every generated repository
  // holds: compiling them in memory was about 2 s of CPU in each validate of the built-in example.
  for (const file of GENERATED_RESOURCE_FILES) if (files.has(file)) kubernetesFiles.push(file);
  addPrecompiledValidators(files, kubernetesFiles, versionTable(path.join(toolRoot, 'schemas')));
  // gitops.yaml's validator too (gitops.schema.json is not built here: the rules and people write it).
  files.set(
    path.relative(path.join(toolRoot, 'schemas'), compiledSchemaPath).split(path.sep).join('/'),
    compiledConfigSchemaSource(fs.readFileSync(path.join(toolRoot, 'schemas', 'gitops.schema.json'), 'utf8')),
  );
  const kubernetesKinds = [...owner.values()]
    .filter((entry) => entry.packageName === 'kubernetes-models')
    .map(({ apiVersion, kind, definition }) => ({ apiVersion, kind, definition }));
  return {
    files,
    kinds: owner.size,
    definitions: Object.keys(definitions).length,
    collisions,
    definitionSchemas: definitions,
    kubernetesKinds,
    kubernetesFiles,
  };
}

/**
 * Adds PRECOMPILED_FILE: the Kubernetes API's own kinds (the ones nearly every repository has) compiled
 * ahead of time, so runs load them instead of compiling; other kinds compile in memory as they come.
 */
export function addPrecompiledValidators(
  files: Map<string, string>,
  kindFiles: string[],
  table: VersionTable | null,
): void {
  for (const name of [...files.keys()]) if (name.startsWith(`${PRECOMPILED_DIR}/`)) files.delete(name);
  for (const [name, text] of precompiledSources((name) => files.get(name)!, kindFiles, table)) files.set(name, text);
}

/** Writes the build into `outDir`, removing schema files that are no longer produced. */
export function writeSchemas(
  result: BuildResult,
  outDir: string,
  keep: (name: string) => boolean,
): { written: number; removed: number } {
  fs.mkdirSync(path.join(outDir, PRECOMPILED_DIR), { recursive: true });
  let removed = 0;
  for (const name of builtFileNames(outDir)) {
    if (!result.files.has(name) && !keep(name)) {
      fs.rmSync(path.join(outDir, name));
      removed++;
    }
  }
  for (const [name, text] of result.files) fs.writeFileSync(path.join(outDir, name), text);
  return { written: result.files.size, removed };
}

/** Files a fresh build would write differently, and schema files it would remove, sorted. */
export function staleSchemaFiles(
  result: BuildResult,
  outDir: string,
  keep: (name: string) => boolean = (name) => name === 'gitops.schema.json' || name === VERSION_TABLE_FILE,
): string[] {
  const stale: string[] = [];
  for (const [name, text] of result.files) {
    const file = path.join(outDir, name);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) stale.push(name);
  }
  for (const name of builtFileNames(outDir)) if (!result.files.has(name) && !keep(name)) stale.push(name);
  return stale.sort();
}

/** The files of a schemas folder a build writes: its .json files and the modules in compiled/. */
function builtFileNames(outDir: string): string[] {
  const list = (dir: string, ending: string) =>
    fs.existsSync(path.join(outDir, dir))
      ? fs
          .readdirSync(path.join(outDir, dir))
          .filter((name) => name.endsWith(ending))
          .map((name) => (dir ? `${dir}/${name}` : name))
      : [];
  return [...list('', '.json'), ...list(PRECOMPILED_DIR, '.cjs')];
}

function listDeclarationFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareText(a.name, b.name))) {
      if (entry.name === '_schemas' || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.d.ts') && entry.name !== 'index.d.ts') out.push(full);
    }
  };
  walk(root);
  return out;
}

/** A kind's declaration file has `interface IKind` with literal apiVersion and kind properties. */
function kindOfDeclarationFile(
  source: ts.SourceFile,
): { kind: string; apiVersion: string; declaration: ts.InterfaceDeclaration } | undefined {
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    let kind: string | undefined;
    let apiVersion: string | undefined;
    for (const member of statement.members) {
      if (
        !ts.isPropertySignature(member) ||
        !member.type ||
        !ts.isLiteralTypeNode(member.type) ||
        !ts.isStringLiteral(member.type.literal)
      )
        continue;
      const name = propertyName(member.name);
      if (name === 'kind') kind = member.type.literal.text;
      if (name === 'apiVersion') apiVersion = member.type.literal.text;
    }
    if (kind && apiVersion) return { kind, apiVersion, declaration: statement };
  }
  return undefined;
}

function propertyName(name: ts.PropertyName): string {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : name.getText();
}

/** Leaf facts the declarations lose, read from a compiled validator. */
interface LeafHints {
  integer: boolean;
  /** Facts of the properties below, when the property is an inline object (or a list or map of them). */
  props?: () => Map<string, LeafHints>;
  format?: string;
  pattern?: string;
}

class DeclarationWalker {
  private readonly checker: ts.TypeChecker;
  private readonly done = new Map<string, JsonSchema>();
  private readonly queue: { name: string; declaration: ts.InterfaceDeclaration }[] = [];
  private readonly queued = new Set<string>();
  private readonly aliasCache = new Map<string, Map<string, string>>();

  constructor(program: ts.Program) {
    this.checker = program.getTypeChecker();
  }

  definitions(): Record<string, JsonSchema> {
    return Object.fromEntries([...this.done.entries()].sort(([a], [b]) => compareText(a, b)));
  }

  /** The shared definition name of an interface: its package-wide alias without the leading `I`. */
  definitionFor(declaration: ts.InterfaceDeclaration): string | undefined {
    const file = declaration.getSourceFile().fileName;
    const full = this.aliasesOf(file).get(declaration.name.text) ?? compiledNameOf(file);
    if (!full) return undefined;
    const name = full.replace(/^I/, '');
    if (!this.queued.has(name)) {
      this.queued.add(name);
      this.queue.push({ name, declaration });
    }
    return name;
  }

  drain(): void {
    while (this.queue.length > 0) {
      const { name, declaration } = this.queue.shift()!;
      const handWritten = customJsonDefinition(name);
      if (handWritten) {
        this.done.set(name, handWritten);
        continue;
      }
      const schema = this.objectSchema(
        this.checker.getTypeAtLocation(declaration),
        compiledHintsFor(declaration.getSourceFile().fileName, name),
      );
      // A shared definition accepts null itself, so an optional `$ref` field needs no anyOf wrapper
      // (which would make ajv's errors noisy and validation slower).
      schema.type = ['object', 'null'];
      this.done.set(name, schema);
    }
  }

  private aliasesOf(file: string): Map<string, string> {
    let aliases = this.aliasCache.get(file);
    if (!aliases) {
      aliases = new Map();
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/export type \{([^}]*)\}/g)) {
        for (const part of match[1].split(',')) {
          const m = /^\s*(\w+)\s+as\s+(\w+)\s*$/.exec(part);
          if (m && m[2].startsWith('I')) aliases.set(m[1], m[2]);
        }
      }
      this.aliasCache.set(file, aliases);
    }
    return aliases;
  }

  /** `indexHints` are the leaf facts of a map's values when the map is an anonymous property type. */
  private objectSchema(type: ts.Type, hints: Map<string, LeafHints>, indexHints?: LeafHints): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const symbol of this.checker.getPropertiesOfType(type)) {
      const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
      if (!declaration) continue;
      const optional = (symbol.flags & ts.SymbolFlags.Optional) !== 0;
      const propType = this.checker.getTypeOfSymbolAtLocation(symbol, declaration);
      let schema = this.typeSchema(propType, hints.get(symbol.name));
      // The API server and kubeconform's schemas accept null for a field that may be omitted.
      if (optional) schema = nullable(schema);
      else required.push(symbol.name);
      properties[symbol.name] = schema;
    }
    const index = type.getStringIndexType();
    const schema: JsonSchema = { type: 'object' };
    if (Object.keys(properties).length > 0) {
      schema.properties = sortKeys(properties);
      // Strict like kubeconform -strict: an object that lists its fields rejects any other.
      schema.additionalProperties = index ? this.typeSchema(index, indexHints) : false;
    } else if (index) {
      schema.additionalProperties = this.typeSchema(index, indexHints);
    }
    if (required.length > 0) schema.required = required.sort();
    return schema;
  }

  private typeSchema(type: ts.Type, hints: LeafHints | undefined): JsonSchema {
    const alias = type.aliasSymbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
    if (/[\\/]intstr[\\/]IntOrString\.d\.ts$/.test(alias))
      return { type: ['string', 'integer'], format: 'int-or-string' };
    if (/[\\/]resource[\\/]Quantity\.d\.ts$/.test(alias)) return { type: ['string', 'number'], format: 'quantity' };

    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (type.flags & ts.TypeFlags.StringLiteral)
      return { type: 'string', enum: [(type as ts.StringLiteralType).value] };
    if (type.flags & ts.TypeFlags.String) return withHints({ type: 'string' }, hints);
    if (type.flags & ts.TypeFlags.Number) return withHints({ type: hints?.integer ? 'integer' : 'number' }, hints);
    if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
    if (type.flags & ts.TypeFlags.Null) return { type: 'null' };
    if (type.isUnion()) return this.unionSchema(type, hints);
    if (this.checker.isArrayType(type)) {
      const [item] = this.checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: this.typeSchema(item, hints) };
    }
    if (type.flags & ts.TypeFlags.Object) {
      const declaration = type.getSymbol()?.declarations?.[0];
      if (declaration && ts.isInterfaceDeclaration(declaration)) {
        const name = this.definitionFor(declaration);
        if (name) return { $ref: `#/definitions/${name}` };
      }
      return this.objectSchema(type, hints?.props?.() ?? new Map(), hints);
    }
    return {};
  }

  private unionSchema(type: ts.UnionType, hints: LeafHints | undefined): JsonSchema {
    const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    const allowsNull = members.length !== type.types.length;
    let schema: JsonSchema;
    if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) schema = { type: 'boolean' };
    else if (members.every((t) => t.flags & ts.TypeFlags.StringLiteral)) {
      schema = { type: 'string', enum: members.map((t) => (t as ts.StringLiteralType).value).sort() };
    } else if (
      members.length === 2 &&
      members.some((t) => t.flags & ts.TypeFlags.String) &&
      members.some((t) => t.flags & ts.TypeFlags.Number)
    ) {
      // x-kubernetes-int-or-string in a CRD: both forms are valid.
      schema = { type: ['string', hints?.integer === false ? 'number' : 'integer'], format: 'int-or-string' };
    } else if (members.length === 1) schema = this.typeSchema(members[0], hints);
    else schema = { anyOf: members.map((t) => this.typeSchema(t, hints)) };
    return allowsNull ? nullable(schema) : schema;
  }
}

/**
 * apiextensions' JSONSchemaProps helpers are Go types with their own JSON (un)marshalling, which the
 * OpenAPI spec cannot express: the packages declare them as empty objects. Their real shapes, from
 * k8s.io/apiextensions-apiserver's marshal.go (v1 and v1beta1 alike):
 *   JSON                         any JSON value (`enum` items, `default`, `example`);
 *   JSONSchemaPropsOrBool        a boolean or a schema (`additionalProperties`, `additionalItems`);
 *   JSONSchemaPropsOrArray       a schema or a list of schemas (`items`);
 *   JSONSchemaPropsOrStringArray a schema or a list of property names (`dependencies` values).
 * `if`/`then`/`else` rather than `anyOf`, so an error is reported by the one branch that applies.
 */
function customJsonDefinition(name: string): JsonSchema | undefined {
  const match = /^(IoK8sApiextensionsApiserverPkgApisApiextensionsV1(?:beta1)?)(JSON\w*)$/.exec(name);
  if (!match) return undefined;
  const props = { $ref: `#/definitions/${match[1]}JSONSchemaProps` };
  switch (match[2]) {
    case 'JSON':
      return {};
    case 'JSONSchemaPropsOrBool':
      return { if: { type: 'boolean' }, else: props };
    case 'JSONSchemaPropsOrArray':
      return { if: { type: 'array' }, then: { items: props }, else: props };
    case 'JSONSchemaPropsOrStringArray':
      return { if: { type: 'array' }, then: { items: { type: 'string' } }, else: props };
    default:
      return undefined; // JSONSchemaProps itself is a plain declared object
  }
}

function withHints(schema: JsonSchema, hints: LeafHints | undefined): JsonSchema {
  if (hints?.format) schema.format = hints.format;
  if (hints?.pattern && schema.type === 'string') schema.pattern = hints.pattern;
  return schema;
}

function nullable(schema: JsonSchema): JsonSchema {
  if (schema.$ref) return schema; // shared definitions accept null (see drain)
  if (schema.anyOf) return { anyOf: [schema, { type: 'null' }] };
  if (schema.type === undefined) return schema;
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if (types.includes('null')) return schema;
  const out: JsonSchema = { ...schema, type: [...types, 'null'] };
  if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  return out;
}

/**
 * Leaf facts per property from the package's compiled validator `_schemas/<Definition>.js`. The
 * generated code gives each property its own `validateN` function; we read the type, format and
 * pattern checks in that function and in the local functions it calls (array items, map values).
 * CRD packages declare nested objects inline; their facts come from the property's own function
 * (`props`), read on demand.
 */
function compiledHintsFor(declarationFile: string, definition: string): Map<string, LeafHints> {
  const packageRoot = packageRootOf(declarationFile);
  const compiled = path.join(packageRoot, '_schemas', `${definition}.js`);
  if (!fs.existsSync(compiled)) return new Map();
  const code = fs.readFileSync(compiled, 'utf8');
  const bodies = new Map<string, string>();
  const starts = [...code.matchAll(/function (validate\d+)\(data,/g)];
  starts.forEach((match, i) => bodies.set(match[1], code.slice(match.index, starts[i + 1]?.index ?? code.length)));
  const exported = /export const validate=(validate\d+)/.exec(code)?.[1];
  return exported ? propertyHints(exported, bodies, new Set()) : new Map();
}

function propertyHints(fn: string, bodies: Map<string, string>, seen: Set<string>): Map<string, LeafHints> {
  const hints = new Map<string, LeafHints>();
  const body = bodies.get(fn);
  if (!body || seen.has(fn)) return hints;
  seen.add(fn);
  const dispatch = [...body.matchAll(/(validate\d+)\(data(?:\.([\w$]+)|\[("(?:[^"\\]|\\.)*")\]),\{instancePath/g)];
  if (dispatch.length === 0) {
    // An array or a map: the facts are those of its items' function.
    const item = /(validate\d+)\(data\[(?:i|key)\d+\]/.exec(body)?.[1];
    return item && item !== fn ? propertyHints(item, bodies, seen) : hints;
  }
  for (const m of dispatch) {
    const prop = m[2] ?? (JSON.parse(m[3]) as string);
    const text = closureText(m[1], bodies);
    const integer = text.includes('params:{type:"integer"}');
    const number = text.includes('params:{type:"number"}');
    const format = /params:\{format:"([^"]+)"\}/.exec(text)?.[1];
    const patterns = [
      ...new Set([...text.matchAll(/params:\{pattern:("(?:[^"\\]|\\.)*")\}/g)].map((p) => JSON.parse(p[1]) as string)),
    ];
    const validator = m[1];
    const hint: LeafHints = {
      integer: integer && !number,
      props: () => propertyHints(validator, bodies, new Set(seen)),
    };
    if (format && format !== 'int-or-string' && format !== 'quantity') hint.format = format;
    if (patterns.length === 1) hint.pattern = patterns[0];
    hints.set(prop, hint);
  }
  return hints;
}

/**
 * Packages generated from CRD YAML (Istio) export no `IIoK8s…` alias: the kind's compiled
 * validator, imported by the sibling .js file, names its definition.
 */
function compiledNameOf(declarationFile: string): string | undefined {
  const js = declarationFile.replace(/\.d\.ts$/, '.js');
  if (!fs.existsSync(js)) return undefined;
  const name = /_schemas\/(\w+)\.js"/.exec(fs.readFileSync(js, 'utf8'))?.[1];
  return name ? `I${name}` : undefined;
}

function closureText(start: string, bodies: Map<string, string>): string {
  const seen = new Set<string>();
  const stack = [start];
  let text = '';
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const body = bodies.get(name);
    if (!body) continue; // imported: another definition, described by its own $ref
    text += body;
    for (const call of body.matchAll(/(validate\d+)\(/g)) if (!seen.has(call[1])) stack.push(call[1]);
  }
  return text;
}

function packageRootOf(file: string): string {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  const depth = parts[at + 1]?.startsWith('@') ? 3 : 2;
  return parts.slice(0, at + depth).join('/');
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Deterministic, compact JSON: one definition per line, keys in a fixed order, so diffs stay readable. */
function stableStringify(value: { $schema: string; $id: string; definitions: Record<string, JsonSchema> }): string {
  const lines = Object.entries(value.definitions).map(
    ([name, schema]) => `    ${JSON.stringify(name)}: ${JSON.stringify(schema)}`,
  );
  return `{\n  "$schema": ${JSON.stringify(value.$schema)},\n  "$id": ${JSON.stringify(value.$id)},\n  "definitions": {\n${lines.join(',\n')}\n  }\n}\n`;
}

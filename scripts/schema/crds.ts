// CustomResourceDefinitions as schemas. Every CRD the repository deploys (rendered or loose) gives one
// strict JSON schema per served version, read from its `openAPIV3Schema` the way the API server reads
// a structural schema:
//   - an object that lists `properties` accepts no other field (strict, like kubeconform -strict and
//     the API server's strict field validation), unless `x-kubernetes-preserve-unknown-fields: true`;
//   - `x-kubernetes-preserve-unknown-fields: true` keeps every unknown field (and with no `type`, any value);
//   - `x-kubernetes-int-or-string: true` is an integer or a string;
//   - `x-kubernetes-embedded-resource: true` is an object that also has apiVersion, kind and metadata;
//   - `nullable: true` also accepts null; so does any field of an object, nullable or not, because the
//     API server drops a null field that is not nullable before it validates (it is "pruned");
//   - the root always has apiVersion, kind and metadata (an ObjectMeta, checked with the built-in schema);
//   - `allOf`/`anyOf`/`oneOf`/`not` only restrict values: they never close an object;
//   - `default`, `example`, `description` and the other annotations are dropped: they do not validate.
// The CRD is the repository's (hostile input): the conversion is bounded in depth and in nodes, and
// its `pattern`s are compiled with RE2 by the validator (see validator.ts).
import type { KubeObject, Resource } from '../types.ts';

type JsonSchema = Record<string, unknown>;

/** A CRD's schema for one served group/version/kind. */
export interface CrdSchema {
  apiVersion: string;
  kind: string;
  /** The CRD's metadata.name, for messages. */
  crd: string;
  /** Where the CRD was declared: the file and line a person would open. */
  file: string;
  line?: number;
  /** The environment of the app that deploys it, when known (a CRD serves the cluster it is applied to). */
  env?: string;
  schema: JsonSchema;
}

/** Deeper than this, a CRD schema node accepts any value (real CRDs stay well under 40 levels). */
const MAX_DEPTH = 64;
/** More nodes than this in one version's schema: that version accepts any value (the largest real CRDs have ~20,000). */
const MAX_NODES = 200_000;

/** The keywords of JSONSchemaProps that validate a value and keep their meaning in draft-07. */
const VALUE_KEYWORDS = [
  'format',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'maxProperties',
  'minProperties',
  'required',
] as const;

/** Every served version of every CRD in these resources, in order. */
export function crdSchemasOf(resources: { resource: Resource; env?: string }[], objectMetaRef: string): CrdSchema[] {
  const out: CrdSchema[] = [];
  for (const { resource, env } of resources) {
    const object = resource.object;
    if (object?.kind !== 'CustomResourceDefinition' || !/^apiextensions\.k8s\.io\//.test(String(object.apiVersion)))
      continue;
    const at = resource.locate([]);
    for (const served of servedVersions(object)) {
      out.push({
        ...served,
        file: at.file,
        ...(at.line ? { line: at.line } : {}),
        ...(env ? { env } : {}),
        schema: crdVersionSchema(served.openAPIV3Schema, objectMetaRef),
      });
    }
  }
  return out;
}

interface ServedVersion {
  apiVersion: string;
  kind: string;
  crd: string;
  openAPIV3Schema: unknown;
}

/** v1: `spec.versions[].schema`; v1beta1 may also have one `spec.validation` for every version. Unserved versions are left out. */
export function servedVersions(crd: KubeObject): ServedVersion[] {
  const spec = record(crd.spec);
  const group = typeof spec.group === 'string' ? spec.group : '';
  const kind = record(spec.names).kind;
  if (!group || typeof kind !== 'string' || !kind) return [];
  const shared = record(spec.validation).openAPIV3Schema;
  const versions = Array.isArray(spec.versions)
    ? spec.versions.map(record)
    : typeof spec.version === 'string'
      ? [{ name: spec.version }]
      : [];
  const crdName = typeof record(crd.metadata).name === 'string' ? String(record(crd.metadata).name) : kind;
  return versions
    .filter((version) => typeof version.name === 'string' && version.served !== false)
    .map((version) => ({
      apiVersion: `${group}/${String(version.name)}`,
      kind,
      crd: crdName,
      openAPIV3Schema: record(version.schema).openAPIV3Schema ?? shared,
    }));
}

/** The draft-07 schema of one version: the structural schema, strict, with the root's apiVersion, kind and metadata. */
export function crdVersionSchema(openAPIV3Schema: unknown, objectMetaRef: string): JsonSchema {
  const budget = { nodes: MAX_NODES };
  const root =
    openAPIV3Schema === undefined ? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } : openAPIV3Schema;
  let schema = convert(root, 0, false, budget);
  if (budget.nodes < 0) schema = { type: 'object' };
  return withObjectFields(schema, objectMetaRef);
}

/** The draft-07 schema of one JSONSchemaProps below a CRD's root (a field upstream added, see upstream-fields.ts). */
export function crdPropertySchema(props: unknown): JsonSchema {
  const budget = { nodes: MAX_NODES };
  const schema = convert(props, 0, false, budget);
  return budget.nodes < 0 ? {} : schema;
}

/** Adds apiVersion, kind and metadata to an object schema (the root, an embedded resource). */
function withObjectFields(schema: JsonSchema, objectMetaRef: string): JsonSchema {
  const properties = { ...record(schema.properties) };
  properties.apiVersion = { type: 'string' };
  properties.kind = { type: 'string' };
  properties.metadata = { $ref: objectMetaRef };
  return { ...schema, properties };
}

function convert(node: unknown, depth: number, inJunctor: boolean, budget: { nodes: number }): JsonSchema {
  if (--budget.nodes < 0 || depth > MAX_DEPTH || !node || typeof node !== 'object' || Array.isArray(node)) return {};
  const props = node as Record<string, unknown>;
  const out: JsonSchema = {};
  const preserve = props['x-kubernetes-preserve-unknown-fields'] === true;
  const intOrString = props['x-kubernetes-int-or-string'] === true;
  const nullable = props.nullable === true;

  if (intOrString) out.type = ['integer', 'string'];
  else if (typeof props.type === 'string' && props.type) out.type = props.type;
  if (Array.isArray(props.enum)) out.enum = props.enum;
  if (nullable) acceptNull(out);
  for (const keyword of VALUE_KEYWORDS) if (props[keyword] !== undefined) out[keyword] = props[keyword];
  // OpenAPI v3.0 (draft-04) exclusive bounds are booleans beside minimum/maximum.
  for (const [bound, limit] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (props[bound] === true && typeof props[limit] === 'number') {
      out[bound] = props[limit];
      delete out[limit];
    }
  }
  if (Array.isArray(out.required) && !out.required.every((name) => typeof name === 'string')) delete out.required;

  const child = (value: unknown) => convert(value, depth + 1, inJunctor, budget);
  if (props.properties && typeof props.properties === 'object' && !Array.isArray(props.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(props.properties as Record<string, unknown>).map(([name, value]) => [
        name,
        acceptNull(child(value)),
      ]),
    );
  }
  if (props.items !== undefined) {
    out.items = Array.isArray(props.items) ? props.items.map(child) : child(props.items);
  }
  if (typeof props.additionalProperties === 'boolean') out.additionalProperties = props.additionalProperties;
  else if (props.additionalProperties && typeof props.additionalProperties === 'object')
    out.additionalProperties = child(props.additionalProperties);
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(props[junctor]))
      out[junctor] = (props[junctor] as unknown[]).map((value) => convert(value, depth + 1, true, budget));
  }
  if (props.not && typeof props.not === 'object') out.not = convert(props.not, depth + 1, true, budget);

  const embedded = props['x-kubernetes-embedded-resource'] === true;
  const isObject = out.type === 'object' || (Array.isArray(out.type) && out.type.includes('object'));
  // Strict: an object that lists its fields accepts no other, except where the API server keeps unknown fields.
  if (!inJunctor && !preserve && out.properties && out.additionalProperties === undefined && (isObject || !out.type))
    out.additionalProperties = false;
  if (embedded) return withEmbeddedFields(out);
  return out;
}

/** Adds null to a schema's type and enum (a schema without either accepts null already). */
function acceptNull(schema: JsonSchema): JsonSchema {
  if (schema.type !== undefined && ![schema.type].flat().includes('null'))
    schema.type = [...[schema.type].flat(), 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  return schema;
}

/** An embedded resource (a template of another object) also has apiVersion, kind and metadata. */
function withEmbeddedFields(schema: JsonSchema): JsonSchema {
  if (!schema.properties) return schema;
  const properties = { ...record(schema.properties) };
  properties.apiVersion ??= { type: 'string' };
  properties.kind ??= { type: 'string' };
  properties.metadata ??= { type: 'object' };
  return { ...schema, properties };
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

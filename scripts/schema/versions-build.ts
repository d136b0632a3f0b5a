// Builds schemas/kubernetes-versions.json: for every field of the built-in Kubernetes schemas (1.36,
// kubernetes-models) that an older minor lacks, the minor that introduced it; and the kinds an older
// minor does not serve. The facts come from real API specs of each minor, as published on npm by the
// Kubernetes project's own JavaScript client (@kubernetes/client-node, generated from the OpenAPI spec
// of one Kubernetes minor per release: see its README's compatibility table). Its model classes list
// every field of every definition (`attributeTypeMap`); walking them in step with our definitions from
// each kind gives, per definition, the fields that minor has. Run by `gitops schemas --kubernetes-versions`
// (needs the npm registry: the packages are fetched with `npm pack`, read as text, never executed).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
// eslint-disable-next-line no-restricted-imports -- `gitops schemas` (a maintainer command) reads npm's packages
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareText } from '../finding-order.ts';
import { compareMinor, type VersionTable } from './versions.ts';

/**
 * The client release generated from each minor's OpenAPI spec. Each package says which spec it was
 * generated from (`The version of the OpenAPI document: release-1.28`, or `v1.32.0` in its file
 * headers); fetchClientModels reads that and refuses a mismatch. No release was generated from 1.31
 * or 1.35: a field first seen in 1.32 (or 1.36) is taken as introduced in 1.31 (or 1.35), so those
 * targets may miss an error but never get a false one.
 */
export const CLIENT_FOR_MINOR: Record<string, string> = {
  '1.28': '0.20.0',
  '1.29': '0.21.0',
  '1.30': '0.22.3',
  '1.32': '1.1.2',
  '1.33': '1.3.0',
  '1.34': '1.4.0',
  '1.36': '2.0.1',
};
/** The minor schemas/ itself is built from (kubernetes-models 5.1.0). */
export const NEWEST_MINOR = '1.36';
/** The oldest target with facts. */
export const OLDEST_MINOR = '1.28';

/** The minor after `minor`: "1.30" → "1.31". */
function nextMinor(minor: string): string {
  const [major, min] = minor.split('.').map(Number);
  return `${major}.${min + 1}`;
}

interface Attribute {
  baseName: string;
  type: string;
}
type Models = Map<string, Attribute[]>;
type JsonSchema = Record<string, unknown>;

/** The model classes of one client package: class name → its fields. */
export function readModels(files: Map<string, string>): Models {
  const models: Models = new Map();
  for (const text of files.values()) {
    for (const match of text.matchAll(/(\w+)\.attributeTypeMap = (\[[\s\S]*?\]);/g)) {
      const attributes = JSON.parse(match[2]) as Attribute[];
      models.set(match[1], attributes);
    }
  }
  return models;
}

/** The client's class for a kind: `V1Deployment`, or `CoreV1Event` when two groups share the name. */
function rootClass(models: Models, apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  const versioned = `${capital(version)}${kind}`;
  for (const name of [versioned, `${capital(group.split('.')[0])}${versioned}`]) {
    const attributes = models.get(name);
    if (attributes?.some((a) => a.baseName === 'kind') && attributes.some((a) => a.baseName === 'apiVersion'))
      return name;
  }
  return undefined;
}

/** The definition a property schema refers to (through lists and maps). */
function refOf(schema: unknown): string | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const node = schema as JsonSchema;
  if (typeof node.$ref === 'string') return node.$ref.replace(/^.*#\/definitions\//, '');
  return refOf(node.items) ?? refOf(node.additionalProperties);
}

/** The class a client type refers to (through `Array<…>` and `{ [key: string]: …; }`). */
function classOf(type: string): string | undefined {
  const inner = type.replace(/^(?:Array<|\{ \[key: string\]: )+/, '').replace(/(?:>|; \})+$/, '');
  return /^[A-Z]\w*$/.test(inner) ? inner : undefined;
}

/** Per definition, the fields this minor has (the union over every place the walk meets it). */
function fieldsPresent(
  definitions: Record<string, JsonSchema>,
  kinds: { apiVersion: string; kind: string; definition: string }[],
  models: Models,
): { present: Map<string, Set<string>>; servedKinds: Set<string> } {
  const present = new Map<string, Set<string>>();
  const servedKinds = new Set<string>();
  const seen = new Set<string>();
  const walk = (definition: string, className: string) => {
    const key = `${definition} ${className}`;
    if (seen.has(key)) return;
    seen.add(key);
    const attributes = models.get(className);
    const properties = (definitions[definition]?.properties ?? {}) as Record<string, JsonSchema>;
    if (!attributes) return;
    const fields = present.get(definition) ?? new Set<string>();
    present.set(definition, fields);
    for (const attribute of attributes) {
      if (!(attribute.baseName in properties)) continue;
      fields.add(attribute.baseName);
      const child = refOf(properties[attribute.baseName]);
      const childClass = classOf(attribute.type);
      if (child && childClass) walk(child, childClass);
    }
  };
  for (const { apiVersion, kind, definition } of kinds) {
    const root = rootClass(models, apiVersion, kind);
    if (!root) continue;
    servedKinds.add(`${apiVersion} ${kind}`);
    walk(definition, root);
  }
  return { present, servedKinds };
}

export interface VersionInput {
  minor: string;
  source: string;
  models: Models;
}

/**
 * The table. A field is listed with the minor after the newest one that lacks it (so a gap in the
 * facts can only hide an error, never make one); a field every minor has is not listed. Fields are
 * judged from minors older than schemas/ (its own minor is schemas/ itself); a definition a minor
 * never reaches (its kinds are not served there) says nothing about its fields. A kind is listed
 * when the newest minor serves it and an older one does not; kinds no minor serves (kubernetes-models
 * keeps long-removed versions) and removed ones are the api-removed rule's.
 */
export function buildVersionTable(
  definitions: Record<string, JsonSchema>,
  kinds: { apiVersion: string; kind: string; definition: string }[],
  inputs: VersionInput[],
): VersionTable {
  const ordered = [...inputs].sort((a, b) => compareMinor(a.minor, b.minor));
  const perMinor = ordered.map((input) => ({ minor: input.minor, ...fieldsPresent(definitions, kinds, input.models) }));
  const older = perMinor.filter((m) => compareMinor(m.minor, NEWEST_MINOR) < 0);
  const fields: VersionTable['fields'] = {};
  for (const [definition, schema] of Object.entries(definitions)) {
    for (const property of Object.keys((schema.properties ?? {}) as JsonSchema)) {
      for (let i = older.length - 1; i >= 0; i--) {
        const fieldsOf = older[i].present.get(definition);
        if (!fieldsOf) break; // not reached in this minor: no fact
        if (fieldsOf.has(property)) continue;
        (fields[definition] ??= {})[property] = nextMinor(older[i].minor);
        break;
      }
    }
  }
  const kindsAdded: VersionTable['kinds'] = {};
  const newest = perMinor[perMinor.length - 1];
  for (const { apiVersion, kind } of kinds) {
    const key = `${apiVersion} ${kind}`;
    if (!newest?.servedKinds.has(key)) continue;
    for (let i = perMinor.length - 2; i >= 0; i--) {
      if (perMinor[i].servedKinds.has(key)) continue;
      kindsAdded[key] = nextMinor(perMinor[i].minor);
      break;
    }
  }
  return {
    about:
      "Fields and kinds of the built-in Kubernetes schemas (1.36) that older minors lack, with the minor that introduced them. Generated by `gitops schemas --kubernetes-versions` (scripts/schema/versions-build.ts) from each minor's OpenAPI spec as published in @kubernetes/client-node; read by scripts/schema/versions.ts. No client was generated from 1.31 or 1.35: what first appears in 1.32 or 1.36 is taken as introduced in 1.31 or 1.35.",
    newest: NEWEST_MINOR,
    oldest: OLDEST_MINOR,
    sources: Object.fromEntries(ordered.map((input) => [input.minor, input.source])),
    kinds: sortRecord(kindsAdded),
    fields: Object.fromEntries(
      Object.entries(fields)
        .sort(([a], [b]) => compareText(a, b))
        .map(([definition, props]) => [definition, sortRecord(props)]),
    ),
  };
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}

/** Fetches one client release with `npm pack` and reads its model files (never runs them). */
export function fetchClientModels(minor: string, version: string): { source: string; models: Models } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-k8s-client-'));
  try {
    const spec = `@kubernetes/client-node@${version}`;
    const tarball = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    const file = path.join(dir, tarball);
    const integrity = `sha512-${createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`;
    execFileSync('tar', ['xzf', file, '-C', dir, '--wildcards', 'package/dist/gen/*']);
    const models = new Map<string, string>();
    let text = '';
    const visit = (folder: string) => {
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) visit(full);
        else if (entry.name.endsWith('.js')) {
          const content = fs.readFileSync(full, 'utf8');
          text += content.slice(0, 2000);
          if (/[\\/]gen[\\/]models?[\\/]/.test(full)) models.set(entry.name, content);
        }
      }
    };
    visit(path.join(dir, 'package', 'dist', 'gen'));
    const generatedFrom = specMinor(text);
    if (generatedFrom !== minor)
      throw new Error(`${spec} was generated from Kubernetes ${generatedFrom ?? '(unknown)'}, not ${minor}`);
    return {
      source: `${spec}, generated from the Kubernetes ${minor} OpenAPI spec (${integrity})`,
      models: readModels(models),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The minor a client's file headers name most often (`OpenAPI document: release-1.28`, `v1.32.0`, `release-1.36`). */
function specMinor(headers: string): string | undefined {
  const counts = new Map<string, number>();
  for (const match of headers.matchAll(/(?:release-|\bv)(1\.\d+)(?:\.\d+)?\b/g))
    counts.set(match[1], (counts.get(match[1]) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

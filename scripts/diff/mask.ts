// Secret values never reach a diff: before an object is compared or printed, every value a secret
// rule would flag — Secret data and stringData, and whatever the secret rules report or the detector
// recognises anywhere in the object — is replaced by a marker with a short keyed hash. Two sides
// hashed with the same key show "changed" or "unchanged" without showing the value.
import { createHmac } from 'node:crypto';
import { detectSecret } from '../kube/secret-detect.ts';
import { redact } from '../safe/redact.ts';
import noSecretLiterals from '../rules/secrets/no-secret-literals.ts';
import { formatPath } from './canonical.ts';
import type { App, JsonPath, KubeObject, RepoContext, Resource } from '../types.ts';

/** A masked value: where it was and the hash that stands for it. */
export interface MaskedValue {
  /** "data.password", "spec.template.spec.containers[0].env[1].value" */
  path: string;
  hash: string;
}

/**
 * HMAC-SHA256 with a key private to this run or user, cut to 8 hex digits. A plain hash of a short
 * password would let anyone who reads a public PR comment test guesses against it; a keyed one only
 * says whether two values in the same report are equal.
 */
export function secretHasher(key: string | Buffer): (value: string) => string {
  return (value) => createHmac('sha256', key).update(value).digest('hex').slice(0, 8);
}

export function secretMarker(hash: string): string {
  return `<secret ${hash}>`;
}

const SECRET_MARKER = /^<secret [0-9a-f]{8}>$/;

/** Annotations that carry a copy of the whole object (a Secret's values with it). */
const COPY_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

function isCoreSecret(object: KubeObject): boolean {
  return object.kind === 'Secret' && (object.apiVersion === 'v1' || object.apiVersion === undefined);
}

/** The paths whose values are secrets in this object: structural (Secret data), reported by the secret rules, detected. */
export function secretPaths(resource: Resource, ctx: RepoContext, app: App): JsonPath[] {
  const object = resource.object;
  const paths: JsonPath[] = [];
  if (isCoreSecret(object)) {
    paths.push(['data'], ['stringData']);
    for (const annotation of COPY_ANNOTATIONS) paths.push(['metadata', 'annotations', annotation]);
  }
  // The rule knows where credentials hide (env values, args, embedded config files, Helm values);
  // a finding it would report on this resource masks the value it points at, whatever the filters do.
  noSecretLiterals.check({
    repo: ctx,
    app,
    resource,
    options: {},
    ruleIds: new Set(),
    report: (problem) => void (problem.path && paths.push(problem.path)),
  });
  // What the output redaction would elide (JWTs, tokens, URL credentials, PEM blocks) is masked too: the
  // snapshot is cached on disk, where no redaction step runs after it.
  walkStrings(object, [], undefined, (path, value, name) => {
    if (detectSecret(value, name) || redact(value) !== value) paths.push(path);
  });
  return paths;
}

/** Every string leaf with the name it sits under (a map key, or the `name` of an env var / parameter item). */
function walkStrings(
  value: unknown,
  path: JsonPath,
  name: string | undefined,
  visit: (path: JsonPath, value: string, name: string | undefined) => void,
): void {
  if (typeof value === 'string') {
    visit(path, value, name);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walkStrings(item, [...path, i], name, visit));
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const itemName = typeof record.name === 'string' ? record.name : undefined;
    for (const [key, item] of Object.entries(record)) {
      walkStrings(item, [...path, key], key === 'value' && itemName ? itemName : key, visit);
    }
  }
}

/**
 * A deep copy of the object with the values at `paths` (and every leaf below a path that is a map or
 * a list) replaced by markers, and the list of what was masked, in path order.
 */
export function maskObject(
  object: KubeObject,
  paths: JsonPath[],
  hash: (value: string) => string,
): { object: KubeObject; masked: MaskedValue[] } {
  const copy = structuredClone(object);
  const masked = new Map<string, MaskedValue>();
  const maskLeaves = (parent: Record<string | number, unknown>, key: string | number, path: JsonPath) => {
    const value = parent[key];
    if (value === null || value === undefined) return;
    if (typeof value === 'object') {
      const container = value as Record<string | number, unknown>;
      for (const child of Object.keys(container)) {
        const childKey = Array.isArray(container) ? Number(child) : child;
        maskLeaves(container, childKey, [...path, childKey]);
      }
      return;
    }
    const text = String(value);
    if (SECRET_MARKER.test(text)) return;
    const digest = hash(text);
    parent[key] = secretMarker(digest);
    const label = formatPath(path);
    masked.set(label, { path: label, hash: digest });
  };
  for (const path of paths) {
    if (path.length === 0) continue;
    let parent: unknown = copy;
    for (const step of path.slice(0, -1)) {
      parent =
        parent !== null && typeof parent === 'object' ? (parent as Record<string | number, unknown>)[step] : undefined;
    }
    if (parent === null || typeof parent !== 'object') continue;
    maskLeaves(parent as Record<string | number, unknown>, path[path.length - 1], path);
  }
  return {
    object: copy,
    masked: [...masked.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

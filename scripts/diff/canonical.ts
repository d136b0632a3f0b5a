// One text form of a Kubernetes object for comparing and showing it: keys in a stable order
// (apiVersion, kind, metadata, name, namespace first, then code-unit order, the way kustomize prints
// its output), whatever order the source files used. Equal objects give equal text on both sides.
import { dump } from 'js-yaml';
import { compareText } from '../finding-order.ts';
import type { JsonPath } from '../types.ts';

const FIRST_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace'];

/** Key order at every level: the envelope and `name` first (list items read "- name: app"), then the rest. */
export function compareKeys(a: string, b: string): number {
  const rank = (key: string) => {
    const index = FIRST_KEYS.indexOf(key);
    return index < 0 ? FIRST_KEYS.length : index;
  };
  return rank(a) - rank(b) || compareText(a, b);
}

/** YAML in the stable key order: no line folding, no anchors, so a one-field change is a one-line diff. */
export function canonicalYaml(value: unknown): string {
  return dump(value, { sortKeys: compareKeys, lineWidth: -1, noRefs: true, noCompatMode: true });
}

/** JSON with sorted keys: the identity of a value, for equality and hashing (cheaper than YAML). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort(compareText)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Equal in content: the same JSON text settles it cheaply (both sides come from one parser); else key order aside. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b) || canonicalJson(a) === canonicalJson(b);
}

/**
 * The leaf paths where two values differ (["spec", "template", "spec", "containers", 0, "image"]), in
 * key order, at most `limit`: what a summary line says changed without the whole diff.
 */
export function changedPaths(before: unknown, after: unknown, limit = 20): JsonPath[] {
  const out: JsonPath[] = [];
  const walk = (a: unknown, b: unknown, path: JsonPath) => {
    if (out.length >= limit) return;
    const bothMaps = isPlainMap(a) && isPlainMap(b);
    if (bothMaps) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareKeys);
      for (const key of keys) walk(a[key], b[key], [...path, key]);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((item, i) => walk(item, b[i], [...path, i]));
      return;
    }
    if (canonicalJson(a) !== canonicalJson(b)) out.push(path);
  };
  walk(before, after, []);
  return out;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** ["spec", "containers", 0, "env", 1, "value"] → "spec.containers[0].env[1].value"; odd keys quoted: metadata.annotations["a/b"]. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step)) out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

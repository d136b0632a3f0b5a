// Defensive readers for the untyped parts of Kubernetes objects. Rules run before anyone has
// proven the input valid (the schema stage reports that), so a rule never trusts a shape.

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function record(value: unknown): Json {
  return isRecord(value) ? value : {};
}

export function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value at a path of keys, or undefined when any step is missing or the wrong shape. */
export function get(value: unknown, ...path: (string | number)[]): unknown {
  let node: unknown = value;
  // An index loop, not for...of: no iterator in the tiers before the optimizing compiler (get is called
  // millions of times a run, from many call sites).
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (typeof key === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[key];
    } else {
      if (!isRecord(node)) return undefined;
      node = node[key];
    }
  }
  return node;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** String-valued entries of a map (labels, selectors); other values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  // for...in with an own-key test visits what Object.entries would, in its order, without the pairs.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = value[key];
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') out[key] = String(item);
  }
  return out;
}

/** A whole number from a YAML number or numeric string ("3"), else undefined. */
export function int(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

const QUANTITY_FACTORS: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

// \d+(?:\.\d+)?|\.\d+ is \d*\.?\d+ without its two ways to read each digit (quadratic on a long number)
const QUANTITY = /^([+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

// A repository repeats a few quantities ("100m", "128Mi") in every container and several rules read
// them: each text is parsed once. Bounded (cleared when full) so that no input grows it without end,
// and only short texts are kept: a longer one may be a slice that holds its whole source file alive.
const QUANTITY_CACHE_SIZE = 4096;
const QUANTITY_CACHE_MAX_LENGTH = 12;
const quantities = new Map<string, number | undefined>();

/**
 * A Kubernetes quantity ("500m", "128Mi", "1G", "1.5", "1e3") in base units (cores, bytes).
 * Undefined when it cannot be read: a rule then stays silent rather than guess.
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  if (value.length > QUANTITY_CACHE_MAX_LENGTH) return readQuantity(value);
  let parsed = quantities.get(value);
  if (parsed === undefined && !quantities.has(value)) {
    parsed = readQuantity(value);
    if (quantities.size >= QUANTITY_CACHE_SIZE) quantities.clear();
    quantities.set(value, parsed);
  }
  return parsed;
}

function readQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (match[2] ? QUANTITY_FACTORS[match[2]] : 1);
}

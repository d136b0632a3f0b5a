// Go's view of the JSON-like values ApplicationSet params are made of.

/** A map lookup that found nothing: prints "<no value>" (Go's invalid reflect.Value). */
export const NO_VALUE: unique symbol = Symbol('no value');

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Go's truth: false, 0, nil, empty string, empty list or map are false. */
export function isTrue(value: unknown): boolean {
  if (value === NO_VALUE || value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return true;
}

export function goTypeName(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  if (isMap(value)) return 'map[string]interface {}';
  return 'interface {}';
}

/** fmt's %v: lists as [a b], maps as map[k:v] with sorted keys, nil as <nil>. */
export function printValue(value: unknown): string {
  if (value === NO_VALUE || value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(printValue).join(' ')}]`;
  if (isMap(value))
    return `map[${Object.keys(value)
      .sort()
      .map((key) => `${key}:${printValue(value[key])}`)
      .join(' ')}]`;
  return String(value);
}

/** Go prints float64 1e21 as 1e+21 and 100000 as 100000, like JavaScript but with a signed exponent. */
export function formatNumber(value: number): string {
  return String(value).replace(/e(\d)/, 'e+$1');
}

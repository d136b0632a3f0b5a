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

/**
 * fmt's %v of a float64 (strconv 'g' with the shortest precision): an exponent from 1e21 down to
 * 1e+06 and below 1e-04, at least two exponent digits: 1000000 → "1e+06", 123456 → "123456". Every
 * number Argo CD reads from JSON or YAML is a float64, so this is how fasttemplate params print.
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '');
  const sign = value < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 6) {
    const abs = Math.abs(exponent);
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exponent < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** fmt's %v of a value Argo CD decoded from JSON or YAML (numbers are float64). */
export function printJsonValue(value: unknown): string {
  if (typeof value === 'number') return formatGoFloat(value);
  if (Array.isArray(value)) return `[${value.map(printJsonValue).join(' ')}]`;
  if (isMap(value))
    return `map[${Object.keys(value)
      .sort()
      .map((key) => `${key}:${printJsonValue(value[key])}`)
      .join(' ')}]`;
  return printValue(value);
}

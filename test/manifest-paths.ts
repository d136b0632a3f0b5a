// The paths the dialect tests ask a locator for: every node of a value, and for each collection a
// key and an index it does not have (a missing field lands where the yaml package puts it too).
import type { JsonPath } from '../scripts/types.ts';

/** Every path to a node of `value`, and for each collection a key and an index it does not have. */
export function pathsOf(value: unknown, path: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(path);
  if (Array.isArray(value)) {
    value.forEach((item, i) => pathsOf(item, [...path, i], out));
    out.push([...path, value.length], [...path, 'name']);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], out);
    out.push([...path, 'no-such-key', 'below'], [...path, 0]);
  } else {
    out.push([...path, 'below']);
  }
  return out;
}

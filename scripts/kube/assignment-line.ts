// `key=value` and `key: value` lines of a script or config file embedded in a ConfigMap value, an
// annotation, Helm values or a container argument: the name and the value a line assigns.
import { hasLineTerminator, skipSpaceBack } from '../safe/text.ts';

/**
 * Everything up to the value: spaces, `export `, the name (in quotes or not), `=` or `:`, spaces and an
 * opening quote. Linear: each quantifier is followed by something it cannot match.
 */
const ASSIGNMENT_PREFIX = /^\s*(?:export\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[=:]\s*["']?/;

export interface Assignment {
  name: string;
  /** The value without its closing quote, trailing comma and spaces; '' when there is none. */
  value: string;
}

/**
 * What `/^\s*(?:export\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[=:]\s*["']?(.*?)["']?\s*,?\s*$/` captures
 * (name, value), in linear time: that regex tried every end of `(.*?)` against `\s*,?\s*$`, cubic in a
 * run of spaces inside the value ("a=x", 5,000 spaces, "y": 54 s). The value is what lies between the
 * prefix and the shortest tail of closing quote, spaces, comma and spaces, as the lazy group took it;
 * like `.`, it never spans a line break (\r, U+2028, U+2029): such a line is no assignment, as before.
 * Backtracking into the prefix never found another match (test/kube/assignment-line.test.ts compares
 * the two on random lines), so the prefix regex's first match is the one.
 */
export function assignmentLine(line: string): Assignment | undefined {
  const prefix = ASSIGNMENT_PREFIX.exec(line);
  if (!prefix) return undefined;
  const start = prefix[0].length;
  // The tail `["']?\s*,?\s*$`, read from the end; it never reaches into the prefix.
  let end = skipSpaceBack(line, line.length, start);
  if (end > start && line.charCodeAt(end - 1) === 0x2c /* , */) end = skipSpaceBack(line, end - 1, start);
  if (end > start && (line[end - 1] === '"' || line[end - 1] === "'")) end--;
  if (hasLineTerminator(line, start, end)) return undefined;
  return { name: prefix[1], value: line.slice(start, end) };
}

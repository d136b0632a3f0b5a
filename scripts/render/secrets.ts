// What the render stage keeps of secrets: nothing on disk. An app that renders a Secret with values
// is not cached, and a failed render's message loses every value of the files it read.
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { envFileValues, redact, scalarValues } from '../safe/redact.ts';
import { readRepoFile } from '../safe/files.ts';

/**
 * Whether an object holds Secret values (a v1 Secret with data or stringData). An app that renders
 * one is never cached: Secret values (often generated from a git-ignored .env file) stay in memory
 * for this run's checks, which never print them (the redaction step), and are never written down.
 */
export function holdsSecretValues(object: {
  apiVersion?: unknown;
  kind?: unknown;
  data?: unknown;
  stringData?: unknown;
}): boolean {
  if (object.kind !== 'Secret' || !(object.apiVersion === 'v1' || object.apiVersion === undefined)) return false;
  const nonEmpty = (values: unknown) =>
    typeof values === 'object' &&
    values !== null &&
    Object.values(values).some((value) => value !== null && value !== '');
  return nonEmpty(object.data) || nonEmpty(object.stringData);
}

/** Keys whose string values name things (files, kinds, objects): a person needs them to find the problem. */
const NAMING_KEYS = new Set([
  'apiVersion',
  'kind',
  'name',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'resources',
  'bases',
  'components',
  'crds',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'path',
  'files',
  'envs',
  'env',
  'behavior',
  'group',
  'version',
  'image',
  'newName',
  'newTag',
]);

interface Collected {
  values: Set<string>;
  /** Nodes left to visit: aliases make a small file a huge tree (a YAML bomb), so the walk is bounded. */
  budget: number;
  /** Names seen under naming keys: kept in messages even where they also appear as values (a label). */
  names: Set<string>;
}

/** Scalars of a document, the ones under naming keys (a string or a list of strings there) apart. */
function valuesOf(doc: unknown, into: Collected, depth = 0): void {
  if (depth > 64 || into.budget-- <= 0) return;
  if (Array.isArray(doc)) {
    for (const item of doc) valuesOf(item, into, depth + 1);
  } else if (doc && typeof doc === 'object') {
    for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
      const naming =
        NAMING_KEYS.has(key) &&
        (typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string')));
      if (naming) {
        scalarValues(value, into.names);
        continue;
      }
      // Inline patches are YAML inside a string: their values too.
      if ((key === 'patch' || key === 'patchesStrategicMerge') && typeof value === 'string') {
        parsedValues(value, into);
        continue;
      }
      valuesOf(value, into, depth + 1);
    }
  } else {
    scalarValues(doc, into.values);
  }
}

function parsedValues(text: string, into: Collected): boolean {
  try {
    let structured = false;
    loadAll(
      text,
      (doc) => {
        if (doc && typeof doc === 'object') structured = true;
        valuesOf(doc, into);
      },
      { schema: CORE_SCHEMA },
    );
    return structured;
  } catch {
    return false;
  }
}

const MAX_SCANNED_BYTES = 1024 * 1024;

/**
 * Every value the input files of a failed render hold: YAML scalars (but the names), generator
 * literals, the lines of env files and the whole text of other files. Capped per file.
 */
export function inputValues(root: string, files: Iterable<string>): Set<string> {
  const collected: Collected = { values: new Set(), names: new Set(), budget: 0 };
  for (const file of files) {
    const read = readRepoFile(root, file, { maxBytes: MAX_SCANNED_BYTES });
    if (!read.ok) continue;
    collected.budget = 200_000;
    if (!/\.(ya?ml|json)$|(^|\/)Kustomization$/.test(file) || !parsedValues(read.text, collected))
      envFileValues(read.text, collected.values);
  }
  const values = new Set<string>();
  for (const value of collected.values) {
    // Generator literals: "KEY=value" and (a mistake kustomize quotes back) a literal without "=".
    const eq = value.indexOf('=');
    if (eq > 0 && !collected.names.has(value.slice(eq + 1))) values.add(value.slice(eq + 1));
    if (!collected.names.has(value)) values.add(value);
  }
  return values;
}

/** A failed render's message without any value of the files it read (and without secret shapes). */
export function redactRenderError(error: string, root: string, files: Iterable<string>): string {
  return redact(error, { secrets: inputValues(root, files) });
}

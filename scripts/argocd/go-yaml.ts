// YAML as Argo CD's Go code reads it (sigs.k8s.io/yaml: go-yaml v2, then JSON): YAML 1.1 scalars
// (`yes`/`on` are booleans, `0777` is octal), the first document only, a later duplicate key wins,
// every number a float64 (a JavaScript number), and no exponential alias expansion: go-yaml stops a
// "billion laughs" document with "document contains excessive aliasing", and so does this reader.
// Used for list elementsYaml, git generator files and the goTemplate fromYaml functions.
import type { Tags } from 'yaml';
import { yamlPackage } from '../manifest/yaml-package.ts';

/** Tags go-yaml v2 resolves differently (timestamps stay strings in JSON; no sexagesimal numbers). */
const UNUSED_TAGS = new Set([
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
]);
const MAX_ALIAS_COUNT = 100;

const options = {
  version: '1.1' as const,
  uniqueKeys: false,
  maxAliasCount: MAX_ALIAS_COUNT,
  customTags: (tags: Tags) =>
    tags.filter(
      (tag) => typeof tag !== 'string' && !UNUSED_TAGS.has(tag.tag) && !('format' in tag && tag.format === 'TIME'),
    ),
};

export class GoYamlError extends Error {}

/** The first document of `text` as plain data; undefined for an empty document. Throws GoYamlError. */
export function parseGoYaml(text: string): unknown {
  const [doc] = yamlPackage().parseAllDocuments(text, options);
  if (!doc || !('errors' in doc)) return undefined;
  if (doc.errors.length > 0) throw new GoYamlError(`yaml: ${firstLine(doc.errors[0].message)}`);
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = firstLine((error as Error).message);
    throw new GoYamlError(/alias/i.test(message) ? 'yaml: document contains excessive aliasing' : `yaml: ${message}`);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

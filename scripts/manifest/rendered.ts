// Fast parsing for kustomize's rendered output, the hot path. Each document goes through the fast
// path for kustomize's own YAML dialect (kustomize-yaml.ts); a document outside it goes to js-yaml's
// loadAll, about 10x faster than the `yaml` package (npm run bench), which like kubeconform rejects
// duplicate keys. CORE_SCHEMA rather than js-yaml's default: faster (no timestamp, binary, set or
// merge-key resolution), and it keeps unquoted timestamps as strings, which is what Kubernetes and
// kubeconform see (their YAML-to-JSON step has no date type).
import { CORE_SCHEMA, loadAll, Type } from 'js-yaml';
import type { KubeObject } from '../types.ts';
import { parseKustomizeDocument } from './kustomize-yaml.ts';
import { yaml11Number } from './yaml11-numbers.ts';

/** CORE_SCHEMA plus the YAML 1.1 numbers with underscores that Kubernetes reads (`replicas: 1_000`). */
export const KUBERNETES_YAML_SCHEMA = CORE_SCHEMA.extend({
  implicit: [
    new Type('tag:gitops.dev,2026:yaml11-number', {
      kind: 'scalar',
      resolve: (text: string) => yaml11Number(text) !== undefined,
      construct: (text: string) => yaml11Number(text),
    }),
  ],
});

/** kustomize separates documents with a bare `---` line; one inside a block scalar is indented. */
const DOCUMENT_SEPARATOR = /^---$/m;

/** Parses a multi-document YAML stream; empty documents are dropped. Throws js-yaml's YAMLException on bad YAML. */
export function parseRenderedYaml(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  const keep = (doc: unknown) => {
    if (doc !== null && doc !== undefined) objects.push(doc as KubeObject);
  };
  for (const document of text.split(DOCUMENT_SEPARATOR)) {
    const fast = parseKustomizeDocument(document);
    if (fast !== undefined) keep(fast);
    else loadAll(document, keep, { schema: KUBERNETES_YAML_SCHEMA });
  }
  return objects;
}

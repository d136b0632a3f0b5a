// Fast parsing for kustomize's rendered output, the hot path. js-yaml's loadAll is about 10x faster
// than the `yaml` package here (npm run bench) and, like kubeconform, rejects duplicate keys.
// CORE_SCHEMA rather than js-yaml's default: it is ~17% faster (no timestamp, binary, set or merge-key
// resolution), and it keeps unquoted timestamps as strings, which is what Kubernetes and kubeconform
// see (their YAML-to-JSON step has no date type). Kustomize's output carries no merge keys or anchors.
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import type { KubeObject } from '../types.ts';

/** Parses a multi-document YAML stream; empty documents are dropped. Throws js-yaml's YAMLException on bad YAML. */
export function parseRenderedYaml(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  loadAll(
    text,
    (doc) => {
      if (doc !== null && doc !== undefined) objects.push(doc as KubeObject);
    },
    { schema: CORE_SCHEMA },
  );
  return objects;
}

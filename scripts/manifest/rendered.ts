// Fast parsing for kustomize's rendered output, the hot path. js-yaml's loadAll is about 9x faster
// than the `yaml` package here (design.md) and, like kubeconform, rejects duplicate keys.
import { loadAll } from 'js-yaml';
import type { KubeObject } from '../types.ts';

/** Parses a multi-document YAML stream; empty documents are dropped. Throws js-yaml's YAMLException on bad YAML. */
export function parseRenderedYaml(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  loadAll(text, (doc) => {
    if (doc !== null && doc !== undefined) objects.push(doc as KubeObject);
  });
  return objects;
}

// Checks of kustomization files themselves: fields kustomize does not know (a typo is silently
// ignored by old kustomize and fatal in v5) and the fields kustomize v5 deprecates.
import type { JsonPath } from '../types.ts';
import type { SourceDocument } from '../manifest/source.ts';
import { closestNames } from '../suggest.ts';

/** The top-level fields of kustomize v5's Kustomization type (api/types/kustomization.go). */
export const KUSTOMIZATION_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'openapi',
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patchesStrategicMerge',
  'patchesJson6902',
  'patches',
  'images',
  'imageTags',
  'replacements',
  'replicas',
  'vars',
  'sortOptions',
  'resources',
  'components',
  'crds',
  'bases',
  'configMapGenerator',
  'secretGenerator',
  'helmGlobals',
  'helmCharts',
  'helmChartInflationGenerator',
  'generatorOptions',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'buildMetadata',
  'inventory',
]);

/** Fields of list entries people often misspell; other nested fields are left to kustomize. */
const ENTRY_FIELDS: Record<string, Set<string>> = {
  patches: new Set(['path', 'patch', 'target', 'options']),
  images: new Set(['name', 'newName', 'newTag', 'digest', 'tagSuffix']),
  labels: new Set(['pairs', 'includeSelectors', 'includeTemplates', 'fields']),
  replicas: new Set(['name', 'count']),
};

export const DEPRECATED_KUSTOMIZE_FIELDS: Record<string, string> = {
  bases: 'list the bases under `resources` (`kustomize edit fix` does it)',
  patchesStrategicMerge: 'move each entry to `patches` as `- path: <file>`',
  patchesJson6902: 'move each entry to `patches` (same `path`/`patch` and `target`)',
  commonLabels: 'use `labels` with `includeSelectors: true` (or false, to leave selectors alone)',
  vars: 'use `replacements`',
  imageTags: 'use `images`',
};

const KINDS = new Set(['Kustomization', 'Component']);

export interface KustomizationProblem {
  ruleId: 'kustomization-valid' | 'kustomize-deprecated-fields';
  path: JsonPath;
  message: string;
  hint?: string;
}

/** Problems of one parsed kustomization document. */
export function checkKustomizationDocument(document: SourceDocument): KustomizationProblem[] {
  const value = document.value;
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    return [{ ruleId: 'kustomization-valid', path: [], message: 'a kustomization must be a YAML mapping of fields' }];
  }
  const problems: KustomizationProblem[] = [];
  const record = value as Record<string, unknown>;
  if (record.kind !== undefined && !KINDS.has(String(record.kind))) {
    problems.push({
      ruleId: 'kustomization-valid',
      path: ['kind'],
      message: `kind "${String(record.kind)}" is not Kustomization or Component`,
    });
  }
  for (const key of Object.keys(record).sort()) {
    if (!KUSTOMIZATION_FIELDS.has(key)) {
      const suggestion = closest(key, KUSTOMIZATION_FIELDS);
      problems.push({
        ruleId: 'kustomization-valid',
        path: [key],
        message: `unknown kustomization field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        hint: 'kustomize v5 rejects unknown fields; Argo CD will fail to render this app.',
      });
    } else if (key in DEPRECATED_KUSTOMIZE_FIELDS) {
      problems.push({
        ruleId: 'kustomize-deprecated-fields',
        path: [key],
        message: `"${key}" is deprecated in kustomize v5: ${DEPRECATED_KUSTOMIZE_FIELDS[key]}`,
      });
    }
    const allowed = ENTRY_FIELDS[key];
    if (allowed && Array.isArray(record[key])) {
      (record[key] as unknown[]).forEach((entry, index) => {
        if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return;
        for (const field of Object.keys(entry).sort()) {
          if (allowed.has(field)) continue;
          const suggestion = closest(field, allowed);
          problems.push({
            ruleId: 'kustomization-valid',
            path: [key, index, field],
            message: `unknown field "${field}" in ${key}[${index}]${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
          });
        }
      });
    }
  }
  return problems;
}

/** The known name within edit distance 2, for "did you mean". */
function closest(word: string, candidates: Set<string>): string | undefined {
  return closestNames(word, candidates, { max: 1, maxDistance: () => 2 })[0];
}

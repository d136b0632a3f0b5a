import { defineRule } from '../../check/contract.ts';
import { kustomizationProblems } from '../check.ts';

export default defineRule({
  meta: {
    id: 'kustomize-deprecated-fields',
    description:
      'A kustomization uses a field kustomize v5 deprecates (bases, patchesStrategicMerge, patchesJson6902, commonLabels, vars, imageTags).',
    defaultSeverity: 'warning',
    category: 'files',
    scope: 'repository',
    docs: {
      why: `Argo CD ships kustomize v5, which warns about these fields and will drop them.`,
      fix: `\`kustomize edit fix\` rewrites most of them. Note that \`commonLabels\` also changes selectors: its
replacement is \`labels\` with \`includeSelectors: true\`.`,
    },
    examples: {
      bad: `# file: app/kustomization.yaml
bases:
  - ../base
patchesStrategicMerge:
  - replicas.yaml`,
      good: `# file: app/kustomization.yaml
resources:
  - ../base
patches:
  - path: replicas.yaml`,
    },
  },
  check({ repo, report }) {
    for (const { ruleId, problem } of kustomizationProblems(repo))
      if (ruleId === 'kustomize-deprecated-fields') report(problem);
  },
});

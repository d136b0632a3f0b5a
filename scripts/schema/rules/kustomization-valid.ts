import { defineRule } from '../../check/contract.ts';
import { kustomizationProblems } from '../check.ts';

export default defineRule({
  meta: {
    id: 'kustomization-valid',
    description: 'A kustomization file has only fields kustomize knows.',
    defaultSeverity: 'error',
    category: 'files',
    scope: 'repository',
    docs: {
      why: `kustomize v5 rejects unknown fields in kustomization.yaml, so a typo such as \`resource:\` or \`pathces:\`
makes the whole app fail to render in Argo CD.`,
      fix: `Correct the field name (the finding suggests the closest known field when there is one).`,
    },
    examples: { bad: 'resource:\n  - deployment.yaml', good: 'resources:\n  - deployment.yaml' },
  },
  check({ repo, report }) {
    for (const { ruleId, problem } of kustomizationProblems(repo))
      if (ruleId === 'kustomization-valid') report(problem);
  },
});

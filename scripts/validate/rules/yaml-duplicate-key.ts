import { defineRule } from '../../check/contract.ts';
import { reportLoadProblems } from '../load-problems.ts';

export default defineRule({
  meta: {
    id: 'yaml-duplicate-key',
    description: 'a mapping has the same key twice',
    defaultSeverity: 'error',
    category: 'files',
    scope: 'repository',
    docs: {
      why: `Two equal keys in one mapping: some tools keep the first value, others the last, and kustomize
refuses the file.`,
      fix: `Keep one of them.`,
    },
    examples: { bad: 'spec:\n  replicas: 2\n  replicas: 3', good: 'spec:\n  replicas: 3' },
  },
  check: (context) => reportLoadProblems('yaml-duplicate-key', context),
});

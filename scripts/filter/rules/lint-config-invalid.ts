import { defineRule } from '../../check/contract.ts';
import { severityTable } from '../severity.ts';

export default defineRule({
  meta: {
    id: 'lint-config-invalid',
    description: 'A `lint.rules` setting in gitops.yaml is not a severity the tool knows.',
    defaultSeverity: 'error',
    category: 'files',
    scope: 'repository',
    docs: {
      why: `Each entry of gitops.yaml's \`lint.rules\` is \`error\`, \`warning\`, \`info\` or \`off\`, or an object
\`{ severity, env: { <environment>: <severity> }, reason, options }\`. A value outside that list is
ignored (the rule keeps its default severity) and reported here, so a typo such as \`warn\` does not
silently change nothing.`,
      fix: `Use one of the severities the finding lists.`,
    },
    examples: {
      bad: 'lint:\n  rules:\n    replicas-minimum: warn',
      good: 'lint:\n  rules:\n    replicas-minimum: { severity: warning, env: { prod: error } }',
    },
  },
  check({ repo, report }) {
    for (const { ruleId, problem } of severityTable(repo).problems)
      if (ruleId === 'lint-config-invalid') report(problem);
  },
});

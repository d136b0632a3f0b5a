import { defineRule } from '../../check/contract.ts';
import { suggestRules } from '../../check/catalog.ts';
import { gitopsYamlLocator, severityTable } from '../severity.ts';

export default defineRule({
  meta: {
    id: 'lint-config-invalid',
    description: 'A `lint.rules` setting in gitops.yaml is not a severity the tool knows, or names no rule.',
    defaultSeverity: 'error',
    category: 'files',
    scope: 'repository',
    docs: {
      why: `Each entry of gitops.yaml's \`lint.rules\` is \`error\`, \`warning\`, \`info\` or \`off\`, or an object
\`{ severity, env: { <environment>: <severity> }, reason, options }\`. A value outside that list is
ignored (the rule keeps its default severity) and reported here, so a typo such as \`warn\` does not
silently change nothing. A setting for an id no rule of the run has (a typo, or a plugin that is not
loaded) changes nothing either, and is reported too.`,
      fix: `Use one of the severities the finding lists; spell the rule id as \`gitops rules\` lists it.`,
    },
    examples: {
      bad: `# file: gitops.yaml
lint:
  rules:
    pdb-presnt: warning   # no such rule`,
      good: `# file: gitops.yaml
lint:
  rules:
    pdb-present: { severity: warning, env: { prod: error } }`,
    },
  },
  check({ repo, ruleIds, report }) {
    for (const { ruleId, problem } of severityTable(repo).problems)
      if (ruleId === 'lint-config-invalid') report(problem);
    // A setting for no rule of the run: a typo, or a plugin that is not loaded.
    const known = [...ruleIds].map((id) => ({ id }));
    for (const id of Object.keys(repo.config?.lint?.rules ?? {}).sort()) {
      if (ruleIds.has(id)) continue;
      const suggestions = suggestRules(id, known);
      report({
        message: `lint.rules.${id} names no rule, so it changes nothing${suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '; `gitops rules` lists the ids.'}`,
        location: gitopsYamlLocator(repo.root, repo.config?.file)(['lint', 'rules', id]),
      });
    }
  },
});

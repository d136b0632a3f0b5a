// plugin-not-loaded: its valid and invalid cases (scripts/validate/rules/plugin-not-loaded.ts).
import { ruleTester } from '../../check/rule-tester.ts';

// validateRepository records the problem (test/check/plugins.test.ts runs it); the rule reports it.
ruleTester('plugin-not-loaded', {
  valid: [{ name: 'nothing recorded', yaml: '' }],
  invalid: [
    {
      name: 'lint.plugins not loaded, on its gitops.yaml line',
      yaml: '',
      loadProblems: [
        { ruleId: 'plugin-not-loaded', message: 'lint.plugins names x.ts; not loaded', file: 'gitops.yaml', line: 7 },
      ],
      findings: [{ file: 'gitops.yaml', line: 7, severity: 'warning' }],
    },
  ],
});

// symlink-invalid: its valid and invalid cases (scripts/validate/rules/symlink-invalid.ts).
import { ruleTester } from '../../check/rule-tester.ts';

// The loader records the problem (test/integration/validate.test.ts runs it); the rule reports it with the rule's severity.
ruleTester('symlink-invalid', {
  valid: [
    { name: 'nothing recorded', yaml: '' },
    {
      name: "another rule's problem",
      yaml: '',
      loadProblems: [{ ruleId: 'yaml-syntax', message: 'x', file: 'a.yaml' }],
    },
  ],
  invalid: [
    {
      name: 'a recorded problem, where it was found',
      yaml: '',
      loadProblems: [
        {
          ruleId: 'symlink-invalid',
          message: 'points outside the repository',
          file: 'web/kustomization.yaml',
          line: 3,
          app: 'web',
          env: 'prod',
        },
      ],
      findings: [{ file: 'web/kustomization.yaml', line: 3, message: 'points outside the repository' }],
    },
  ],
});

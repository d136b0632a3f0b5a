// lint-config-invalid: its valid and invalid cases (scripts/filter/rules/lint-config-invalid.ts).
import { ruleTester } from '../../check/rule-tester.ts';

ruleTester('lint-config-invalid', {
  valid: [
    {
      name: 'known rules and severities',
      config: { lint: { rules: { 'pdb-present': 'warning', 'probes-present': { env: { prod: 'error' } } } } },
    },
  ],
  invalid: [
    {
      name: 'a value that is not a severity',
      config: { lint: { rules: { 'pdb-present': 'warn' as 'warning' } } },
      findings: [{ message: 'use one of error, warning, info, off' }],
    },
    {
      name: 'an id no rule has, with a suggestion',
      config: { lint: { rules: { 'pdb-presnt': 'warning' } } },
      findings: [{ message: 'did you mean "pdb-present"' }],
    },
  ],
});

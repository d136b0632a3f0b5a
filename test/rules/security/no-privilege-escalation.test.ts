// no-privilege-escalation: its valid and invalid cases (scripts/rules/security/no-privilege-escalation.ts).
import { ruleTester } from '../../check/rule-tester.ts';
import { deployment } from '../../rules/helpers.ts';

ruleTester('no-privilege-escalation', {
  valid: [
    { name: 'allowPrivilegeEscalation: false', yaml: deployment('securityContext: {allowPrivilegeEscalation: false}') },
  ],
  invalid: [
    {
      name: 'allowPrivilegeEscalation: true',
      yaml: deployment('securityContext: {allowPrivilegeEscalation: true}'),
      findings: [{ line: 17, message: 'app' }],
    },
    { name: 'not set', yaml: deployment('securityContext: {}'), findings: [{ line: 17 }] },
  ],
});

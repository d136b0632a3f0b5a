// drop-all-capabilities: its valid and invalid cases (scripts/rules/security/drop-all-capabilities.ts).
import { ruleTester } from '../../check/rule-tester.ts';
import { deployment } from '../../rules/helpers.ts';

ruleTester('drop-all-capabilities', {
  valid: [
    { name: 'capabilities drop ALL', yaml: deployment('securityContext: {capabilities: {drop: [ALL]}}') },
    {
      name: 'a Windows pod has no Linux capabilities',
      yaml: deployment('image: x:1', { podSpec: 'os: {name: windows}' }),
    },
  ],
  invalid: [
    {
      name: 'dropping some capabilities only',
      yaml: deployment('securityContext: {capabilities: {drop: [NET_RAW]}}'),
      findings: [{ line: 17 }],
    },
    { name: 'no securityContext: on the container name', yaml: deployment('image: x:1'), findings: [{ line: 16 }] },
  ],
});

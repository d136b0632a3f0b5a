// read-only-root-fs: its valid and invalid cases (scripts/rules/security/read-only-root-fs.ts).
import { ruleTester } from '../../check/rule-tester.ts';
import { deployment } from '../../rules/helpers.ts';

ruleTester('read-only-root-fs', {
  valid: [
    { name: 'readOnlyRootFilesystem: true', yaml: deployment('securityContext: {readOnlyRootFilesystem: true}') },
  ],
  invalid: [
    {
      name: 'readOnlyRootFilesystem: false',
      yaml: deployment('securityContext: {readOnlyRootFilesystem: false}'),
      findings: [{ line: 17 }],
    },
  ],
});

// ignore-reason-missing: its valid and invalid cases (scripts/filter/rules/ignore-reason-missing.ts).
import { ruleTester } from '../../check/rule-tester.ts';

const annotated = (annotations: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  annotations: {${annotations}}
`;

ruleTester('ignore-reason-missing', {
  valid: [
    {
      name: 'an annotation with a reason',
      yaml: annotated('ignore-check.gitops.dev/resources-set: "sized by the vendor"'),
    },
    {
      name: 'off with a reason',
      config: { lint: { rules: { 'pdb-present': { severity: 'off', reason: 'batch jobs' } } } },
    },
  ],
  invalid: [
    {
      name: 'an empty reason, on the annotation',
      yaml: annotated('ignore-check.gitops.dev/resources-set: ""'),
      findings: [{ line: 5, message: 'has no reason' }],
    },
    {
      name: 'off without a reason',
      config: { lint: { rules: { 'pdb-present': 'off' } } },
      findings: [{ file: 'gitops.yaml', message: 'off without a reason' }],
    },
  ],
});

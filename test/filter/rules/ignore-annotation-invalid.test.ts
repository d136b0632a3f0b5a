// ignore-annotation-invalid: its valid and invalid cases (scripts/filter/rules/ignore-annotation-invalid.ts).
import { ruleTester } from '../../check/rule-tester.ts';

const annotated = (annotations: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  annotations: {${annotations}}
`;

ruleTester('ignore-annotation-invalid', {
  valid: [{ name: 'a known rule', yaml: annotated('ignore-check.gitops.dev/resources-set: "sized by the vendor"') }],
  invalid: [
    {
      name: '"all"',
      yaml: annotated('ignore-check.gitops.dev/all: "legacy"'),
      findings: [{ line: 5, message: 'not supported' }],
    },
    {
      name: 'a rule no one has',
      yaml: annotated('ignore-check.gitops.dev/resource-set: "typo"'),
      findings: [{ line: 5, message: 'names no known rule' }],
    },
  ],
});

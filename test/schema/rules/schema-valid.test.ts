// schema-valid: its valid and invalid cases (scripts/schema/rules/schema-valid.ts).
import { ruleTester } from '../../check/rule-tester.ts';

const deployment = (apiVersion = 'apps/v1', extra = '') => `apiVersion: ${apiVersion}
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2${extra}
`;

ruleTester('schema-valid', {
  valid: [{ name: 'a valid Deployment', yaml: deployment() }],
  invalid: [
    {
      name: 'a misspelt field',
      yaml: deployment('apps/v1', '\n          readinesProbe: {httpGet: {path: /, port: 80}}'),
      findings: [{ line: 12, message: 'readinesProbe' }],
    },
  ],
});

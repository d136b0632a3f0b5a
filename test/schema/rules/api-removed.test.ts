// api-removed: its valid and invalid cases (scripts/schema/rules/api-removed.ts).
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

ruleTester('api-removed', {
  valid: [{ name: 'apps/v1', yaml: deployment() }],
  invalid: [
    {
      name: 'extensions/v1beta1 Deployment, on apiVersion',
      yaml: deployment('extensions/v1beta1'),
      findings: [{ line: 1, message: 'removed in Kubernetes 1.16' }],
    },
  ],
});

// api-deprecated: its valid and invalid cases (scripts/schema/rules/api-deprecated.ts).
import { ruleTester } from '../../check/rule-tester.ts';

const hpa = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3}
`;
ruleTester('api-deprecated', {
  valid: [{ name: 'autoscaling/v2', yaml: hpa('autoscaling/v2') }],
  invalid: [{ name: 'autoscaling/v1', yaml: hpa('autoscaling/v1'), findings: [{ line: 1, severity: 'warning' }] }],
});

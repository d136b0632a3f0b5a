// kustomization-valid: its valid and invalid cases (scripts/schema/rules/kustomization-valid.ts).
import { ruleTester } from '../../check/rule-tester.ts';

const kustomization = (text: string) => ({
  apps: [{ app: 'app', files: { 'app/kustomization.yaml': text } }],
  kustomizations: ['app/kustomization.yaml'],
  onDisk: true,
});

ruleTester('kustomization-valid', {
  valid: [{ name: 'known fields', ...kustomization('resources: [deployment.yaml]\n') }],
  invalid: [
    {
      name: 'resource: instead of resources:',
      ...kustomization('resource: [deployment.yaml]\n'),
      findings: [{ line: 1, message: 'did you mean "resources"' }],
    },
  ],
});

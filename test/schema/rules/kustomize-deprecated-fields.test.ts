// kustomize-deprecated-fields: its valid and invalid cases (scripts/schema/rules/kustomize-deprecated-fields.ts).
import { ruleTester } from '../../check/rule-tester.ts';

const kustomization = (text: string) => ({
  apps: [{ app: 'app', files: { 'app/kustomization.yaml': text } }],
  kustomizations: ['app/kustomization.yaml'],
  onDisk: true,
});

ruleTester('kustomize-deprecated-fields', {
  valid: [
    { name: 'resources and patches', ...kustomization('resources: [../base]\npatches: [{path: replicas.yaml}]\n') },
  ],
  invalid: [
    {
      name: 'bases and patchesStrategicMerge',
      ...kustomization('bases: [../base]\npatchesStrategicMerge: [replicas.yaml]\n'),
      findings: [{ line: 1 }, { line: 2 }],
    },
  ],
});

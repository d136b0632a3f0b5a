// missing-schema: its valid and invalid cases (scripts/schema/rules/missing-schema.ts).
import { ruleTester } from '../../check/rule-tester.ts';

const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: shop}\nspec: {size: 3}\n';
const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;
ruleTester('missing-schema', {
  valid: [
    { name: 'a kind the built-in schemas know', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n' },
    { name: 'a custom resource whose CRD is in the repository', yaml: `${crd}---\n${widget}` },
  ],
  invalid: [
    {
      name: 'a custom resource without its CRD: one warning per kind and version',
      yaml: `${widget}---\n${widget.replace('name: w', 'name: w2')}`,
      findings: [{ line: 2, severity: 'warning', message: 'Widget' }],
    },
  ],
});

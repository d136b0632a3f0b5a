import { defineRule } from '../../check/contract.ts';
import { missingSchemaProblems, schemaRun } from '../check.ts';

export default defineRule({
  meta: {
    id: 'missing-schema',
    description:
      'A kind has no schema: no CRD in the repository, none built in, none in a schema location (once per kind and version).',
    defaultSeverity: 'warning',
    category: 'api',
    // One finding per kind and apiVersion for the whole run, with the count and the first object.
    scope: 'repository',
    docs: {
      why: `Objects of a kind nobody described cannot be checked, so a typo in them goes unseen. One finding per kind and
apiVersion per run says how many objects there are and where the first one is. It is a warning: a repository whose
only problem is custom resources without their CRD passes (exit 0).`,
      fix: `Add the CRD to the repository (or to a folder listed in \`lint.schemaLocations\`), or list the kind under
\`lint.skipKinds\`. \`--ignore-missing-schemas\` (the kubeconform flag) turns the finding off for a run and
\`--fail-on-missing-schemas\` makes it an error; in gitops.yaml, \`lint.rules.missing-schema\` sets its severity.`,
    },
    examples: {
      bad: `# file: widget.yaml   # no CRD for Widget anywhere
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec: {size: 3}`,
      good: `# file: crds/widget.yaml   # the CRD is in the repository
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
# file: widget.yaml
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec: {size: 3}`,
    },
  },
  async check({ repo, report }) {
    missingSchemaProblems((await schemaRun(repo)).checked).forEach(report);
  },
});

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
      bad: 'apiVersion: example.com/v1   # no CRD for Widget anywhere\nkind: Widget\nmetadata:\n  name: w',
      good: '# the CRD widgets.example.com is in the repository (or lint.skipKinds: [Widget])\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w',
    },
  },
  async check({ repo, report }) {
    missingSchemaProblems((await schemaRun(repo)).checked).forEach(report);
  },
});

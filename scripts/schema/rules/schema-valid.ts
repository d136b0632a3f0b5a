import { defineRule } from '../../check/contract.ts';
import { expandListResource, schemaProblems, validatorFor } from '../check.ts';

export default defineRule({
  meta: {
    id: 'schema-valid',
    description:
      'Every resource matches its Kubernetes or CRD JSON schema, strictly (unknown fields are errors), like kubeconform -strict.',
    defaultSeverity: 'error',
    category: 'api',
    // One pass over every resource with one validator: schemas from URL locations are downloaded first.
    scope: 'repository',
    docs: {
      why: `Each rendered resource is validated against the JSON schema of its kind and apiVersion: the built-in \`schemas/\`
(Kubernetes and the common CRDs), then the \`lint.schemaLocations\` of gitops.yaml in order. Unknown fields are
errors, because the API server drops them silently: a misspelled \`readinesProbe\` means no readiness probe at all.`,
      fix: `Correct the field the finding names. A kind with no schema anywhere is an error too; add a schema location
for it, or list it under \`lint.skipKinds\`.`,
    },
    examples: {
      bad: 'containers:\n  - name: web\n    readinesProbe:   # typo: the probe is ignored\n      httpGet: { path: /ready, port: 8080 }',
      good: 'containers:\n  - name: web\n    readinessProbe:\n      httpGet: { path: /ready, port: 8080 }',
    },
  },
  async check({ repo, report }) {
    const validator = validatorFor(repo);
    const resources = repo.apps.flatMap((app) => app.resources);
    for (const failure of await validator.prefetch(resources.map((resource) => resource.object))) {
      report({
        message: `could not download a schema: ${failure}`,
        location: { file: 'gitops.yaml' },
        hint: 'check lint.schemaLocations, or run once with network access to fill the cache',
      });
    }
    for (const resource of resources)
      for (const item of expandListResource(resource)) schemaProblems(validator, item).forEach(report);
  },
});

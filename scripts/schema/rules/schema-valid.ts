import { defineRule } from '../../check/contract.ts';
import { schemaProblems, schemaRun } from '../check.ts';

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
      why: `Each rendered resource is validated against the JSON schema of its kind and apiVersion: a CustomResourceDefinition
the repository deploys (rendered or loose, every served version), then the built-in \`schemas/\` (Kubernetes and the
common CRDs, as the target \`kubernetesVersion\` has them), then the \`lint.schemaLocations\` of gitops.yaml in order.
Unknown fields are errors, because the API server drops them silently: a misspelled \`readinesProbe\` means no
readiness probe at all. A field the target Kubernetes version does not have yet is an error naming the version that
added it.`,
      fix: `Correct the field the finding names, or raise \`kubernetesVersion\` (\`--kubernetes-version\`) when the cluster
is newer. A kind with no schema anywhere is the \`missing-schema\` finding, not this one.`,
    },
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
          readinesProbe: {httpGet: {path: /ready, port: http}}   # typo: the probe is ignored`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: http}}`,
    },
  },
  async check({ repo, report }) {
    const { failures, checked } = await schemaRun(repo);
    for (const failure of failures) {
      report({
        message: `could not download a schema: ${failure}`,
        location: { file: 'gitops.yaml' },
        hint: 'check lint.schemaLocations, or run once with network access to fill the cache',
      });
    }
    for (const { resource, verdict } of checked) schemaProblems(verdict, resource).forEach(report);
  },
});

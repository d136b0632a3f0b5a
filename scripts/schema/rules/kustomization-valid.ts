import { defineRule } from '../../check/contract.ts';
import { kustomizationProblems } from '../check.ts';

export default defineRule({
  meta: {
    id: 'kustomization-valid',
    description: 'A kustomization file has only fields kustomize knows.',
    defaultSeverity: 'error',
    category: 'files',
    scope: 'repository',
    docs: {
      why: `kustomize v5 rejects unknown fields in kustomization.yaml, so a typo such as \`resource:\` or \`pathces:\`
makes the whole app fail to render in Argo CD.`,
      fix: `Correct the field name (the finding suggests the closest known field when there is one).`,
    },
    examples: {
      bad: `# file: app/kustomization.yaml
resource:
  - deployment.yaml
# file: app/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
      good: `# file: app/kustomization.yaml
resources:
  - deployment.yaml
# file: app/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
    },
  },
  check({ repo, report }) {
    for (const { ruleId, problem } of kustomizationProblems(repo))
      if (ruleId === 'kustomization-valid') report(problem);
  },
});

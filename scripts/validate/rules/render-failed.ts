import { defineRule } from '../../check/contract.ts';
import { reportLoadProblems } from '../load-problems.ts';

export default defineRule({
  meta: {
    id: 'render-failed',
    description: 'kustomize build fails for this kustomization',
    defaultSeverity: 'error',
    category: 'render',
    scope: 'repository',
    docs: {
      why: `Argo CD runs \`kustomize build\` on this folder; it fails, so the app would not sync.
The message carries kustomize's own first lines.`,
      fix: `Run \`kubectl kustomize <folder>\` locally to see the whole error: usually a missing file, a patch whose
target does not exist, or two resources with one name.`,
    },
    examples: {
      bad: `# file: web/kustomization.yaml
resources: [deployment.yaml]   # no such file`,
      good: `# file: web/kustomization.yaml
resources: [deployment.yaml]
# file: web/deployment.yaml
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
  check: (context) => reportLoadProblems('render-failed', context),
});

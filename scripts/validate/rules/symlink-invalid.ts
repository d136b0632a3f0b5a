import { defineRule } from '../../check/contract.ts';
import { reportLoadProblems } from '../load-problems.ts';

export default defineRule({
  meta: {
    id: 'symlink-invalid',
    description: 'a symbolic link points outside the repository or loops',
    defaultSeverity: 'error',
    category: 'files',
    scope: 'repository',
    docs: {
      why: `Argo CD follows symbolic links that stay inside the repository, and refuses to render an app
whose folder holds a link out of the repository or a link loop ("illegal filepath in symlink"), so
the app would not sync. Validation reads what a link inside the repository points at, at the link's
path, and reports the others here.`,
      fix: `Replace the link by the file it points at, or point it at a file inside the repository.`,
    },
    examples: {
      bad: `# file: manifests/web.yaml -> /etc/passwd`,
      good: `# file: manifests/web.yaml -> ../shared/web.yaml
# file: shared/web.yaml
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
  check: (context) => reportLoadProblems('symlink-invalid', context),
});

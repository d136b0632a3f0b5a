import { defineRule } from '../../check/contract.ts';
import { annotationProblems } from '../ignore.ts';

export default defineRule({
  meta: {
    id: 'ignore-annotation-invalid',
    description: 'An ignore annotation names no rule, an unknown rule, or "all".',
    defaultSeverity: 'warning',
    category: 'files',
    scope: 'repository',
    docs: {
      why: `\`ignore-check.gitops.dev/<rule>\` suppresses one rule on one resource. An annotation that names no known
rule suppresses nothing, which is almost always a typo. \`ignore-check.gitops.dev/all\` is deliberately
not supported: silencing every present and future check on a resource hides the next real problem.`,
      fix: `Name each rule with its own reason (\`gitops rules\` lists the ids), or exclude the file with
\`lint.ignorePaths\` in gitops.yaml.`,
    },
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, annotations: {ignore-check.gitops.dev/all: "legacy"}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, annotations: {ignore-check.gitops.dev/resources-set: "legacy job, sized by the vendor"}}
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
  check({ repo, ruleIds, report }) {
    for (const { ruleId, problem } of annotationProblems(repo, ruleIds))
      if (ruleId === 'ignore-annotation-invalid') report(problem);
  },
});

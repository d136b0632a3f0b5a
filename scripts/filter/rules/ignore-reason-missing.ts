import { defineRule } from '../../check/contract.ts';
import { annotationProblems } from '../ignore.ts';
import { severityTable } from '../severity.ts';

export default defineRule({
  meta: {
    id: 'ignore-reason-missing',
    description: 'A finding is turned off (ignore annotation or severity off in gitops.yaml) without saying why.',
    defaultSeverity: 'error',
    category: 'files',
    scope: 'repository',
    docs: {
      why: `Turning a check off is a decision the next person must be able to read. An ignore annotation
\`ignore-check.gitops.dev/<rule>\` needs a non-empty reason as its value, and a rule set to \`off\` in
gitops.yaml's \`lint.rules\` needs a \`reason\`. Without one, nothing is suppressed: the original findings
are still reported, and this finding points at the annotation or the setting.`,
      fix: `Write the reason, e.g. \`ignore-check.gitops.dev/run-as-non-root: "vendor image runs as root; tracked in OPS-123"\`,
or \`lint: { rules: { pdb-present: { severity: off, reason: "single-replica batch jobs" } } }\`.`,
    },
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, annotations: {ignore-check.gitops.dev/run-as-non-root: ""}}
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
metadata: {name: web, namespace: shop, annotations: {ignore-check.gitops.dev/run-as-non-root: "vendor image runs as root; tracked in OPS-123"}}
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
    for (const { ruleId, problem } of severityTable(repo).problems)
      if (ruleId === 'ignore-reason-missing') report(problem);
    for (const { ruleId, problem } of annotationProblems(repo, ruleIds))
      if (ruleId === 'ignore-reason-missing') report(problem);
  },
});

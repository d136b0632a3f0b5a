import { str } from '../../kube/values.ts';
import { podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'deprecated-service-account-field',
    description: 'Pods name their service account with serviceAccountName, not the deprecated serviceAccount.',
    defaultSeverity: 'warning',
    category: 'security',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `\`spec.serviceAccount\` is a deprecated alias of \`serviceAccountName\`, kept since Kubernetes 1.0 for
old clients. The API server copies one into the other only when the second is empty, so an overlay that
changes \`serviceAccountName\` while the base still sets \`serviceAccount\` leaves two different names in
the object, and which identity (and which RBAC) the pod gets is easy to misread in review.`,
      fix: `Replace \`serviceAccount:\` with \`serviceAccountName:\` (and remove it where both are set).`,
    },
    examples: {
      bad: exampleWorkload({ pod: 'serviceAccount: web' }),
      good: exampleWorkload({ pod: 'serviceAccountName: web' }),
    },
  },
  check({ resource, report }) {
    const template = podTemplateOf(resource.object);
    const deprecated = template ? str(template.spec.serviceAccount) : undefined;
    if (!template || deprecated === undefined) return;
    const current = str(template.spec.serviceAccountName);
    report({
      resource,
      path: [...template.specPath, 'serviceAccount'],
      message:
        current !== undefined && current !== deprecated
          ? `${resource.object.kind ?? 'Pod'} "${resource.object.metadata?.name ?? '?'}" sets the deprecated serviceAccount "${deprecated}" and serviceAccountName "${current}": the pod runs as "${current}".`
          : `${resource.object.kind ?? 'Pod'} "${resource.object.metadata?.name ?? '?'}" uses the deprecated serviceAccount field; use serviceAccountName.`,
    });
  },
});

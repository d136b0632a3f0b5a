import { get, str } from '../../kube/values.ts';
import { defineRule } from '../../check/contract.ts';

/** Argo CD runs hooks (its own annotation, or Helm's, which it maps) and deletes them by their policy. */
function isHook(annotations: Record<string, unknown>): boolean {
  return typeof annotations['argocd.argoproj.io/hook'] === 'string' || typeof annotations['helm.sh/hook'] === 'string';
}

/** `argocd.argoproj.io/sync-options: Replace=true,Force=true` makes Argo CD delete and re-create the Job on a change. */
function isReplaced(annotations: Record<string, unknown>): boolean {
  const options = (str(annotations['argocd.argoproj.io/sync-options']) ?? '').split(',').map((o) => o.trim());
  return options.includes('Replace=true') && options.includes('Force=true');
}

const job = (annotations: string, spec = '') => `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop${annotations ? `\n  annotations:\n${annotations}` : ''}
spec:${spec ? `\n${spec}` : ''}
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: ghcr.io/acme/web:1.4.2
          args: [migrate]`;

export default defineRule({
  meta: {
    id: 'job-lifecycle',
    description:
      'A Job deployed by Argo CD is a sync hook (or is replaced on change), and is not deleted behind its back by a TTL.',
    defaultSeverity: 'warning',
    category: 'reliability',
    scope: 'resource',
    kinds: ['Job'],
    reach: 'scope',
    docs: {
      why: `A plain Job in Git fits GitOps badly, both ways:
- with \`ttlSecondsAfterFinished\`, Kubernetes deletes the finished Job; Argo CD then shows it
  Missing and OutOfSync, and the next automated sync creates it again: the job runs over and over
  (Argo CD's resource hooks documentation, "Sync Status with Jobs/Workflows with Time to Live");
- without it, the finished Job stays, and its pod template is immutable: the pull request that bumps
  its image fails to sync with "field is immutable".

An Argo CD hook (\`argocd.argoproj.io/hook: PreSync\`, \`Sync\` or \`PostSync\`; Helm hooks count) is run
on each sync and deleted by its \`hook-delete-policy\` (\`BeforeHookCreation\` by default), which is what
a migration or a one-off task wants. Jobs with \`argocd.argoproj.io/sync-options: Replace=true,Force=true\`
are re-created on change and pass when they set no TTL. CronJobs are not concerned (their history
limits clean up).

A warning: a Job that never changes and keeps no TTL works.`,
      fix: `Annotate the Job with \`argocd.argoproj.io/hook: PreSync\` (or \`PostSync\`) and
\`argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\`, and remove \`ttlSecondsAfterFinished\`.`,
    },
    examples: {
      bad: job('', '  ttlSecondsAfterFinished: 600'),
      good: job('    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation'),
    },
  },
  check({ resource, report }) {
    if (resource.object.kind !== 'Job' || !(resource.object.apiVersion ?? '').startsWith('batch/')) return;
    const annotations = resource.object.metadata?.annotations ?? {};
    if (isHook(annotations)) return;
    const name = resource.object.metadata?.name ?? '?';
    if (get(resource.object, 'spec', 'ttlSecondsAfterFinished') !== undefined) {
      report({
        resource,
        path: ['spec', 'ttlSecondsAfterFinished'],
        message: `Job "${name}" is deleted by its ttlSecondsAfterFinished but is not an Argo CD hook: Argo CD then shows it Missing and the next automated sync runs it again.`,
        hint: 'Make it a hook (argocd.argoproj.io/hook: PreSync or PostSync) and remove the TTL.',
      });
      return;
    }
    if (isReplaced(annotations)) return;
    report({
      resource,
      path: ['metadata', 'name'],
      message: `Job "${name}" is not an Argo CD hook: it stays after it finishes, and a change to its pod template (an image bump) fails to sync because a Job's template is immutable.`,
      hint: 'Make it a hook (argocd.argoproj.io/hook: PreSync or PostSync, hook-delete-policy: BeforeHookCreation).',
    });
  },
});

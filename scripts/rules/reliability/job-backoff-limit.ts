import type { JsonPath } from '../../types.ts';
import { get, isRecord } from '../../kube/values.ts';
import { defineRule } from '../../check/contract.ts';

const cronJob = (backoff: string) => `apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "0 3 * * *"
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 600
  jobTemplate:
    spec:${backoff ? `\n      ${backoff}` : ''}
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: ghcr.io/acme/report:2.0.1`;

export default defineRule({
  meta: {
    id: 'job-backoff-limit',
    description: "Jobs (and CronJobs' job templates) say how many times a failure is retried (backoffLimit).",
    defaultSeverity: 'warning',
    category: 'reliability',
    scope: 'resource',
    kinds: ['Job', 'CronJob'],
    reach: 'scope',
    docs: {
      why: `A Job without \`backoffLimit\` retries a failing pod six times, with a back-off growing to six
minutes. Whether that is right depends on the job, and the default is rarely chosen on purpose: a
migration that fails on a constraint runs seven times, a job that sends mail or charges cards does it
seven times, and a broken nightly job keeps a node busy for half an hour before anyone is told.

A warning: six retries is a reasonable default for idempotent jobs; writing it down costs one line.`,
      fix: `Set \`spec.backoffLimit\` (on a CronJob, \`spec.jobTemplate.spec.backoffLimit\`): \`0\` for jobs that
must not run twice, a small number for idempotent ones.`,
    },
    examples: { bad: cronJob(''), good: cronJob('backoffLimit: 1') },
  },
  check({ resource, report }) {
    const kind = resource.object.kind;
    if ((kind !== 'Job' && kind !== 'CronJob') || !(resource.object.apiVersion ?? '').startsWith('batch/')) return;
    const specPath: JsonPath = kind === 'Job' ? ['spec'] : ['spec', 'jobTemplate', 'spec'];
    const spec = get(resource.object, ...specPath);
    if (!isRecord(spec) || spec.backoffLimit !== undefined || spec.backoffLimitPerIndex !== undefined) return;
    report({
      resource,
      path: isRecord(get(spec, 'template')) ? [...specPath, 'template'] : specPath,
      message: `${kind} "${resource.object.metadata?.name ?? '?'}" sets no backoffLimit: a failing run is retried 6 times.`,
    });
  },
});

import { get } from '../../kube/values.ts';
import { defineRule } from '../../check/contract.ts';

const cronJob = (policy: string) => `apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "*/10 * * * *"${policy ? `\n${policy}` : ''}
  jobTemplate:
    spec:
      backoffLimit: 1
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: ghcr.io/acme/report:2.0.1`;

export default defineRule({
  meta: {
    id: 'cronjob-schedule-policy',
    description:
      'CronJobs say whether runs may overlap (concurrencyPolicy) and how late a run may start (startingDeadlineSeconds).',
    defaultSeverity: 'warning',
    category: 'reliability',
    scope: 'resource',
    kinds: ['CronJob'],
    reach: 'scope',
    docs: {
      why: `Two CronJob defaults surprise people:
- \`concurrencyPolicy: Allow\`: when a run lasts longer than the schedule's interval, the next one starts
  beside it; runs pile up, compete for the same rows or files, and a slow database makes it worse;
- no \`startingDeadlineSeconds\`: the controller counts every schedule missed since the last run (a
  controller outage, a suspended CronJob) and, past 100, stops scheduling the CronJob with "too many
  missed start times".

A warning: both defaults are sometimes what a job wants; saying so costs a line each.`,
      fix: `Set \`concurrencyPolicy: Forbid\` (or \`Replace\`; \`Allow\` explicitly if overlapping is fine) and
\`startingDeadlineSeconds\` (a few minutes).`,
    },
    examples: {
      bad: cronJob(''),
      good: cronJob('  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 300'),
    },
  },
  check({ resource, report }) {
    if (resource.object.kind !== 'CronJob' || !(resource.object.apiVersion ?? '').startsWith('batch/')) return;
    const name = resource.object.metadata?.name ?? '?';
    if (get(resource.object, 'spec', 'concurrencyPolicy') === undefined)
      report({
        resource,
        path: ['spec', 'schedule'],
        message: `CronJob "${name}" sets no concurrencyPolicy: a run that outlasts the schedule overlaps the next one (Allow).`,
      });
    if (get(resource.object, 'spec', 'startingDeadlineSeconds') === undefined)
      report({
        resource,
        path: ['spec', 'schedule'],
        message: `CronJob "${name}" sets no startingDeadlineSeconds: after 100 missed schedules the controller stops running it.`,
      });
  },
});

// cronjob-schedule-policy (scripts/rules/reliability/cronjob-schedule-policy.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';

const cronJob = (policy: string) => `apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "*/5 * * * *"
${policy}  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: r, image: x:1}]
`;

test('cronjob-schedule-policy: no concurrencyPolicy and no startingDeadlineSeconds are two findings on the schedule', () => {
  const yaml = cronJob('');
  const findings = runRule('cronjob-schedule-policy', single(yaml, 'cj.yaml'));
  assert.deepEqual(where(findings), [
    ['cronjob-schedule-policy', 'cj.yaml', lineOf(yaml, 'schedule')],
    ['cronjob-schedule-policy', 'cj.yaml', lineOf(yaml, 'schedule')],
  ]);
  assert.ok(findings.some((f) => /overlaps the next one/.test(f.message)));
  assert.ok(findings.some((f) => /100 missed schedules/.test(f.message)));
});

test('cronjob-schedule-policy: both set (Allow on purpose counts) passes', () => {
  assert.deepEqual(
    runRule('cronjob-schedule-policy', single(cronJob('  concurrencyPolicy: Allow\n  startingDeadlineSeconds: 120\n'))),
    [],
  );
});

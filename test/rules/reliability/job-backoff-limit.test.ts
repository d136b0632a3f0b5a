// job-backoff-limit (scripts/rules/reliability/job-backoff-limit.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';

const cronJob = (backoff: string) => `apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
${backoff}      template:
        spec:
          restartPolicy: Never
          containers: [{name: r, image: x:1}]
`;

test('job-backoff-limit: a CronJob template or a Job without backoffLimit is reported on its template', () => {
  const yaml = cronJob('');
  const findings = runRule('job-backoff-limit', single(yaml, 'cj.yaml'));
  assert.deepEqual(where(findings), [['job-backoff-limit', 'cj.yaml', lineOf(yaml, '      template:')]]);
  assert.match(findings[0].message, /retried 6 times/);
});

test('job-backoff-limit: backoffLimit (even 0) or backoffLimitPerIndex passes', () => {
  assert.deepEqual(runRule('job-backoff-limit', single(cronJob('      backoffLimit: 0\n'))), []);
  assert.deepEqual(runRule('job-backoff-limit', single(cronJob('      backoffLimitPerIndex: 1\n'))), []);
});

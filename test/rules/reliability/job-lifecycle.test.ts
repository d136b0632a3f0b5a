// job-lifecycle (scripts/rules/reliability/job-lifecycle.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';

const job = (annotations: string, spec = '') => `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: {${annotations}}
spec:
${spec}  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: x:1}]
`;

test('job-lifecycle: a plain Job with a TTL (re-run loop) and one without (immutable template) are reported', () => {
  const ttl = job('', '  ttlSecondsAfterFinished: 100\n');
  const findings = runRule('job-lifecycle', single(ttl, 'job.yaml'));
  assert.deepEqual(where(findings), [['job-lifecycle', 'job.yaml', lineOf(ttl, 'ttlSecondsAfterFinished')]]);
  assert.match(findings[0].message, /next automated sync runs it again/);
  const plain = job('');
  const kept = runRule('job-lifecycle', single(plain, 'job.yaml'));
  assert.deepEqual(where(kept), [['job-lifecycle', 'job.yaml', lineOf(plain, 'name: migrate')]]);
  assert.match(kept[0].message, /template is immutable/);
});

test('job-lifecycle: Argo CD and Helm hooks, and Jobs replaced on change without a TTL, pass', () => {
  assert.deepEqual(
    runRule('job-lifecycle', single(job('argocd.argoproj.io/hook: PreSync', '  ttlSecondsAfterFinished: 60\n'))),
    [],
  );
  assert.deepEqual(runRule('job-lifecycle', single(job('helm.sh/hook: post-install'))), []);
  assert.deepEqual(
    runRule('job-lifecycle', single(job('argocd.argoproj.io/sync-options: "Replace=true, Force=true"'))),
    [],
  );
});

// requests-within-limits: its failing and passing cases (scripts/rules/resources/requests-within-limits.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('requests-within-limits: a request above its limit is reported on the request', () => {
  const yaml = deployment(`resources:
  requests: {cpu: "1", memory: 128Mi}
  limits: {cpu: 500m, memory: 1Gi}`);
  const findings = runRule('requests-within-limits', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['requests-within-limits', 'base/web.yaml', lineOf(yaml, 'requests:')]]);
  assert.equal(findings[0].path?.at(-1), 'cpu');
  const good = deployment(`resources:
  requests: {cpu: 500m, memory: 1Gi}
  limits: {cpu: "1", memory: 1024Mi}`);
  assert.deepEqual(runRule('requests-within-limits', single(good)), []);
});

// jvm-heap-fits-limit: its failing and passing cases (scripts/rules/resources/jvm-heap-fits-limit.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('jvm-heap-fits-limit: -Xmx at the limit and a high MaxRAMPercentage are reported on the value', () => {
  const yaml = deployment(`env:
  - name: JAVA_OPTS
    value: "-Xms512m -Xmx1g"
args: ["-XX:MaxRAMPercentage=95"]
resources:
  limits: {memory: 1Gi}`);
  const findings = runRule('jvm-heap-fits-limit', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [
    ['jvm-heap-fits-limit', 'base/web.yaml', lineOf(yaml, '-Xmx1g')],
    ['jvm-heap-fits-limit', 'base/web.yaml', lineOf(yaml, 'args:')],
  ]);
  assert.match(findings[0].message, /-Xmx1g is 100% of its 1Gi memory limit/);
  const good = deployment(`env:
  - {name: JAVA_TOOL_OPTIONS, value: "-Xmx700m -XX:MaxRAMPercentage=75"}
resources:
  limits: {memory: 1Gi}`);
  assert.deepEqual(runRule('jvm-heap-fits-limit', single(good)), []);
});

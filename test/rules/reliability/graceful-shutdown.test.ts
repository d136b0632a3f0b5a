// graceful-shutdown: its failing and passing cases (scripts/rules/reliability/graceful-shutdown.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('graceful-shutdown: no preStop, and a grace period shorter than the preStop sleep', () => {
  const none = deployment('ports: [{containerPort: 8080}]');
  assert.deepEqual(where(runRule('graceful-shutdown', single(none, 'base/web.yaml'))), [
    ['graceful-shutdown', 'base/web.yaml', lineOf(none, '- name: app')],
  ]);
  const short = deployment(
    `ports: [{containerPort: 8080}]
lifecycle:
  preStop:
    exec: {command: ["/bin/sh", "-c", "sleep 15"]}`,
    { podSpec: 'terminationGracePeriodSeconds: 10' },
  );
  const findings = runRule('graceful-shutdown', single(short, 'base/web.yaml'));
  assert.deepEqual(where(findings), [
    ['graceful-shutdown', 'base/web.yaml', lineOf(short, 'terminationGracePeriodSeconds')],
  ]);
  assert.match(findings[0].message, /\(10\) is not longer than the 15 s preStop sleep/);
  const good = deployment(`ports: [{containerPort: 8080}]
lifecycle:
  preStop:
    sleep: {seconds: 5}`);
  assert.deepEqual(runRule('graceful-shutdown', single(good)), []);
});

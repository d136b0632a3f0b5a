// dangerous-capabilities (scripts/rules/security/dangerous-capabilities.ts): its failing and passing cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('dangerous-capabilities: SYS_ADMIN, NET_RAW and ALL (with or without CAP_, any case) are errors on the capabilities line', () => {
  const yaml = deployment(`image: ghcr.io/acme/web:1.0.0
securityContext:
  capabilities:
    drop: [ALL]
    add: [CAP_SYS_ADMIN, net_raw, NET_BIND_SERVICE]`);
  const findings = runRule('dangerous-capabilities', single(yaml, 'base/web.yaml'));
  assert.deepEqual(where(findings), [['dangerous-capabilities', 'base/web.yaml', lineOf(yaml, 'capabilities:')]]);
  assert.match(findings[0].message, /adds the SYS_ADMIN, NET_RAW capabilities/);
  assert.equal(findings[0].severity, 'error');
  const all = deployment(`image: x:1\nsecurityContext: {capabilities: {add: [ALL]}}`);
  assert.equal(runRule('dangerous-capabilities', single(all)).length, 1);
});

test('dangerous-capabilities: NET_BIND_SERVICE alone, or no capabilities added, passes', () => {
  const yaml = deployment(`image: x:1
securityContext:
  capabilities: {drop: [ALL], add: [NET_BIND_SERVICE, CHOWN]}`);
  assert.deepEqual(runRule('dangerous-capabilities', single(yaml)), []);
  assert.deepEqual(runRule('dangerous-capabilities', single(deployment('image: x:1'))), []);
});

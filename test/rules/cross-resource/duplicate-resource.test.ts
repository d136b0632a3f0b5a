// duplicate-resource: its failing and passing cases (scripts/rules/cross-resource/duplicate-resource.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, context, runRule, where } from '../helpers.ts';

test('duplicate-resource: two apps of one environment deploy the same object; other environments do not collide', () => {
  const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
  const ctx = context([
    app({ env: 'prod', files: { 'overlays/prod/web/ns.yaml': namespace } }),
    app({ env: 'prod', files: { 'overlays/prod/api/ns.yaml': namespace } }),
    app({ env: 'dev', files: { 'overlays/dev/api/ns.yaml': namespace } }),
  ]);
  const findings = runRule('duplicate-resource', ctx);
  assert.deepEqual(where(findings), [
    ['duplicate-resource', 'overlays/prod/api/ns.yaml', 4],
    ['duplicate-resource', 'overlays/prod/web/ns.yaml', 4],
  ]);
  assert.match(findings[0].message, /also deployed by overlays\/prod\/web/);
  assert.deepEqual(runRule('duplicate-resource', context([ctx.apps[0], ctx.apps[2]])), []);
});

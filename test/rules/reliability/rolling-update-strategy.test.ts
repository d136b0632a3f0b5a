// rolling-update-strategy (scripts/rules/reliability/rolling-update-strategy.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('rolling-update-strategy: Recreate with 2+ replicas is reported on the strategy type', () => {
  const yaml = deployment('image: x:1', { spec: 'replicas: 2\nstrategy:\n  type: Recreate' });
  assert.deepEqual(where(runRule('rolling-update-strategy', single(yaml, 'w.yaml'))), [
    ['rolling-update-strategy', 'w.yaml', lineOf(yaml, 'type: Recreate')],
  ]);
});

test('rolling-update-strategy: Recreate with one replica (a ReadWriteOnce volume), or RollingUpdate, passes', () => {
  assert.deepEqual(
    runRule(
      'rolling-update-strategy',
      single(deployment('image: x:1', { spec: 'replicas: 1\nstrategy: {type: Recreate}' })),
    ),
    [],
  );
  assert.deepEqual(runRule('rolling-update-strategy', single(deployment('image: x:1', { spec: 'replicas: 3' }))), []);
});

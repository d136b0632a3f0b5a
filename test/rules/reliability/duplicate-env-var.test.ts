// duplicate-env-var: its failing and passing cases (scripts/rules/reliability/duplicate-env-var.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

test('duplicate-env-var: the second definition is reported', () => {
  const yaml = deployment(`env:
  - {name: LOG_LEVEL, value: info}
  - {name: PORT, value: "8080"}
  - {name: LOG_LEVEL, value: debug}`);
  assert.deepEqual(where(runRule('duplicate-env-var', single(yaml, 'base/web.yaml'))), [
    ['duplicate-env-var', 'base/web.yaml', lineOf(yaml, 'value: debug')],
  ]);
  assert.deepEqual(
    runRule('duplicate-env-var', single(yaml.replace('{name: LOG_LEVEL, value: debug}', '{name: DEBUG, value: "1"}'))),
    [],
  );
});

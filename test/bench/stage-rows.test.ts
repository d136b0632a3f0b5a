// The loose bench prints where a run's time goes from `gitops validate --timing`'s stage table: its
// reader (scripts/bench/loose.ts stageRows) must read what the CLI writes (cli/validate.ts stageTable).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stageRows } from '../../scripts/bench/loose.ts';
import { stageTable, timingTable } from '../../scripts/cli/validate.ts';

test("the bench reads validate --timing's stage table as the CLI writes it, the rule table after it left alone", () => {
  const stages = [
    { stage: 'discover files and units', ms: 110.04 },
    { stage: 'render and parse units', ms: 329.26 },
    { stage: 'load the rules and run them', ms: 1135.3 },
  ];
  const stderr = `${stageTable(stages)}\n\n${timingTable([{ ruleId: 'image-tag-pinned', ms: 12.5, calls: 100 }])}\n`;
  assert.deepEqual(stageRows(`baseline written to x\n${stderr}`), [
    { stage: 'discover files and units', ms: 110.0 },
    { stage: 'render and parse units', ms: 329.3 },
    { stage: 'load the rules and run them', ms: 1135.3 },
  ]);
  assert.deepEqual(stageRows('no table here\n'), []);
});

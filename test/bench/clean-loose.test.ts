// The bench's clean loose repository (scripts/bench/loose.ts) must be what its table says: the loose
// shape with no finding at all, so its row is the cost of checking without reporting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCleanLooseRepository, writeLooseRepository } from '../../scripts/bench/loose.ts';
import { validateRepository } from '../../scripts/validate/index.ts';

async function findingsOf(write: (dir: string) => void) {
  const root = mkdtempSync(join(tmpdir(), 'bench-clean-'));
  try {
    write(root);
    const { report } = await validateRepository(root, { cache: false });
    return report;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('the clean loose repository: every built-in rule runs on it and none reports anything', async () => {
  let written = 0;
  // 700 manifests: three folders, so each folder's NetworkPolicy counts for its own services.
  const report = await findingsOf((dir) => (written = writeCleanLooseRepository(dir, 700)));
  assert.deepEqual(
    report.findings.map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}`),
    [],
  );
  assert.equal(report.summary.resources, written);
  assert.ok(written >= 690 && written <= 710, `${written} manifests for 700 asked`);
});

test('the loose repository of the main table does have findings (what the clean one leaves out)', async () => {
  const report = await findingsOf((dir) => writeLooseRepository(dir, 20));
  assert.ok(report.findings.length >= 20, `${report.findings.length} findings`);
});

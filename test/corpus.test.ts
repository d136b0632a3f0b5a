// Every folder of ../shared/corpus (real GitOps repositories nobody here wrote) validates without a
// fault, and a checked-in summary of each result keeps changes visible in review.
// Regenerate after an intended change: UPDATE_SNAPSHOTS=1 npm test  (then read the diff of test/corpus-summary.json)
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { validateRepository } from '../scripts/validate/index.ts';
import { cleanupCopies, repoRoot, sharedDir, tempCopy } from './fixtures/pipeline/copy.ts';

after(cleanupCopies);

const corpusDir = join(sharedDir, 'corpus');
const summaryFile = join(repoRoot, 'test', 'corpus-summary.json');
const update = process.env.UPDATE_SNAPSHOTS === '1';

interface CorpusSummary {
  /** Deploy units by kind (kustomization, manifests, directory, helm, plugin). */
  apps: Record<string, number>;
  /** Units an Argo CD Application of the repository deploys. */
  applicationUnits: number;
  /** Units only partly checked (a remote base, helmCharts, a plugin, a Helm source). */
  partlyChecked: number;
  rendered: number;
  resources: number;
  environments: string[];
  /** Apps not rendered, by reason (remote-base, helm-charts, plugin, chart-plugin, yaml-error, kustomize-error). */
  notRendered: Record<string, number>;
  findingsByRule: Record<string, number>;
  findingsBySeverity: Record<string, number>;
  /** Every error finding, `rule file:line message`: the list a reviewer reads and judges true. */
  errors: string[];
}

function counts(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of [...values].sort()) out[value] = (out[value] ?? 0) + 1;
  return out;
}

const folders = existsSync(corpusDir)
  ? readdirSync(corpusDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
  : [];

test(
  'every corpus repository validates without a fault, and its summary matches test/corpus-summary.json',
  { skip: folders.length === 0 && 'no ../shared/corpus' },
  async () => {
    const summaries: Record<string, CorpusSummary> = {};
    for (const name of folders) {
      const root = tempCopy(join(corpusDir, name));
      const result = await validateRepository(root, { cache: false });
      assert.deepEqual(result.faults, [], `${name}: internal faults`);
      const { ctx, load, report } = result;
      summaries[name] = {
        apps: counts(ctx.apps.map((app) => app.kind)),
        applicationUnits: ctx.apps.filter((app) => app.applications).length,
        partlyChecked: ctx.apps.filter((app) => app.partial).length,
        rendered: load.stats.rendered,
        resources: report.summary.resources,
        environments: ctx.environments,
        notRendered: counts(load.notRendered.map((entry) => entry.reason)),
        findingsByRule: counts(report.findings.map((finding) => finding.ruleId)),
        findingsBySeverity: counts(report.findings.map((finding) => finding.severity)),
        errors: report.findings
          .filter((finding) => finding.severity === 'error')
          .map((finding) => `${finding.ruleId} ${finding.file}:${finding.line ?? 0} ${finding.message}`),
      };
      // Everything that renders offline renders: each app not rendered has a finding that says why.
      for (const { app } of load.notRendered) {
        assert.ok(
          report.findings.some(
            (finding) =>
              finding.app === app ||
              ['render-offline-unsupported', 'yaml-syntax', 'yaml-duplicate-key'].includes(finding.ruleId),
          ),
          `${name}: ${app} was not rendered and no finding says why`,
        );
      }
    }
    const text = `${JSON.stringify(summaries, null, 2)}\n`;
    if (update || !existsSync(summaryFile)) {
      writeFileSync(summaryFile, text);
      return;
    }
    assert.deepEqual(
      summaries,
      JSON.parse(readFileSync(summaryFile, 'utf8')),
      'the corpus results changed; if intended, regenerate with `UPDATE_SNAPSHOTS=1 npm test` and review the diff of test/corpus-summary.json',
    );
  },
);

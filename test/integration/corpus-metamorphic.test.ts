// Rewrites of real repositories that change nothing Argo CD deploys must change nothing the tool
// reports. Each corpus repository below is copied and its YAML files rewritten the way editors and
// platforms write them: line breaks of old Macs (a carriage return alone) and of Windows (CRLF, with
// a byte-order mark), and another indentation (4 spaces, sequences at their key's column, comments
// kept). kustomize and Argo CD read every variant as the original; so must the parsers and locators
// here, with the same findings on the same lines (a lone carriage return was once a false
// yaml-syntax error: the `yaml` package reads it as text). Helm templates are left as written.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { validateRepository } from '../../scripts/validate/index.ts';
import type { Finding } from '../../scripts/types.ts';
import { cleanupCopies, sharedDir, tempCopy } from '../fixtures/pipeline/copy.ts';

const corpusDir = join(sharedDir, 'corpus');
const REPOSITORIES = ['podinfo', 'argocd-example-apps', 'many-appsets-demo'];

after(cleanupCopies);

/** The YAML files of a folder, Helm templates and .git left out. */
function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '.git' && entry.name !== 'templates') out.push(...yamlFiles(path));
    } else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** A copy of the repository with `rewrite` applied to each YAML file (undefined: left as it is). */
function rewritten(repository: string, rewrite: (text: string) => string | undefined): string {
  const copy = tempCopy(join(corpusDir, repository));
  for (const file of yamlFiles(copy)) {
    const text = rewrite(readFileSync(file, 'utf8'));
    if (text !== undefined) writeFileSync(file, text);
  }
  return copy;
}

/** 4-space indentation with sequences at their key's column, comments kept; only where the values stay the same. */
function reindented(text: string): string | undefined {
  if (text.includes('{{')) return undefined;
  const documents = parseAllDocuments(text);
  if (documents.some((document) => document.errors.length > 0 || document.warnings.length > 0)) return undefined;
  const out = documents
    .map((document) => document.toString({ indent: 4, indentSeq: false, lineWidth: 0, minContentWidth: 0 }))
    .join('');
  const values = (yaml: string) => JSON.stringify(parseAllDocuments(yaml).map((document) => document.toJS()));
  return values(out) === values(text) ? out : undefined;
}

async function findings(root: string, withLines: boolean): Promise<string[]> {
  const { report, faults } = await validateRepository(root, { cache: false });
  assert.deepEqual(faults, []);
  const key = (finding: Finding) =>
    `${finding.severity} ${finding.ruleId} ${finding.file}${withLines ? `:${finding.line}:${finding.column}` : ''} ${finding.message}`;
  return report.findings.map(key).sort();
}

for (const repository of REPOSITORIES) {
  test(`${repository}: CR line breaks, CRLF with a BOM and another indentation give the original's findings`, async (t) => {
    if (!existsSync(join(corpusDir, repository))) return t.skip('corpus not present');
    const original = await findings(tempCopy(join(corpusDir, repository)), true);
    assert.ok(original.length > 0, 'a repository with findings');
    const oldMac = rewritten(repository, (text) => text.replace(/\r?\n/g, '\r'));
    assert.deepEqual(await findings(oldMac, true), original, 'carriage returns alone');
    const windows = rewritten(repository, (text) => `\uFEFF${text.replace(/\r?\n/g, '\r\n')}`);
    assert.deepEqual(await findings(windows, true), original, 'CRLF and a byte-order mark');
    // Lines move where the printer joins or splits a line; columns move with the indentation.
    const original4 = await findings(tempCopy(join(corpusDir, repository)), false);
    assert.deepEqual(await findings(rewritten(repository, reindented), false), original4, '4-space indentation');
  });
}

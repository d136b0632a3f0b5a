// The kube-linter / kube-score coverage table (scripts/check/peer-coverage.ts): every counterpart is a
// rule of the registry, every check without one says why, and docs/rules.md ends with the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PEER_CHECKS } from '../../scripts/check/peer-coverage.ts';
import { findRule } from '../../scripts/check/registry.ts';

test('peer coverage: every rule a check is covered by exists, and every uncovered check gives its reason', () => {
  for (const peer of PEER_CHECKS) {
    for (const id of peer.covered) assert.ok(findRule(id), `${peer.tool} ${peer.check}: no rule ${id}`);
    if (peer.covered.length === 0) assert.match(peer.note ?? '', /^not covered/, `${peer.tool} ${peer.check}`);
  }
});

test('peer coverage: each check is listed once, and docs/rules.md carries the table', () => {
  const keys = PEER_CHECKS.map((peer) => `${peer.tool} ${peer.check}`);
  assert.equal(new Set(keys).size, keys.length);
  const docs = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
  assert.ok(docs.includes('## Coverage of kube-linter and kube-score'));
  for (const peer of PEER_CHECKS) assert.ok(docs.includes(`| ${peer.tool} | ${peer.check} |`), peer.check);
});

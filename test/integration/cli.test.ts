import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands } from '../../scripts/cli/main.ts';

const bin = fileURLToPath(new URL('../../bin/gitops.js', import.meta.url));

function gitops(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

test('gitops --help lists every command', () => {
  const result = gitops('--help');
  assert.equal(result.status, 0);
  for (const name of Object.keys(commands)) assert.match(result.stdout, new RegExp(`\\b${name}\\b`));
});

test('an unknown command is bad usage: exit 2', () => {
  const result = gitops('frobnicate');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown command "frobnicate"/);
});

test('every command answers --help', async () => {
  for (const [name, command] of Object.entries(commands)) {
    const module = await command.load();
    assert.match(module.help, /Usage: gitops/, `${name} --help`);
  }
});

test("V8's compiled code is kept in the per-user cache folder where Node has a compile cache (22.1+), never elsewhere; the output is the same", () => {
  const cache = mkdtempSync(join(tmpdir(), 'gitops-compile-cache-'));
  const repo = mkdtempSync(join(tmpdir(), 'gitops-compile-repo-'));
  try {
    writeFileSync(join(repo, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\n');
    // Node turns its compile cache off when NODE_DISABLE_COMPILE_CACHE is set at all, empty or not.
    const { NODE_DISABLE_COMPILE_CACHE: _off, NODE_COMPILE_CACHE: _elsewhere, ...inherited } = process.env;
    const env = { ...inherited, GITOPS_CACHE_DIR: cache };
    const run = () =>
      spawnSync(process.execPath, [bin, 'validate', repo, '--format', 'json', '--no-cache'], { encoding: 'utf8', env });
    const first = run();
    const second = run();
    assert.equal(first.status, second.status, first.stderr);
    const withoutDuration = (text: string) => text.replace(/"durationMs": \d+/, '');
    assert.equal(withoutDuration(second.stdout), withoutDuration(first.stdout));
    const compiled = join(cache, 'compile');
    if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function') {
      const entries = readdirSync(compiled, { recursive: true });
      assert.ok(entries.length > 1, `compiled code kept in ${compiled}`);
      assert.equal(statSync(compiled).mode & 0o077, 0, "the folder is this user's alone");
    } else assert.equal(existsSync(compiled), false, 'Node 20 has no compile cache: no folder is made');
  } finally {
    rmSync(cache, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  }
});

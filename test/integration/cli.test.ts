import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

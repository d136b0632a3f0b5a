// The command-line conventions people expect from kubeconform, kube-linter and ESLint: --version,
// short flags, "did you mean" for a mistyped option with the command's usage, and a quiet exit when
// the reader of the output goes away (`| head`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandLine } from '../../scripts/cli/args.ts';
import { UsageError } from '../../scripts/errors.ts';
import { closestNames } from '../../scripts/suggest.ts';

const bin = fileURLToPath(new URL('../../bin/gitops.js', import.meta.url));
const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

function gitops(args: string[], options: { cwd?: string } = {}) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', ...options });
}

test('gitops --version and -v print the version from package.json', () => {
  for (const flag of ['--version', '-v']) {
    const result = gitops([flag]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `${version}\n`);
  }
});

test('a mistyped option: exit 2, "did you mean", then the command usage; a short flag works like the long one', () => {
  const empty = mkdtempSync(join(tmpdir(), 'gitops-cli-'));
  try {
    const typo = gitops(['validate', '--fromat', 'json', empty]);
    assert.equal(typo.status, 2);
    assert.match(
      typo.stderr,
      /^gitops validate: unknown option --fromat \(did you mean --format\?\)\n\nUsage: gitops validate/,
    );
    assert.doesNotMatch(typo.stderr, /To specify a positional argument/, "not Node's raw message");

    const short = gitops(['validate', '-f', 'json', empty]);
    assert.equal(short.status, 0, short.stderr);
    assert.equal((JSON.parse(short.stdout) as { summary: { errors: number } }).summary.errors, 0);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('a mistyped command suggests the closest one', () => {
  const result = gitops(['valdiate']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown command "valdiate" \(did you mean "validate"\?\)/);
});

test('writing into a closed pipe (`gitops rules --markdown | head -1`) exits quietly with the run exit code', () => {
  // The catalog is far larger than a pipe buffer, so the writes after head exits fail with EPIPE.
  const result = spawnSync(
    'bash',
    ['-c', `"${process.execPath}" "${bin}" rules --markdown | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`],
    { encoding: 'utf8' },
  );
  assert.equal(result.stderr, '', 'no EPIPE stack trace');
  assert.equal(result.stdout, '0\n', 'the exit code of a run that succeeded');
});

test('parseCommandLine turns every parseArgs error into plain usage words', () => {
  const config = {
    options: { format: { type: 'string', short: 'f' }, quiet: { type: 'boolean' } },
    allowPositionals: false,
  } as const;
  const message = (args: string[]) => {
    try {
      parseCommandLine({ ...config, args });
      return 'parsed';
    } catch (error) {
      assert.ok(error instanceof UsageError);
      return error.message;
    }
  };
  assert.equal(message(['--quite']), 'unknown option --quite (did you mean --quiet?)');
  assert.equal(message(['--nothing-like-it']), 'unknown option --nothing-like-it');
  assert.equal(message(['--format']), '--format needs a value');
  assert.equal(message(['--quiet=yes']), '--quiet takes no value');
  assert.match(message(['--format', '--quiet']), /^--format needs a value, and the next word starts with "-"/);
  assert.equal(message(['extra']), 'unexpected argument "extra": this command takes options only');
  assert.equal(message(['-f', 'json']), 'parsed');
});

test('closestNames: nearest first, ties in name order, nothing when nothing is close', () => {
  assert.deepEqual(closestNames('valdate', ['validate', 'generate', 'diff']), ['validate']);
  assert.deepEqual(closestNames('xyz', ['validate', 'generate']), []);
  assert.deepEqual(closestNames('ab', ['ac', 'aa', 'zz'], { maxDistance: () => 1 }), ['aa', 'ac']);
});

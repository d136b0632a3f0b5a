// scripts/safe/: the one way to run a program, to run git, to read a repository file, to redact, to
// compile a repository's regex and to keep a cache. Each test stands for an attack from issue 9.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { userCacheDir } from '../../scripts/safe/cache-dir.ts';
import { readRepoBytes, readRepoFile, RepoReader } from '../../scripts/safe/files.ts';
import { changedSince, findGitRepo, trackedFiles } from '../../scripts/safe/git.ts';
import { redact, redactor, withoutUrlCredentials } from '../../scripts/safe/redact.ts';
import { repositoryRegex, RepositoryRegexError } from '../../scripts/safe/regex.ts';
import { limitFailure, runProgram } from '../../scripts/safe/run.ts';

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-safe-'));
  temps.push(dir);
  return dir;
}

test('runProgram: a clean environment (no kubeconfig, no GIT_*, no tokens), HOME and PATH empty', async () => {
  const saved = { ...process.env };
  process.env.KUBECONFIG = '/home/someone/.kube/config';
  process.env.GIT_DIR = '/elsewhere';
  process.env.GITHUB_TOKEN = 'ghp_notforchildren';
  try {
    const result = await runProgram('/usr/bin/env', []);
    assert.equal(result.code, 0);
    assert.doesNotMatch(result.stdout, /KUBECONFIG|GIT_DIR|GITHUB_TOKEN/);
    const home = /^HOME=(.*)$/m.exec(result.stdout)?.[1];
    assert.ok(home && existsSync(home));
    assert.match(result.stdout, /^HTTPS_PROXY=|^LC_ALL=C$/m);
    assert.equal(/^PATH=(.*)$/m.exec(result.stdout)?.[1], home, 'PATH is an empty folder: no git, no ssh');
  } finally {
    process.env = saved;
  }
});

test('runProgram: a timeout kills the program and says so', async () => {
  const started = Date.now();
  const result = await runProgram('/bin/sleep', ['30'], { timeoutMs: 300 });
  assert.ok(Date.now() - started < 5000);
  assert.equal(result.timedOut, true);
  assert.equal(limitFailure(result), 'timed out after 0.3 s');
});

test('runProgram: output past the cap ends the run', async () => {
  const result = await runProgram('/usr/bin/yes', [], { maxOutputBytes: 1024 * 1024, timeoutMs: 20_000 });
  assert.equal(result.outputTooLarge, true);
  assert.match(limitFailure(result) ?? '', /more than 1 MiB of output/);
});

test('runProgram: a missing program is a result, not an exception', async () => {
  const result = await runProgram('/nonexistent/kustomize', ['build']);
  assert.equal(result.notFound, true);
  assert.equal(result.code, -1);
});

test('git: a committed folder shaped like a git dir is never taken for a repository (fsmonitor does not run)', async () => {
  const root = tempDir();
  const evil = join(root, 'evil');
  for (const dir of ['objects', 'refs/heads']) mkdirSync(join(evil, dir), { recursive: true });
  writeFileSync(join(evil, 'HEAD'), 'ref: refs/heads/main\n');
  const marker = join(root, 'fsmonitor-ran');
  writeFileSync(
    join(evil, 'config'),
    `[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n\tfsmonitor = "touch ${marker}"\n`,
  );
  assert.equal(findGitRepo(evil), undefined);
  await assert.rejects(changedSince(evil, 'HEAD'), /not inside a git repository/);
  assert.equal(existsSync(marker), false);
});

test('git: repository config cannot run a program (fsmonitor, filters), refs go after --end-of-options', async () => {
  const root = tempDir();
  const run = (...args: string[]) =>
    execFileSync('git', ['-C', root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
      encoding: 'utf8',
    });
  run('init', '-q');
  writeFileSync(join(root, 'a.yaml'), 'a: 1\n');
  writeFileSync(join(root, '.gitattributes'), '*.yaml filter=evil\n');
  run('add', '.');
  run('commit', '-q', '-m', 'one');
  const marker = join(root, 'ran');
  run('config', 'core.fsmonitor', `touch ${marker}.fsmonitor; false`);
  run('config', 'filter.evil.clean', `touch ${marker}.filter; cat`);
  writeFileSync(join(root, 'a.yaml'), 'a: 2\n');
  writeFileSync(join(root, 'b.yaml'), 'b: 1\n');
  const changed = await changedSince(root, 'HEAD');
  assert.ok(changed.has(join(root, 'a.yaml')) && changed.has(join(root, 'b.yaml')));
  assert.equal(existsSync(`${marker}.fsmonitor`), false, 'fsmonitor ran');
  assert.equal(existsSync(`${marker}.filter`), false, 'a filter driver ran');
  const output = join(root, 'written-by-git');
  await assert.rejects(changedSince(root, `--output=${output}`), /is not a commit/);
  assert.equal(existsSync(output), false);
  const tracked = await trackedFiles(root);
  assert.ok(tracked?.has(join(root, 'a.yaml')) && !tracked.has(join(root, 'b.yaml')));
});

test('readRepoFile: regular files inside the root only, symlinks kept inside, size capped', () => {
  const root = tempDir();
  const outside = tempDir();
  writeFileSync(join(root, 'ok.yaml'), 'kind: ConfigMap\n');
  writeFileSync(join(outside, 'secret.txt'), 'nope');
  writeFileSync(join(root, 'big.yaml'), 'x'.repeat(2048));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'out-link.yaml'));
  symlinkSync('ok.yaml', join(root, 'in-link.yaml'));
  symlinkSync('/dev/zero', join(root, 'zero.yaml'));
  symlinkSync('loop-b', join(root, 'loop-a'));
  symlinkSync('loop-a', join(root, 'loop-b'));
  execFileSync('mkfifo', [join(root, 'fifo.yaml')]);

  const ok = readRepoFile(root, 'ok.yaml');
  assert.ok(ok.ok && ok.text === 'kind: ConfigMap\n');
  assert.ok(readRepoFile(root, 'in-link.yaml').ok);
  const reasons = (rel: string, maxBytes?: number) => {
    const result = readRepoFile(root, rel, maxBytes ? { maxBytes } : {});
    return result.ok ? 'ok' : result.reason;
  };
  assert.equal(reasons('out-link.yaml'), 'outside-root');
  assert.equal(reasons('/dev/zero'), 'outside-root');
  assert.equal(reasons('../../../etc/passwd'), 'outside-root');
  assert.equal(reasons('zero.yaml'), 'outside-root');
  assert.equal(reasons('loop-a'), 'symlink-loop');
  assert.equal(reasons('fifo.yaml'), 'not-regular');
  assert.equal(reasons('.'), 'not-regular');
  assert.equal(reasons('missing.yaml'), 'missing');
  assert.equal(reasons('big.yaml', 1024), 'too-large');
});

test('RepoReader (a folder looked up once) gives what readRepoBytes gives, links, loops, devices and folders out included', () => {
  const root = tempDir();
  const outside = tempDir();
  mkdirSync(join(root, 'apps', 'web'), { recursive: true });
  writeFileSync(join(root, 'apps', 'web', 'ok.yaml'), 'kind: ConfigMap\n');
  writeFileSync(join(root, 'top.yaml'), 'kind: Secret\n');
  writeFileSync(join(root, 'big.yaml'), 'x'.repeat(2048));
  writeFileSync(join(outside, 'secret.yaml'), 'nope');
  symlinkSync(outside, join(root, 'out-folder')); // a folder link that leaves the root
  symlinkSync('apps', join(root, 'in-folder')); // one that stays inside
  symlinkSync('../../top.yaml', join(root, 'apps', 'web', 'up-link.yaml'));
  symlinkSync(join(outside, 'secret.yaml'), join(root, 'apps', 'web', 'out-link.yaml'));
  symlinkSync('/dev/zero', join(root, 'apps', 'web', 'zero.yaml'));
  symlinkSync('loop-b', join(root, 'loop-a'));
  symlinkSync('loop-a', join(root, 'loop-b'));
  execFileSync('mkfifo', [join(root, 'apps', 'fifo.yaml')]);
  const asked = [
    'apps/web/ok.yaml',
    'top.yaml',
    'apps/web/up-link.yaml',
    'apps/web/out-link.yaml',
    'apps/web/zero.yaml',
    'apps/fifo.yaml',
    'apps/web',
    'apps/web/missing.yaml',
    'apps/web/ok.yaml/below',
    'out-folder/secret.yaml',
    'in-folder/web/ok.yaml',
    'loop-a',
    'loop-a/x',
    '../../../etc/passwd',
    '/dev/zero',
    join(root, 'apps', 'web', 'ok.yaml'),
    '.',
    'big.yaml',
  ];
  const summary = (result: ReturnType<typeof readRepoBytes>) =>
    result.ok ? { ok: true, text: result.bytes.toString(), realPath: result.realPath } : result;
  const reader = new RepoReader(root);
  for (const rel of asked) {
    for (const options of [{}, { maxBytes: 1024 }]) {
      // Twice: the second read of a folder comes from what the reader kept.
      for (let round = 0; round < 2; round++)
        assert.deepEqual(summary(reader.bytes(rel, options)), summary(readRepoBytes(root, rel, options)), rel);
    }
  }
  const ok = reader.text('in-folder/web/ok.yaml');
  assert.ok(
    ok.ok && ok.text === 'kind: ConfigMap\n' && ok.realPath === join(realpathSync(root), 'apps', 'web', 'ok.yaml'),
  );
  assert.equal((reader.bytes('out-folder/secret.yaml') as { reason?: string }).reason, 'outside-root');
});

test('redact: Go value dumps, URL credentials, PEM blocks, tokens and known values go; the reason stays', () => {
  const dump =
    'map[string]interface {}{"apiVersion":"v1", "kind":"Secret", "stringData":map[interface {}]interface {}{"password":"Planted0Passw0rd", 1:2}}: json: unsupported type: map[interface {}]interface {}';
  assert.equal(redact(dump), '«object elided»: json: unsupported type: map[interface {}]interface {}');
  assert.equal(
    redact('object {{v1 Secret} {{ } map[] map[password:Planted0Passw0rd]}}'),
    'object {{v1 Secret} {{ } map[] «object elided»}}',
  );
  assert.equal(
    redact('literal sources [Sup3rS3cretLiteral]: invalid literal source Sup3rS3cretLiteral, expected key=value', {
      secrets: ['Sup3rS3cretLiteral'],
    }),
    'literal sources [«redacted»]: invalid literal source «redacted», expected key=value',
  );
  assert.equal(
    redact(`value ${Buffer.from('Sup3rS3cretLiteral').toString('base64')}`, { secrets: ['Sup3rS3cretLiteral'] }),
    'value «redacted»',
  );
  assert.equal(
    redact('fetch https://deploy:hunter2token@git.example.com/org/repo'),
    'fetch https://«redacted»@git.example.com/org/repo',
  );
  assert.equal(
    redact('k -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- e'),
    'k «PEM block elided» e',
  );
  assert.equal(redact('t ghp_abcdefghijklmnopqrstuvwxyz0123456789 AKIAABCDEFGHIJKLMNOP'), 't «redacted» «redacted»');
  assert.equal(
    redact("accumulating resources from 'deploy.yaml': map[] []"),
    "accumulating resources from 'deploy.yaml': map[] []",
  );
  assert.equal(withoutUrlCredentials('https://user:tok@github.com/org/repo.git'), 'https://github.com/org/repo.git');
});

test('repositoryRegex: RE2, linear time on a catastrophic pattern; syntax errors are typed', () => {
  const started = performance.now();
  assert.equal(repositoryRegex('(a+)+$').test(`${'a'.repeat(50_000)}b`), false);
  assert.ok(performance.now() - started < 2000);
  assert.equal(repositoryRegex('web-.*').matches('web-1'), true);
  assert.equal(repositoryRegex('web').matches('my-web-1'), false);
  assert.throws(() => repositoryRegex('(unclosed'), RepositoryRegexError);
  assert.throws(() => repositoryRegex('a'.repeat(5000)), RepositoryRegexError);
});

test('userCacheDir: per user, 0700, $GITOPS_CACHE_DIR / XDG; refuses a folder another user can write', () => {
  const base = tempDir();
  const dir = userCacheDir('render', { GITOPS_CACHE_DIR: join(base, 'c') });
  assert.equal(dir, join(base, 'c', 'render'));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(userCacheDir('render', { XDG_CACHE_HOME: base }), join(base, 'gitops', 'render'));
  mkdirSync(join(base, 'shared', 'render'), { recursive: true });
  chmodSync(join(base, 'shared', 'render'), 0o777);
  assert.equal(userCacheDir('render', { GITOPS_CACHE_DIR: join(base, 'shared') }), join(base, 'shared', 'render'));
  assert.equal(statSync(join(base, 'shared', 'render')).mode & 0o777, 0o700, 'our own folder is tightened');
  symlinkSync(join(base, 'c'), join(base, 'link'));
  assert.equal(userCacheDir('render', { GITOPS_CACHE_DIR: join(base, 'link') }), join(base, 'c', 'render'));
  if (process.getuid?.() === 0) {
    mkdirSync(join(base, 'theirs', 'render'), { recursive: true });
    execFileSync('chown', ['-R', '65534', join(base, 'theirs')]);
    assert.equal(userCacheDir('render', { GITOPS_CACHE_DIR: join(base, 'theirs') }), undefined);
    symlinkSync(join(base, 'theirs'), join(base, 'planted'));
    assert.equal(
      userCacheDir('render', { GITOPS_CACHE_DIR: join(base, 'planted') }),
      undefined,
      'a symlink to their folder',
    );
  }
});

test('redact: every secret shape still goes when a run redacts many texts with one redactor', () => {
  const shapes = [
    'AKIAABCDEFGHIJKLMNOP',
    'ASIAABCDEFGHIJKLMNOP',
    `AIza${'a'.repeat(35)}`,
    `ghs_${'a'.repeat(20)}`,
    `github_pat_${'a'.repeat(22)}`,
    `glpat-${'a'.repeat(20)}`,
    `xoxb-${'a'.repeat(10)}`,
    'https://hooks.slack.com/services/T0/B0/XYZ',
    'eyJhbGciOiJI.eyJzdWIiOiIx.sig',
    `sk_live_${'a'.repeat(16)}`,
    `npm_${'a'.repeat(36)}`,
    'https://user:pw@host.example.com/x',
    '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----',
    'map[password:x]',
    '[]interface {}{"x"}',
  ];
  const one = redactor({ secrets: ['Sup3rS3cretLiteral'] });
  for (const shape of shapes) {
    const text = `before ${shape} after`;
    assert.notEqual(one(text), text, shape);
    assert.equal(one(text), redact(text, { secrets: ['Sup3rS3cretLiteral'] }), shape);
  }
  assert.equal(one('value Sup3rS3cretLiteral'), 'value «redacted»');
  assert.equal(one('a plain message about Deployment/shop/web'), 'a plain message about Deployment/shop/web');
});

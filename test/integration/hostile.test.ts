// Issue 9 end to end: hostile repositories against the validate pipeline. Each test is one attack;
// it fails (hangs, runs a command, reaches the network, leaks a value) on the code before the fix.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { repoViewFromDisk } from '../../scripts/argocd/repo-view.ts';
import { checkoutRef } from '../../scripts/diff/checkout.ts';
import { KustomizationGraph } from '../../scripts/discover/index.ts';
import { CACHE_FORMAT, ContentHasher, encodeEntry, entryFileName, renderKey } from '../../scripts/render/cache.ts';
import { renderApps, renderKustomization, resolveKustomize, type RenderJob } from '../../scripts/render/index.ts';
import { runKustomize } from '../../scripts/render/kustomize.ts';
import { isRemoteTarget } from '../../scripts/render/remote.ts';
import { findGitRepo } from '../../scripts/safe/git.ts';
import { networkIsolationAvailable, runProgram } from '../../scripts/safe/run.ts';
import { loadRepoContext } from '../../scripts/validate/index.ts';
import { repoRoot } from '../fixtures/pipeline/copy.ts';

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder holding `files` (path → text), removed after the tests. */
function folderWith(prefix: string, files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  temps.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A repository made of `files` (path → text) in a fresh temp folder. */
export function hostileRepo(files: Record<string, string>): string {
  return folderWith('gitops-hostile-', files);
}

/** A folder outside any repository (what a link or a path out leads to). */
function folderOutside(files: Record<string, string>): string {
  return folderWith('gitops-outside-', files);
}

/** A file with `text` outside any repository: its path. */
function fileOutside(name: string, text: string): string {
  return join(folderOutside({ [name]: text }), name);
}

/** validateCli without blocking this process: a listener here must be able to accept while it runs. */
function validateCliAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'gitops.js'), 'validate', ...args], {
      env: {
        ...process.env,
        GITHUB_ACTIONS: '',
        FORCE_COLOR: '0',
        GITOPS_CACHE_DIR: join(tmpdir(), 'gitops-hostile-cache'),
      },
      timeout: 300_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `gitops validate` as CI runs it, with a wall-clock limit: a hang is a failure, not a stuck suite. */
function validateCli(args: string[], options: { timeoutMs?: number; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'gitops.js'), 'validate', ...args], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
    env: {
      ...process.env,
      GITHUB_ACTIONS: '',
      FORCE_COLOR: '0',
      GITOPS_CACHE_DIR: join(tmpdir(), 'gitops-hostile-cache'),
      ...options.env,
    },
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

const DEPLOYMENT = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:latest
`;

test('a kustomize patch target.name is matched with RE2: a catastrophic pattern does not hang locate', () => {
  const name = `${'a'.repeat(40)}-web`;
  const root = hostileRepo({
    'base/deployment.yaml': DEPLOYMENT(name),
    'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'app/kustomization.yaml': `resources: [../base]
patches:
  - target: {kind: Deployment, name: "(a+)+"}
    patch: |-
      - op: add
        path: /metadata/labels
        value: {evil: "yes"}
  - target: {kind: Deployment, name: "a+-web"}
    patch: |-
      - op: add
        path: /spec/replicas
        value: 1
`,
  });
  const result = validateCli([root, '--no-cache', '--format', 'json'], { timeoutMs: 300_000 });
  assert.equal(result.signal, null, 'validate hung on the pattern');
  assert.ok(result.code === 0 || result.code === 1, result.stderr);
  assert.match(result.stdout, /image-tag-pinned|latest/);
});

test('every remote form kustomize accepts is a remote base, whatever the user name or the separator', async () => {
  const remote = [
    'https://github.com/org/repo//deploy?ref=v1',
    'HTTP://example.com/raw/deploy.yaml',
    'github.com:org/repo//deploy',
    'github.com/org/repo/deploy?ref=main',
    'deploy@git.example.com:org/repo.git//dir',
    'ci-bot@10.0.0.1:org/repo//dir',
    'git@github.com:org/repo',
    'ssh://git@git.example.com:2222/org/repo.git//dir',
    'git::https://git.example.com/org/repo//dir',
    'file:///srv/git/repo//dir',
    'https://dev.azure.com/org/project/_git/repo/dir',
    'gh:org/repo',
  ];
  for (const entry of remote) assert.equal(isRemoteTarget(entry), true, entry);
  for (const entry of ['../base', 'base', 'overlays/dev/web', './github-like/thing', 'deploy.yaml', '/abs/path'])
    assert.equal(isRemoteTarget(entry), false, entry);

  const root = hostileRepo({
    'app/kustomization.yaml': `resources:\n${remote
      .slice(2, 10)
      .map((entry) => `  - ${entry}`)
      .join('\n')}\n  - cm.yaml\n`,
    'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
  });
  const { problems: findings } = await loadRepoContext(root, { cache: false });
  const offline = findings.filter((finding) => finding.ruleId === 'render-offline-unsupported');
  assert.equal(offline.length, 8, offline.map((finding) => finding.message).join('\n'));
  for (const finding of offline) assert.match(finding.message, /remote resource/);
  assert.ok(!findings.some((finding) => finding.ruleId === 'render-failed'), 'kustomize never ran on it');
});

/** A TCP listener that counts connections: kustomize must never make one. */
async function listener(host: string): Promise<{ port: number; connections: () => number; close: () => void }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () => server.close(),
  };
}

function remoteKustomizations(host: string, port: number): Record<string, string> {
  const at = `${host}:${port}`;
  return {
    'http-file/kustomization.yaml': `resources: [http://${at}/deploy.yaml]\n`,
    'https-git/kustomization.yaml': `resources: ["https://${at}/org/repo//dir?ref=main"]\n`,
    'ssh-git/kustomization.yaml': `resources: ["ssh://git@${at}/org/repo.git//dir"]\n`,
    'forced-git/kustomization.yaml': `resources: ["git::http://${at}/org/repo//dir"]\n`,
    'patch/kustomization.yaml': `resources: [cm.yaml]\npatches: [{path: "http://${at}/patch.yaml"}]\n`,
    'patch/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
    'generator/kustomization.yaml': `configMapGenerator: [{name: g, files: ["http://${at}/file.txt"]}]\n`,
    // A builtin generator's own config file: the discover stage does not read it, kustomize does.
    'builtin/kustomization.yaml': 'generators: [gen.yaml]\n',
    'builtin/gen.yaml': `apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata: {name: g}\nfiles: ["http://${at}/file.txt"]\n`,
  };
}

test('kustomize cannot reach the network: no connection to a listener, whatever the URL form', async (t) => {
  const kustomize = await resolveKustomize();
  const hosts = [
    // Loopback is never proxied by Go: only the network namespace stops it.
    ...(networkIsolationAvailable() ? ['127.0.0.1'] : []),
    // A non-loopback address of this machine: the namespace, or else the dead proxy, stops it.
    ...Object.values(networkInterfaces())
      .flat()
      .filter((address) => address && address.family === 'IPv4' && !address.internal)
      .map((address) => address!.address)
      .slice(0, 1),
  ];
  if (hosts.length === 0) return t.skip('no address to listen on besides an unisolated loopback');
  for (const host of hosts) {
    const server = await listener(host);
    try {
      const root = hostileRepo(remoteKustomizations(host, server.port));
      for (const app of ['http-file', 'https-git', 'ssh-git', 'forced-git', 'patch', 'generator', 'builtin']) {
        const result = await renderKustomization(join(root, app), { kustomize, timeoutMs: 30_000 });
        assert.equal(result.ok, false, `${app} rendered from ${host}`);
      }
      // The fallback alone (no namespace): proxies that lead nowhere, no git on PATH.
      if (host !== '127.0.0.1') {
        const [program, ...args] = kustomize.command;
        for (const app of ['http-file', 'https-git', 'builtin'])
          await runProgram(program, [...args, join(root, app)], { isolateNetwork: false, timeoutMs: 30_000 });
      }
      assert.equal(server.connections(), 0, `kustomize connected to ${host}`);
    } finally {
      server.close();
    }
  }
});

test('kustomize runs without the user kubeconfig, without their HOME, without plugins', async () => {
  const home = hostileRepo({ '.kube/config': 'apiVersion: v1\nkind: Config\n' });
  const spy = hostileRepo({});
  const script = join(spy, 'fake-kustomize');
  writeFileSync(script, `#!/bin/sh\nenv > ${join(spy, 'env.txt')}\necho "apiVersion: v1"\n`);
  chmodSync(script, 0o755);
  const saved = { ...process.env };
  process.env.KUBECONFIG = join(home, '.kube/config');
  process.env.HOME = home;
  try {
    await runKustomize({ command: [script, 'build'], label: 'spy', version: 'v0' }, spy);
  } finally {
    process.env = saved;
  }
  const env = readFileSync(join(spy, 'env.txt'), 'utf8');
  assert.doesNotMatch(env, /KUBECONFIG/);
  assert.doesNotMatch(env, new RegExp(`HOME=${home}`));

  // Plugins: an exec KRM function, a legacy exec plugin and a Helm chart stay unexecuted.
  const marker = join(spy, 'executed');
  const root = hostileRepo({
    'exec-fn/kustomization.yaml': 'generators: [fn.yaml]\n',
    'exec-fn/fn.yaml': `apiVersion: example.com/v1\nkind: Run\nmetadata:\n  name: run\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./run.sh\n`,
    'exec-fn/run.sh': `#!/bin/sh\ntouch ${marker}\n`,
    'helm/kustomization.yaml': 'helmCharts: [{name: chart, releaseName: r}]\nhelmGlobals: {chartHome: charts}\n',
    'helm/charts/chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
    'helm/charts/chart/templates/cm.yaml': `{{ exec "touch" (list "${marker}") }}\n`,
  });
  chmodSync(join(root, 'exec-fn/run.sh'), 0o755);
  const kustomize = await resolveKustomize();
  for (const app of ['exec-fn', 'helm']) {
    const result = await renderKustomization(join(root, app), { kustomize });
    assert.equal(result.ok, false, app);
  }
  assert.equal(existsSync(marker), false, 'a plugin ran');
});

const PRIVILEGED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: nginx:latest
          securityContext: {privileged: true}
`;

function jobFor(root: string, id: string): RenderJob {
  return { id, absDir: join(root, id), inputs: new KustomizationGraph(root).inputs(join(root, id)) };
}

function commitAll(root: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
      stdio: 'ignore',
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'pr');
}

test('the render cache: a committed entry (in .gitops-cache/ or a cache folder inside the checkout) is never read', async () => {
  const root = hostileRepo({
    'app/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'app/deployment.yaml': PRIVILEGED,
  });
  const kustomize = await resolveKustomize();
  const key = renderKey(jobFor(root, 'app'), root, kustomize, new ContentHasher(root))!;
  // The pull request's entry: the privileged Deployment replaced by nothing. Its author has every
  // input, so the entry is a valid one (the old format too); only where it lies keeps it out.
  const entry = encodeEntry(key, { format: CACHE_FORMAT, key, objects: [] });
  for (const dir of ['.gitops-cache/render', 'ci-cache/render']) {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, entryFileName(key)), entry);
    writeFileSync(join(root, dir, `${key}.json`), JSON.stringify({ format: 'gitops-render-v1', objects: [] }));
  }
  commitAll(root);
  const defaults = validateCli([root, '--format', 'json'], { env: { GITOPS_CACHE_DIR: hostileRepo({}) } });
  assert.equal(defaults.code, 1, defaults.stderr);
  assert.match(defaults.stdout, /no-privileged/);
  const inside = validateCli([root, '--format', 'json'], { env: { GITOPS_CACHE_DIR: join(root, 'ci-cache') } });
  assert.equal(inside.code, 1, inside.stderr);
  assert.match(inside.stdout, /no-privileged/);
});

test('the render cache: a malformed entry or one that is a symlink to a device is a miss, not an internal error', async () => {
  const root = hostileRepo({
    'app/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'app/deployment.yaml': PRIVILEGED,
  });
  const kustomize = await resolveKustomize();
  const key = renderKey(jobFor(root, 'app'), root, kustomize, new ContentHasher(root))!;
  const valid = (payload: unknown) => encodeEntry(key, payload);
  const tampered = valid({ format: CACHE_FORMAT, key, objects: [] });
  tampered[tampered.length - 1] ^= 1;
  const entries: (string | Buffer)[] = [
    'not an entry',
    tampered,
    valid('not an object'),
    valid({ format: CACHE_FORMAT, key, objects: [{ object: 5 }] }),
    valid({ format: CACHE_FORMAT, key, objects: [{ object: { apiVersion: 'v1', kind: 'X' } }] }),
    valid({
      format: CACHE_FORMAT,
      key,
      objects: [{ object: { apiVersion: 'v1', kind: 'X' }, file: '../../etc/passwd', transformedBy: [] }],
    }),
    valid({ format: CACHE_FORMAT, key: 'another', objects: [] }),
    valid({ format: CACHE_FORMAT, key, objects: null, error: 7 }),
    valid({
      format: CACHE_FORMAT,
      key,
      objects: [{ object: { apiVersion: 'v1', kind: 'Secret', data: { a: 'eA==' } }, transformedBy: [] }],
    }),
  ];
  // The control: a well-formed entry is read (so each miss below is the check's doing).
  const control = hostileRepo({});
  writeFileSync(join(control, entryFileName(key)), valid({ format: CACHE_FORMAT, key, objects: [] }));
  assert.equal((await renderApps([jobFor(root, 'app')], { root, kustomize, cacheDir: control })).stats.cached, 1);
  for (const [i, entry] of [...entries, '/dev/zero'].entries()) {
    const cacheDir = hostileRepo({});
    if (entry === '/dev/zero') symlinkSync('/dev/zero', join(cacheDir, entryFileName(key)));
    else writeFileSync(join(cacheDir, entryFileName(key)), entry);
    const { outcomes, stats } = await renderApps([jobFor(root, 'app')], { root, kustomize, cacheDir });
    assert.equal(stats.cached, 0, `entry ${i}`);
    assert.ok(outcomes.get('app')?.ok, `entry ${i}`);
  }
});

test('the render cache holds no Secret value, and a render a limit ended is not cached', async () => {
  const planted = 'Pl4ntedCacheSecretValue';
  const root = hostileRepo({
    'app/kustomization.yaml': `resources: [secret.yaml]\nsecretGenerator:\n  - name: generated\n    envs: [.env]\n    literals: [LITERAL=${planted}Literal]\n`,
    'app/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: plain}\nstringData: {password: ${planted}String}\ndata: {token: ${Buffer.from(`${planted}Data`).toString('base64')}}\n`,
    'app/.env': `DB_PASSWORD=${planted}Env\n`,
    'plain/kustomization.yaml': 'resources: [cm.yaml]\n',
    'plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n',
  });
  const kustomize = await resolveKustomize();
  const cacheDir = hostileRepo({});
  const jobs = [jobFor(root, 'app'), jobFor(root, 'plain')];
  const { outcomes } = await renderApps(jobs, { root, kustomize, cacheDir });
  const outcome = outcomes.get('app');
  assert.ok(outcome?.ok && outcomes.get('plain')?.ok);
  assert.equal(outcome.objects.filter((item) => item.object.kind === 'Secret').length, 2);
  // The app without Secrets is cached; the one with them is not, so no value is written down.
  const stored = readdirSync(cacheDir).map((file) => readFileSync(join(cacheDir, file), 'utf8'));
  assert.equal(stored.length, 1);
  for (const form of [planted, Buffer.from(planted).toString('base64').slice(0, 12), 'Pl4nted'])
    assert.ok(!stored.join('\n').includes(form), form);
  const again = await renderApps(jobs, { root, kustomize, cacheDir });
  assert.equal(again.stats.cached, 1);
  assert.deepEqual(again.outcomes.get('app'), { ...outcome, cached: false });

  // A timeout: "timed out after N s", and nothing written, so the next run tries again.
  const slowCache = hostileRepo({});
  const slow = await renderApps([jobFor(root, 'app')], { root, kustomize, cacheDir: slowCache, timeoutMs: 1 });
  const failed = slow.outcomes.get('app');
  assert.ok(failed && !failed.ok && /^kustomize timed out after 0 s$/.test(failed.error), JSON.stringify(failed));
  assert.deepEqual(readdirSync(slowCache), []);
});

test('a YAML bomb as a kustomize resource: kustomize is capped and the finding says it ran out of memory', async () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) {
    const name = String.fromCharCode(97 + i);
    const previous = String.fromCharCode(96 + i);
    lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`);
  }
  const root = hostileRepo({
    'app/kustomization.yaml': 'resources: [bomb.yaml]\n',
    'app/bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${lines.map((line) => `  ${line}`).join('\n')}\n`,
  });
  const kustomize = await resolveKustomize();
  const cacheDir = hostileRepo({});
  const started = Date.now();
  const { outcomes } = await renderApps([jobFor(root, 'app')], { root, kustomize, cacheDir, memoryLimitMb: 200 });
  const outcome = outcomes.get('app');
  assert.ok(outcome && !outcome.ok);
  assert.match(outcome.error, /^kustomize ran out of memory \(limit 200 MiB\)$/);
  assert.ok(Date.now() - started < 60_000);
  assert.deepEqual(readdirSync(cacheDir), [], 'a limit is not cached');
});

test('inputs that are devices, FIFOs or huge are never read: a finding instead of gigabytes', async () => {
  const root = hostileRepo({
    'zero/kustomization.yaml': 'resources: [/dev/zero]\n',
    'random/kustomization.yaml': 'configMapGenerator: [{name: r, files: [/dev/urandom, rand]}]\n',
    'fifo/kustomization.yaml': 'resources: [pipe.yaml]\n',
    'huge/kustomization.yaml': 'resources: [huge.yaml]\n',
    'huge/huge.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: h}\ndata: {x: "${'x'.repeat(17 * 1024 * 1024)}"}\n`,
  });
  symlinkSync('/dev/urandom', join(root, 'random/rand'));
  execFileSync('mkfifo', [join(root, 'fifo/pipe.yaml')]);
  const started = Date.now();
  const result = validateCli([root, '--format', 'json'], { timeoutMs: 300_000 });
  assert.equal(result.signal, null, 'validate hung');
  assert.equal(result.code, 1, result.stderr);
  const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; message: string }[] })
    .findings;
  const failed = (app: string) =>
    findings.find((finding) => finding.ruleId === 'render-failed' && finding.file.startsWith(`${app}/`));
  assert.match(failed('fifo')?.message ?? '', /"fifo\/pipe\.yaml" is a fifo, not a regular file/);
  assert.match(failed('huge')?.message ?? '', /"huge\/huge\.yaml" is larger than 16 MiB/);
  assert.ok(failed('zero') && failed('random'), 'kustomize refuses files outside the kustomization');
  assert.ok(Date.now() - started < 60_000);
});

test('an origin annotation the repository overwrites (commonAnnotations) cannot make locate read a device, a FIFO or a file outside', () => {
  // kustomize writes config.kubernetes.io/origin; commonAnnotations runs after it and may write any path.
  const app = (path: string) =>
    `resources: [deploy.yaml]\ncommonAnnotations:\n  config.kubernetes.io/origin: "path: ${path}"\n`;
  const root = hostileRepo({
    'zero/kustomization.yaml': app('../../../../../../../../../dev/zero'),
    'zero/deploy.yaml': DEPLOYMENT('zero'),
    'fifo/kustomization.yaml': app('pipe.yaml'),
    'fifo/deploy.yaml': DEPLOYMENT('fifo'),
    'outside/kustomization.yaml': app('/etc/passwd'),
    'outside/deploy.yaml': DEPLOYMENT('outside'),
  });
  execFileSync('mkfifo', [join(root, 'fifo/pipe.yaml')]);
  const started = Date.now();
  const result = validateCli([root, '--format', 'json', '--no-cache'], { timeoutMs: 120_000 });
  assert.equal(result.signal, null, 'validate hung reading what the annotation named');
  assert.equal(result.code, 1, result.stderr);
  const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; app: string }[] })
    .findings;
  for (const name of ['zero', 'fifo', 'outside'])
    assert.ok(
      findings.some((finding) => finding.ruleId === 'image-tag-pinned' && finding.app === name),
      `${name} is still checked`,
    );
  assert.deepEqual(
    findings.filter((finding) => finding.file.startsWith('..') || finding.file.startsWith('/')),
    [],
    'no finding names a file outside the repository',
  );
  assert.ok(Date.now() - started < 60_000);
});

test('files the tool reads itself (a base kustomization, a generator entry, .gitignore, a baseline, gitops.yaml) that are devices or links out are never read', () => {
  const secret = fileOutside('secret.yaml', 'token: hunter2-outside-value\n: [\n');
  const root = hostileRepo({
    'app/kustomization.yaml': 'resources: [../base, deploy.yaml]\n',
    'app/deploy.yaml': DEPLOYMENT('app'),
    'gen/kustomization.yaml': 'resources: [deploy.yaml]\ngenerators: [/dev/zero]\ntransformers: [pipe.yaml]\n',
    'gen/deploy.yaml': DEPLOYMENT('gen'),
  });
  mkdirSync(join(root, 'base'));
  symlinkSync('/dev/zero', join(root, 'base/kustomization.yaml'));
  execFileSync('mkfifo', [join(root, 'gen/pipe.yaml')]);
  symlinkSync('/dev/zero', join(root, '.gitignore'));
  const started = Date.now();
  const result = validateCli([root, '--format', 'json', '--no-cache'], { timeoutMs: 120_000 });
  assert.equal(result.signal, null, 'validate hung reading a device');
  assert.equal(result.code, 1, result.stderr);
  const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; file: string }[] }).findings;
  const where = (ruleId: string) =>
    findings
      .filter((finding) => finding.ruleId === ruleId)
      .map((finding) => finding.file)
      .sort();
  assert.deepEqual(where('symlink-invalid'), ['.gitignore', 'base/kustomization.yaml']);
  assert.deepEqual(where('render-failed'), ['app/kustomization.yaml', 'gen/kustomization.yaml']);
  assert.ok(
    repoViewFromDisk(root).files().includes('app/deploy.yaml'),
    'a .gitignore that is a device ignores nothing',
  );

  symlinkSync(secret, join(root, 'baseline.json'));
  const baseline = validateCli([root, '--format', 'json', '--no-cache', '--baseline', join(root, 'baseline.json')]);
  assert.equal(baseline.code, 2, 'a baseline that leads out of the repository is bad input');
  assert.match(baseline.stderr, /baseline is outside the repository/);
  assert.doesNotMatch(baseline.stdout + baseline.stderr, /hunter2/);

  symlinkSync(secret, join(root, 'gitops.yaml'));
  const linked = validateCli([root, '--format', 'json', '--no-cache'], { timeoutMs: 120_000 });
  assert.equal(linked.code, 2, 'a gitops.yaml that leads out of the repository is bad input');
  assert.match(linked.stderr, /gitops\.yaml.*is outside the repository/);
  assert.doesNotMatch(linked.stdout + linked.stderr, /hunter2/);
  assert.ok(Date.now() - started < 90_000);
});

test("a schema location's files that are links to a device or out of the repository are never read (JSON's error quotes them)", () => {
  const secret = fileOutside('secret.json', 'hunter2-outside-value');
  const root = hostileRepo({
    'gitops.yaml': 'lint:\n  schemaLocations: [schemas]\n',
    'crd/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n',
    'crd/gadget.yaml': 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n',
  });
  mkdirSync(join(root, 'schemas'));
  symlinkSync(secret, join(root, 'schemas/widget-example-v1.json'));
  symlinkSync('/dev/zero', join(root, 'schemas/gadget-example-v1.json'));
  const result = validateCli([root, '--format', 'json', '--no-cache'], { timeoutMs: 120_000 });
  assert.equal(result.signal, null, 'validate hung reading a schema that is a device');
  assert.equal(result.code, 1, result.stderr);
  assert.doesNotMatch(result.stdout + result.stderr, /hunter2/);
  const missing = (JSON.parse(result.stdout) as { findings: { ruleId: string; message: string }[] }).findings.filter(
    (finding) => finding.ruleId === 'missing-schema',
  );
  assert.equal(missing.length, 2, 'neither link is a schema');
});

test("a kind or a schema's $ref that leads out of every schema folder is never read (JSON's error quoted the file)", () => {
  // kubeconform's file name is `<kind>-<version>.json`: a kind with `../` names any such file.
  const outside = folderOutside({ 'stolen-v1.json': 'hunter2-outside-kind', 'secret.json': 'hunter2-outside-ref' });
  const root = hostileRepo({
    'gitops.yaml': 'lint:\n  schemaLocations: [schemas]\n',
    'schemas/widget-example-v1.json': JSON.stringify({
      type: 'object',
      properties: { spec: { $ref: join(outside, 'secret.json') } },
    }),
    'crd/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {}\n',
    'crd/stolen.yaml': `apiVersion: v1\nkind: ${'../'.repeat(20)}${outside.slice(1)}/stolen\nmetadata: {name: s}\n`,
  });
  const result = validateCli([root, '--format', 'json', '--no-cache'], { timeoutMs: 120_000 });
  assert.ok(result.code === 0 || result.code === 1, result.stderr);
  assert.doesNotMatch(result.stdout + result.stderr, /hunter2/);
  const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; file: string }[] }).findings;
  assert.ok(
    findings.some((finding) => finding.ruleId === 'missing-schema' && finding.file === 'crd/stolen.yaml'),
    'the kind has no schema',
  );
});

test('with argocd-cm LoadRestrictionsNone (passed, as Argo CD does) a generator config still reads no file outside the repository', () => {
  const outside = folderOutside({ token: 'hunter2-outside-value' });
  const root = hostileRepo({
    'argocd/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm, namespace: argocd}
data:
  kustomize.buildOptions: --load-restrictor LoadRestrictionsNone
`,
    'argocd/app.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: app, namespace: argocd}
spec:
  project: default
  source: {repoURL: https://example.com/repo.git, path: app, targetRevision: HEAD}
  destination: {server: https://kubernetes.default.svc, namespace: app}
`,
    // The file becomes a ConfigMap value, a replacement copies it into the image a finding prints. An
    // inline generator config: discovery reads the files it names as the app's inputs, and one outside
    // the repository stops the render before kustomize runs (the restrictor, None here, would not).
    'app/kustomization.yaml': `resources: [deploy.yaml]
generators:
  - |-
    apiVersion: builtin
    kind: ConfigMapGenerator
    metadata: {name: stolen}
    files: [tag=${join(outside, 'token')}]
replacements:
  - source: {kind: ConfigMap, name: stolen, fieldPath: data.tag}
    targets:
      - select: {kind: Deployment}
        fieldPaths: [spec.template.spec.containers.0.image]
`,
    'app/deploy.yaml': DEPLOYMENT('app'),
  });
  const result = validateCli([root, '--format', 'json', '--no-cache'], { timeoutMs: 120_000 });
  assert.equal(result.code, 1, result.stderr);
  assert.doesNotMatch(result.stdout + result.stderr, /hunter2/);
  const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; message: string }[] }).findings;
  assert.ok(
    findings.some(
      (finding) =>
        finding.ruleId === 'render-failed' &&
        /is outside the repository \(not read; kustomize not run\)/.test(finding.message),
    ),
    result.stdout,
  );
});

test('a base outside the repository (a path out, a folder link out) is not built: its objects are never printed', () => {
  const outside = folderOutside({
    'base/kustomization.yaml': 'resources: [deploy.yaml]\n',
    'base/deploy.yaml': DEPLOYMENT('hunter2-outside'),
  });
  const root = hostileRepo({
    'path/kustomization.yaml': `resources: [${join(outside, 'base')}]\n`,
    'link/kustomization.yaml': 'resources: [../linked]\n',
  });
  // kustomize's load restrictor checks a file against its own kustomization's folder, wherever that is.
  symlinkSync(join(outside, 'base'), join(root, 'linked'));
  const result = validateCli([root, '--format', 'json', '--no-cache'], { timeoutMs: 120_000 });
  assert.equal(result.code, 1, result.stderr);
  assert.doesNotMatch(result.stdout + result.stderr, /hunter2/);
  const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; message: string }[] })
    .findings;
  for (const app of ['path', 'link'])
    assert.ok(
      findings.some(
        (finding) =>
          finding.ruleId === 'render-failed' &&
          finding.file === `${app}/kustomization.yaml` &&
          /is outside the repository/.test(finding.message),
      ),
      `${app} is not built`,
    );
});

test("gitops diff's checkout of a commit never writes through a link: a tree listing `c` as a link and `c/x` as a file", async () => {
  const root = hostileRepo({ 'README.md': 'x\n' });
  const git = (args: string[], input?: string) =>
    execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      ...(input !== undefined ? { input } : {}),
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    }).trim();
  git(['init', '-q']);
  // git mktree writes what it is given: `a -> .` and `c -> a/..` each look inside the folder, but `c`
  // is the folder's parent (the temp folder), and a second `c` entry, a tree, holds a file.
  const name = `gitops-escaped-${process.pid}-${Date.now()}`;
  const escaped = join(tmpdir(), name);
  const blob = (text: string) => git(['hash-object', '-w', '--stdin'], text);
  const inner = git(['mktree'], `100644 blob ${blob('pwned\n')}\t${name}\n`);
  const tree = git(
    ['mktree'],
    `120000 blob ${blob('.')}\ta\n120000 blob ${blob('a/..')}\tc\n040000 tree ${inner}\tc\n`,
  );
  const commit = git(['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit-tree', tree, '-m', 'evil']);
  const checkout = await checkoutRef(findGitRepo(root)!, commit);
  try {
    const wrote = existsSync(escaped);
    if (wrote) rmSync(escaped);
    assert.equal(wrote, false, 'the checkout wrote a file out of its folder');
    assert.ok(checkout.skipped.some((line) => line.startsWith(`c/${name}:`)));
  } finally {
    checkout.remove();
  }
});

test('links to folders inside linked folders (ten per folder, eight deep: 10^8 paths) are listed up to a bound, not to a hang', () => {
  const root = hostileRepo({ 'd8/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' });
  for (let depth = 0; depth < 8; depth++) {
    mkdirSync(join(root, `d${depth}`), { recursive: true });
    for (let link = 0; link < 10; link++) symlinkSync(`../d${depth + 1}`, join(root, `d${depth}`, `l${link}`));
  }
  const started = Date.now();
  const result = validateCli([root, '--format', 'json', '--no-cache'], { timeoutMs: 120_000 });
  assert.equal(result.signal, null, 'validate hung listing the links');
  assert.equal(result.code, 1, result.stderr);
  const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; message: string }[] }).findings;
  assert.ok(
    findings.some(
      (finding) => finding.ruleId === 'symlink-invalid' && /lead to more than \d+ paths/.test(finding.message),
    ),
  );
  assert.ok(Date.now() - started < 60_000);
});

test("gitops.yaml's lint.schemaLocations may name only folders inside the repository: a URL is refused, never fetched", async () => {
  const server = await listener('127.0.0.1');
  try {
    const config = readFileSync(join(repoRoot, 'gitops.yaml'), 'utf8');
    const location = `http://127.0.0.1:${server.port}/{{ .ResourceKind }}.json`;
    const root = hostileRepo({
      'gitops.yaml': /^lint:/m.test(config)
        ? config.replace(/^lint:\n/m, `lint:\n  schemaLocations: ["${location}"]\n`)
        : `${config}\nlint:\n  schemaLocations: ["${location}"]\n`,
      'crd/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n',
    });
    const result = await validateCliAsync([root, '--no-cache', '--format', 'json']);
    assert.equal(server.connections(), 0, 'the schema location was fetched');
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /lint\.schemaLocations\[0\] is not allowed: .*URLs.*--schema-location/);
  } finally {
    server.close();
  }
});

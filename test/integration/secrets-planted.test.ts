// Issue 9, "no secret value in any output": distinctive values planted in every place a secret can be,
// then every output of the tool (each format, --verbose, the baseline, the caches, `gitops apps`, and
// `gitops diff` with its PR comment after every value was rotated) scanned for each value, its base64
// and any 8-character piece of it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from '../fixtures/pipeline/copy.ts';

const work = mkdtempSync(join(tmpdir(), 'gitops-planted-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Each planted value, named for where it sits. Random-looking, so no honest output contains a piece of one. */
const PLANTED = {
  secretData: 'Qv7mZx2LpRt9Wc4KdataQ',
  secretStringData: 'Hs3nVb8YqTe1XstringJ',
  envValue: 'Ku5fRw0ZpLm7EenvvalN',
  configMapValue: 'Jd4tGh6WqPz2CcmvalueM',
  urlPassword: 'Tq9xBn3VkLr5Upassw0rd',
  pemBody: 'MIIEowIBAAKCAQEAz9Wq3Xb7Rt2PlantedPemBodyK4',
  githubToken: 'ghp_Pl4nted0Tok3nAbCdEfGhIjKlMnOpQrStUvWx',
  awsKey: 'AKIAPL4NTEDQZ7XW3VKR',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkMTIzNCJ9.Zp4Rq8Nw2Vt6Xy0Ls3Kj',
  annotation: 'Wr8nYc1MzQb6Tannotat',
  generatorLiteral: 'Lb2qXv9RmWk4Nliteral',
  generatorEnvFile: 'Ez6pTk3YwNq8Benvfile',
  repoUrlToken: 'Ny7vLc2QxZr4Mrepotok',
  appSetParameter: 'Gm5wKt8RbXq1Vappsetp',
  appSetRepoToken: 'Rk2mWq7TzNb4Xappsetr',
  failingLiteral: 'Cx3rMq7WnVz9Pfailing',
  failingDump: 'Fw6kTn2XbRq8Ldumpval',
} as const;

const b64 = (value: string) => Buffer.from(value).toString('base64');

/** Every value rotated, as a pull request changing each secret would: other values of the same shapes. */
const ROTATED: Record<keyof typeof PLANTED, string> = {
  secretData: 'Xn4kWq8ZpDr2Lrotdata',
  secretStringData: 'Pv6tMc1HsYb9Krotstring',
  envValue: 'Zt2wQm5NxBc8Grotenvval',
  configMapValue: 'Hb7rKx3TnWp6Yrotcmval',
  urlPassword: 'Vd5qLs8MzHk2Rrotpassw',
  pemBody: 'MIIEpAIBAAKCAQEAr8Tz4Mq6Wn1RotatedPemBodyP7',
  githubToken: 'ghp_R0tat3dTok3nZyXwVuTsRqPoNmLkJiHgFeDc',
  awsKey: 'AKIAR0TATEDMN4QZ8XWP',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyb3RhdGVkNTY3OCJ9.Qm7Tx3Lw9Kp2Zr5Vn8Hd',
  annotation: 'Mc9vTz4QwKb1Hrotannot',
  generatorLiteral: 'Tw3nRk7XqLv5Brotliteral',
  generatorEnvFile: 'Yq8mHx2VbNt6Crotenvfile',
  repoUrlToken: 'Kd4zPw9LnQx3Wrotrepotok',
  appSetParameter: 'Bx6nTq1MwRz8Drotappsetp',
  appSetRepoToken: 'Wm3kZr5XtHq7Frotappsetr',
  failingLiteral: 'Qz8pVn2KxMw4Trotfailing',
  failingDump: 'Lr5tXq9BwNz3Srotdumpval',
};

function plantedRepository(name = 'repo', values: Record<keyof typeof PLANTED, string> = PLANTED): string {
  const PLANTED = values;
  const root = join(work, name);
  const files: Record<string, string> = {
    'apps/web/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
resources: [deployment.yaml, secret.yaml, configmap.yaml]
commonAnnotations:
  example.com/deploy-token: ${PLANTED.annotation}
secretGenerator:
  - name: generated
    literals: [API_KEY=${PLANTED.generatorLiteral}]
    envs: [creds.env]
`,
    'apps/web/creds.env': `DB_PASSWORD=${PLANTED.generatorEnvFile}\n`,
    'apps/web/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    example.com/jwt: ${PLANTED.jwt}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:latest
          securityContext: {privileged: true}
          env:
            - {name: SESSION_SECRET, value: ${PLANTED.envValue}}
            - {name: DATABASE_URL, value: "postgres://app:${PLANTED.urlPassword}@db.shop:5432/shop"}
            - {name: GITHUB_TOKEN, value: ${PLANTED.githubToken}}
            - {name: AWS_ACCESS_KEY_ID, value: ${PLANTED.awsKey}}
`,
    'apps/web/secret.yaml': `apiVersion: v1
kind: Secret
metadata: {name: db}
data:
  password: ${b64(PLANTED.secretData)}
stringData:
  token: ${PLANTED.secretStringData}
  tls.key: |
    -----BEGIN RSA PRIVATE KEY-----
    ${PLANTED.pemBody}
    -----END RSA PRIVATE KEY-----
`,
    'apps/web/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data:
  db_password: ${PLANTED.configMapValue}
`,
    // A secretGenerator literal without "=": kustomize quotes it back in its error.
    'apps/broken-literal/kustomization.yaml': `secretGenerator:\n  - name: s\n    literals: [${PLANTED.failingLiteral}]\n`,
    // A value that is not JSON-able: kustomize prints the whole object (map[string]interface {}{...}).
    'apps/broken-dump/kustomization.yaml': 'resources: [secret.yaml]\n',
    'apps/broken-dump/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData:\n  password: ${PLANTED.failingDump}\n  1: 2\n`,
    'argocd/app.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://deploy:${PLANTED.repoUrlToken}@git.example.com/shop/gitops.git
    path: apps/web
    targetRevision: main
  destination: {server: https://kubernetes.default.svc, namespace: shop}
`,
    'argocd/appset.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: tenants, namespace: argocd}
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list:
        elements:
          - {tenant: acme, token: ${PLANTED.appSetParameter}}
  template:
    metadata: {name: 'tenant-{{ .tenant }}-{{ .missing }}'}
    spec:
      project: default
      source: {repoURL: 'https://x:{{ .token }}@git.example.com/t.git', path: apps/web, targetRevision: main}
      destination: {server: https://kubernetes.default.svc, namespace: '{{ .tenant }}'}
`,
    'argocd/appset-ok.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: mirrors, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - {mirror: eu, token: ${PLANTED.appSetRepoToken}}
  template:
    metadata: {name: 'mirror-{{ .mirror }}'}
    spec:
      project: default
      source: {repoURL: 'https://bot:{{ .token }}@git.example.com/mirror.git', path: apps/web, targetRevision: main}
      destination: {server: https://kubernetes.default.svc, namespace: shop}
`,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Every form of a planted value that must not appear: itself, its base64, every 8-character piece. */
function forbiddenForms(value: string): string[] {
  const forms = new Set([value, b64(value).replace(/=+$/, '')]);
  for (let i = 0; i + 8 <= value.length; i++) forms.add(value.slice(i, i + 8));
  return [...forms];
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** Each planted value found in an output, once per value and output, with the first form found. */
function leaksIn(outputs: { name: string; text: string }[], values: Record<string, string>[]): string[] {
  const leaks: string[] = [];
  for (const [i, planted] of values.entries())
    for (const [where, value] of Object.entries(planted))
      for (const output of outputs) {
        const form = forbiddenForms(value).find((candidate) => output.text.includes(candidate));
        if (form) leaks.push(`${where}${i > 0 ? ` (set ${i + 1})` : ''} as "${form}" in ${output.name}`);
      }
  return leaks;
}

function gitops(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [join(repoRoot, 'bin', 'gitops.js'), ...args], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, GITHUB_ACTIONS: '', FORCE_COLOR: '0', ...env },
  });
}

test('no planted value leaves the tool: every format, --verbose, the baseline, the cache, gitops apps', () => {
  const root = plantedRepository();
  const out = join(work, 'out');
  mkdirSync(out);
  const cache = join(work, 'cache');
  const env = { GITOPS_CACHE_DIR: cache };
  const outputs: { name: string; text: string }[] = [];
  const formats = ['json', 'sarif', 'junit', 'github', 'markdown'];
  for (const pass of ['cold', 'warm']) {
    const run = gitops(
      [
        'validate',
        root,
        '--verbose',
        '--baseline',
        join(out, 'baseline.json'),
        ...(pass === 'cold' ? ['--update-baseline'] : []),
        ...formats.flatMap((format) => ['--format', format, '--output', join(out, `${pass}.${format}`)]),
        '--format',
        'stylish',
      ],
      env,
    );
    assert.ok(run.status === 0 || run.status === 1, `${pass}: exit ${run.status}\n${run.stderr}`);
    outputs.push(
      { name: `${pass} stdout`, text: run.stdout },
      { name: `${pass} stderr (--verbose)`, text: run.stderr },
    );
  }
  for (const format of ['json', 'table']) {
    const apps = gitops(['apps', root, '--format', format], env);
    outputs.push({ name: `apps ${format}`, text: apps.stdout + apps.stderr });
  }
  for (const file of [...filesUnder(out), ...filesUnder(cache)])
    outputs.push({ name: file.slice(work.length + 1), text: readFileSync(file, 'latin1') });

  // The run said something about each place: the values were read, the findings are there.
  const all = outputs.map((output) => output.text).join('\n');
  for (const rule of ['no-privileged', 'no-plaintext-secrets', 'render-failed', 'applicationset-expands'])
    assert.match(all, new RegExp(rule), `expected ${rule} findings`);
  assert.match(all, /git\.example\.com\/shop\/gitops\.git/, 'the repoURL is printed, without its credentials');
  assert.match(all, /mirror-eu/, 'the ApplicationSet generated its Application');

  assert.deepEqual(leaksIn(outputs, [PLANTED]), []);
});

test('no planted value leaves gitops diff: stylish, json, the markdown PR comment, --verbose, its snapshot cache', () => {
  const root = plantedRepository('diff-repo');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
      cwd: root,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'planted');
  // The pull request rotates every value and makes the Deployment worse: the diff has something to say.
  plantedRepository('diff-repo', ROTATED);
  const deployment = join(root, 'apps/web/deployment.yaml');
  writeFileSync(deployment, readFileSync(deployment, 'utf8').replace('nginx:latest', 'nginx:1.27'));

  const out = join(work, 'diff-out');
  mkdirSync(out);
  const cache = join(work, 'diff-cache');
  const env = { GITOPS_CACHE_DIR: cache };
  const outputs: { name: string; text: string }[] = [];
  for (const pass of ['cold', 'warm']) {
    const run = gitops(
      [
        'diff',
        '--base',
        'main',
        root,
        '--verbose',
        '--format',
        'json',
        '--output',
        join(out, `${pass}.json`),
        '--format',
        'markdown',
        '--output',
        join(out, `${pass}.md`),
        '--format',
        'stylish',
      ],
      env,
    );
    assert.equal(run.status, 0, `${pass}: exit ${run.status}\n${run.stderr}`);
    outputs.push({ name: `diff ${pass} stdout`, text: run.stdout }, { name: `diff ${pass} stderr`, text: run.stderr });
  }
  for (const file of [...filesUnder(out), ...filesUnder(cache)])
    outputs.push({ name: file.slice(work.length + 1), text: readFileSync(file, 'latin1') });

  // The diff saw the changes: the image, and Secrets whose values changed (said without the values).
  const all = outputs.map((output) => output.text).join('\n');
  assert.match(all, /nginx:1\.27/, 'the image change is in the diff');
  assert.match(all, /Secret/, 'the changed Secrets are in the diff');
  assert.ok(filesUnder(cache).length > 0, 'the diff kept a snapshot cache to scan');
  assert.deepEqual(leaksIn(outputs, [PLANTED, ROTATED]), []);
});

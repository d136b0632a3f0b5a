// gitops.yaml errors: each bad fixture (test/fixtures/config/) gets exit 2, one line naming the file,
// line and column with what to do, and nothing is written.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../scripts/cli/main.ts';
import { InputError } from '../scripts/errors.ts';
import { loadConfigFile, loadLintConfig, parseConfig } from '../scripts/config/index.ts';

const fixtures = resolve(import.meta.dirname, 'fixtures', 'config');
const repoRoot = resolve(import.meta.dirname, '..');
const temp = mkdtempSync(join(tmpdir(), 'gitops-config-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** Runs the CLI in-process and returns its exit code and what it printed to stderr. */
async function runCli(args: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  const originalError = console.error;
  const originalLog = console.log;
  console.error = (...parts: unknown[]) => lines.push(parts.join(' '));
  console.log = () => {};
  try {
    return { code: await main(args), stderr: lines.join('\n') };
  } finally {
    console.error = originalError;
    console.log = originalLog;
  }
}

const cases: { fixture: string; line: number; column: number; says: RegExp }[] = [
  { fixture: 'unknown-key', line: 26, column: 5, says: /unknown key "imagePolicy" in services\[0\]\. Remove it/ },
  {
    fixture: 'wrong-type',
    line: 15,
    column: 27,
    says: /templates\.web\.ports\[0\]\.port must be integer\. Change the value/,
  },
  { fixture: 'version-number', line: 3, column: 1, says: /kubernetesVersion must be string.*"1\.32"/ },
  {
    fixture: 'duplicate-service',
    line: 27,
    column: 20,
    says: /duplicate service "web" \(also declared at services\[0\]\.name\)\. Give each service a unique name/,
  },
  {
    fixture: 'bad-dns-name',
    line: 23,
    column: 5,
    says: /services\[0\]\.name is not a valid name\. Use a DNS-1123 label/,
  },
  {
    fixture: 'undeclared-namespace',
    line: 26,
    column: 5,
    says: /namespace "shop", which is not declared under namespaces\. Declare it/,
  },
  // The namespace comes from the template: the error points there, not at the service using it.
  {
    fixture: 'undeclared-namespace-in-template',
    line: 14,
    column: 5,
    says: /service "web" uses namespace "shop", which is not declared under namespaces/,
  },
  {
    fixture: 'undeclared-environment',
    line: 27,
    column: 7,
    says: /overrides environment "prod", which is not declared under environments\. Declare it/,
  },
  { fixture: 'duplicate-key', line: 12, column: 5, says: /a key appears twice/ },
  { fixture: 'bad-yaml', line: 12, column: 4, says: /Fix the YAML syntax/ },
  { fixture: 'same-probes', line: 18, column: 7, says: /liveness and readiness are the same check/ },
  { fixture: 'unknown-template', line: 24, column: 5, says: /template "webb" is not declared under templates/ },
  { fixture: 'unknown-call', line: 26, column: 13, says: /calls "database", which is not a declared service/ },
];

for (const { fixture, line, column, says } of cases) {
  test(`config error: ${fixture} -> exit 2 at line ${line}, nothing written`, async () => {
    const out = join(temp, fixture);
    const file = join(fixtures, `${fixture}.yaml`);
    const { code, stderr } = await runCli(['generate', '--config', file, '--out', out]);
    assert.equal(code, 2);
    assert.match(stderr, new RegExp(`${fixture}\\.yaml:${line}:${column}: `));
    assert.match(stderr, says);
    assert.equal(stderr.trim().split('\n').length, 1, 'one clear line, no stack trace');
    assert.equal(existsSync(out) && readdirSync(out).length > 0, false, 'nothing is written on a config error');
  });
}

test('the valid fixture loads: templates merge, names expand, ${name} is substituted', () => {
  const config = loadConfigFile(join(fixtures, 'valid.yaml'));
  assert.deepEqual(
    config.services.map((service) => service.name),
    ['web', 'api-a', 'api-b'],
  );
  const apiB = config.services[2];
  assert.equal(apiB.image.repository, 'ghcr.io/example/api-b');
  assert.equal(apiB.namespace, 'apps', 'from the template');
  assert.equal(apiB.workload, 'Deployment', 'the default workload');
});

test('InputError carries file, line and column for the CLI', () => {
  assert.throws(
    () => parseConfig('project: { name: demo }\n', 'gitops.yaml'),
    (error: unknown) =>
      error instanceof InputError &&
      error.file === 'gitops.yaml' &&
      error.line === 1 &&
      /missing "repoURL"/.test(error.message),
  );
});

test('loadLintConfig: the repository gitops.yaml gives the settings the validator reads', () => {
  const lint = loadLintConfig(repoRoot);
  assert.ok(lint);
  assert.equal(lint.kubernetesVersion, '1.32');
  assert.deepEqual(
    lint.environments?.map((env) => [env.name, env.syncPolicy?.automated]),
    [
      ['dev', true],
      ['staging', true],
      ['prod', false],
    ],
  );
  for (const path of ['test/', 'examples/', 'node_modules/'])
    assert.ok(lint.lint?.ignorePaths?.includes(path), `ignorePaths covers ${path}`);
});

test('loadLintConfig: undefined without gitops.yaml, InputError for a bad one', () => {
  const empty = mkdtempSync(join(temp, 'empty-'));
  assert.equal(loadLintConfig(empty), undefined);
  writeFileSync(join(empty, 'gitops.yaml'), 'project: 3\n');
  assert.throws(() => loadLintConfig(empty), InputError);
});

test('environments[].cluster.labels reach the validator (clusters generators select on them); a bad label is exit 2', async () => {
  const lint = loadLintConfig(repoRoot);
  assert.deepEqual(
    lint?.environments?.map((env) => env.cluster?.labels?.env),
    ['dev', 'staging', 'prod'],
  );
  const text = readFileSync(join(repoRoot, 'gitops.yaml'), 'utf8').replace(
    'labels: { env: staging, region: eu-west-1 }',
    'labels: { env: "staging cluster", region: eu-west-1 }',
  );
  const file = join(temp, 'bad-label.yaml');
  writeFileSync(file, text);
  const line = text.split('\n').findIndex((row) => row.includes('staging cluster')) + 1;
  const { code, stderr } = await runCli(['generate', '--check', '--config', file, '--out', join(temp, 'bad-label')]);
  assert.equal(code, 2);
  assert.match(stderr, new RegExp(`bad-label\\.yaml:${line}:\\d+: environments\\[1\\]\\.cluster\\.labels\\.env`));
});

// Each would otherwise reach a generated file (an image Kubernetes cannot pull, a ConfigMap key the API
// server rejects, a number YAML cannot carry): exit 2 at the line, nothing written.
const badValues: { what: string; from: string; to: string; says: RegExp }[] = [
  {
    what: 'an image repository with a space',
    from: 'repository: ghcr.io/example/api-gateway,',
    to: 'repository: "ghcr.io/example/api gateway",',
    says: /services\[0\]\.image\.repository is not allowed: An image name/,
  },
  {
    what: 'an image tag with a newline',
    from: 'tag: 2.3.1 }',
    to: 'tag: "2.3.1\\nlatest" }',
    says: /services\[0\]\.image\.tag is not allowed: An image tag/,
  },
  {
    what: 'an image name that is not one once ${name} is substituted',
    from: 'repository: ghcr.io/example/user-service,',
    to: 'repository: "ghcr.io/Example/${name}",',
    says: /image repository "ghcr\.io\/Example\/user-service" is not an image name/,
  },
  {
    what: 'an override tag starting with "-"',
    from: 'imageTag: 1.5.0-rc.1',
    to: 'imageTag: -rc.1',
    says: /image tag "-rc\.1" is not a tag/,
  },
  {
    what: 'a config key with a space',
    from: 'JAVA_TOOL_OPTIONS:',
    to: '"JAVA TOOL":',
    says: /key "JAVA TOOL" in services\[2\]\.config is not allowed: A ConfigMap key/,
  },
  { what: 'an empty config key', from: 'JAVA_TOOL_OPTIONS:', to: '"":', says: /key "" in services\[2\]\.config/ },
  {
    what: 'a config key with a newline',
    from: 'JAVA_TOOL_OPTIONS:',
    to: '"JAVA\\nOPTS":',
    says: /services\[2\]\.config is not allowed/,
  },
  {
    what: 'an integer beyond int64',
    from: 'min: 3, max: 10',
    to: 'min: 3, max: 9223372036854775808',
    says: /environments\[2\]\.defaults\.replicas\.max must be <= 2147483647/,
  },
];
for (const { what, from, to, says } of badValues) {
  test(`gitops.yaml: ${what} is exit 2 at its line`, async () => {
    const original = readFileSync(join(repoRoot, 'gitops.yaml'), 'utf8');
    assert.ok(original.includes(from), from);
    const text = original.replace(from, to);
    const file = join(temp, 'bad-value.yaml');
    writeFileSync(file, text);
    const out = join(temp, 'bad-value-out');
    const { code, stderr } = await runCli(['generate', '--config', file, '--out', out]);
    assert.equal(code, 2, stderr);
    const line = text.split('\n').findIndex((row) => row.includes(to.split('\\')[0])) + 1;
    assert.match(stderr, new RegExp(`bad-value\\.yaml:${line}:\\d+: `));
    assert.match(stderr, says);
    assert.equal(existsSync(out) && readdirSync(out).length > 0, false);
  });
}

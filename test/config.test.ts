// gitops.yaml errors: each bad fixture (test/fixtures/config/) gets exit 2, one line naming the file,
// line and column with what to do, and nothing is written.
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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
  // A canary needs an environment the service runs in (prod by default) and weights that go up.
  {
    fixture: 'canary-not-in-environment',
    line: 27,
    column: 5,
    says: /does not run in environment "prod", so it cannot be released there as a canary/,
  },
  { fixture: 'canary-weights-descend', line: 29, column: 23, says: /canary weight 40 follows 50; weights must go up/ },
  // Blue-green has no steps; an automatic switch needs an analysis; NGINX splits an Ingress the service has.
  {
    fixture: 'blue-green-with-steps',
    line: 29,
    column: 7,
    says: /delivery\.steps does not apply here: it is for a canary \(a blueGreen release switches all at once\)/,
  },
  { fixture: 'blue-green-auto-without-analysis', line: 26, column: 5, says: /delivery is missing "analysis"/ },
  {
    fixture: 'nginx-canary-without-ingress',
    line: 29,
    column: 7,
    says: /service "web" has no ingress, so NGINX has no Ingress to split/,
  },
  // A sealed secret: the file is the Secret the pods read, with every key they read; a remote key elsewhere.
  {
    fixture: 'sealed-wrong-name',
    line: 29,
    column: 19,
    says: /sealed\/other-db\.yaml cannot be the sealed secret "db" of dev: it is named "other-db"; the pods read Secret "web-db"/,
  },
  {
    fixture: 'sealed-missing-key',
    line: 29,
    column: 19,
    says: /it has no password, which env reads/,
  },
  {
    fixture: 'sealed-without-remote-key',
    line: 32,
    column: 9,
    says: /secret "db" has no remoteKey for staging, where it is not sealed/,
  },
  {
    fixture: 'sealed-not-in-environment',
    line: 30,
    column: 44,
    says: /does not run in environment "prod": its secret "db" cannot be sealed for it there/,
  },
  // Flagger (delivery.controller) releases canaries, and runs the pods as <service>-primary.
  {
    fixture: 'flagger-blue-green',
    line: 28,
    column: 7,
    says: /delivery\.controller is flagger, which releases canaries here/,
  },
  {
    fixture: 'flagger-with-vpa',
    line: 27,
    column: 5,
    says: /Flagger runs the pods as web-primary, which a VerticalPodAutoscaler of the Deployment does not follow/,
  },
  // KEDA's ScaledObject replaces the HPA: never both.
  {
    fixture: 'event-scaling-beside-hpa',
    line: 27,
    column: 5,
    says: /sets both autoscaling and eventScaling: KEDA's ScaledObject replaces the HPA/,
  },
  // A VPA that sets requests never shares a resource with the HPA.
  {
    fixture: 'vpa-auto-beside-hpa',
    line: 28,
    column: 24,
    says: /its HPA scales on cpu, which a VPA in auto mode would set too/,
  },
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
/** A DaemonSet appended to the services, for the cases about DaemonSets. */
const nodeAgent = (extra = '') =>
  `  - name: node-agent\n    namespace: data\n    workload: DaemonSet\n    image: { repository: ghcr.io/example/node-agent, tag: 1.0.0 }\n    probes:\n      liveness: { tcp: { port: 9100 } }\n      readiness: { http: { path: /ready, port: 9100 } }\n    resources:\n      requests: { cpu: 10m, memory: 16Mi }\n      limits: { cpu: 50m, memory: 32Mi }\n${extra}\nlint:\n`;

const badValues: {
  what: string;
  from: string;
  to: string;
  says: RegExp;
  /** Text on the line the error must name (default: the first line of `to`). */
  at?: string;
  files?: Record<string, string>;
}[] = [
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
  {
    what: 'a DaemonSet in an environment that does not say how many nodes it has',
    from: '\nlint:\n',
    to: nodeAgent(),
    at: 'workload: DaemonSet',
    says: /service "node-agent" is a DaemonSet, which runs one pod on every node of dev: declare environments "dev" nodes/,
  },
  {
    what: 'a PodDisruptionBudget that keeps every pod of an environment',
    from: 'disruptionBudget: { minAvailable: 1 }',
    to: 'disruptionBudget: { minAvailable: 2 }',
    says: /minAvailable 2 keeps all of its 2 pod\(s\) in dev, so no node holding one can be drained/,
  },
  {
    what: 'a percentage minAvailable that keeps every pod',
    from: 'disruptionBudget: { minAvailable: 1 }',
    to: 'disruptionBudget: { minAvailable: "60%" }',
    says: /minAvailable 60% keeps all of its 2 pod\(s\) in dev/,
  },
  {
    what: 'a preStop hook with two handlers',
    from: 'preStop: { exec: [/app/bin/drain, --timeout, "20s"] }',
    to: 'preStop: { exec: [/app/bin/drain], sleepSeconds: 5 }',
    says: /service "order-service": preStop needs exactly one of sleepSeconds, exec or http \(has 2\)/,
  },
  {
    what: 'a preStop HTTP hook on a port the service does not have',
    from: 'preStop: { http: { path: /drain, port: metrics } }',
    to: 'preStop: { http: { path: /drain, port: admin } }',
    says: /preStop port "admin" is not one of its ports/,
  },
  {
    what: 'a Pods metric with a total value',
    from: 'memory: 80',
    to: 'memory: 80\n      metrics: [{ type: Pods, metric: rps, value: "10" }]',
    at: 'metrics: [{ type: Pods',
    says: /a Pods metric's target is an averageValue \(per pod\)/,
  },
  {
    what: 'an Object metric without the object',
    from: 'memory: 80',
    to: 'memory: 80\n      metrics: [{ type: Object, metric: rps, value: "10" }]',
    at: 'metrics: [{ type: Object',
    says: /every Object metric needs one/,
  },
  {
    what: "a config file outside gitops.yaml's folder",
    from: 'from: config/product-service/logback.xml',
    to: 'from: ../../../etc/hostname',
    says: /cannot use "\.\.\/\.\.\/\.\.\/etc\/hostname" as a config file: it is outside the repository/,
  },
  {
    what: 'a config file that is a link out of the folder',
    from: 'from: config/product-service/logback.xml',
    to: 'from: config/linked.xml',
    files: { 'config/linked.xml': '->/etc/hostname' },
    says: /cannot use "config\/linked\.xml" as a config file: it is outside the repository/,
  },
  {
    what: 'a config file too large for a ConfigMap',
    from: 'from: config/product-service/logback.xml',
    to: 'from: config/huge.xml',
    files: { 'config/huge.xml': 'x'.repeat(600 * 1024) },
    says: /it is larger than 512 KiB/,
  },
  {
    what: 'two config files with the same name',
    from: '/app/config/logback.xml, from',
    to: '/app/other/application.yml, from',
    says: /configFiles 0 and 1 are both named "application\.yml"/,
  },
  {
    what: 'replicas on a DaemonSet',
    from: '\nlint:\n',
    to: nodeAgent('    replicas: { min: 1, max: 1 }\n'),
    at: 'replicas: { min: 1, max: 1 }\n\nlint',
    says: /service "node-agent" is a DaemonSet \(one pod per node\): it has no replicas/,
  },
];
for (const { what, from, to, says, at, files } of badValues) {
  test(`gitops.yaml: ${what} is exit 2 at its line`, async () => {
    const original = readFileSync(join(repoRoot, 'gitops.yaml'), 'utf8');
    assert.ok(original.includes(from), from);
    const text = original.replace(from, to);
    // Next to a copy of the files gitops.yaml reads (configFiles, sealed secrets), like the repository.
    const dir = mkdtempSync(join(temp, 'bad-value-'));
    cpSync(join(repoRoot, 'config'), join(dir, 'config'), { recursive: true });
    cpSync(join(repoRoot, 'sealed'), join(dir, 'sealed'), { recursive: true });
    for (const [path, content] of Object.entries(files ?? {})) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      if (content.startsWith('->')) symlinkSync(content.slice(2), join(dir, path));
      else writeFileSync(join(dir, path), content);
    }
    const file = join(dir, 'bad-value.yaml');
    writeFileSync(file, text);
    const out = join(dir, 'out');
    const { code, stderr } = await runCli(['generate', '--config', file, '--out', out]);
    assert.equal(code, 2, stderr);
    const needle = at ?? to.split('\\')[0];
    const line = needle.includes('\n')
      ? text.slice(0, text.indexOf(needle)).split('\n').length
      : text.split('\n').findIndex((row) => row.includes(needle)) + 1;
    assert.match(stderr, new RegExp(`bad-value\\.yaml:${line}:\\d+: `));
    assert.match(stderr, says);
    assert.equal(existsSync(out) && readdirSync(out).length > 0, false);
  });
}

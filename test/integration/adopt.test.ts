// `gitops validate` on a repository the generator did not write, the way kubeconform is used (issue 17):
// a lint-only gitops.yaml at the top found from a subfolder, --config, --skip-kinds, single files,
// several paths in one report, and rendered YAML piped in with `-`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/gitops.js', import.meta.url));

function deployment(name: string, image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: ${name}
          image: ${image}
          resources:
            requests: { cpu: 10m, memory: 16Mi }
            limits: { cpu: 100m, memory: 16Mi }
`;
}

/** A repository with two folders of plain manifests and a CRD-less custom resource. */
function repository(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'gitops-adopt-')));
  assert.equal(spawnSync('git', ['init', '-q'], { cwd: root }).status, 0);
  mkdirSync(join(root, 'deploy', 'web'), { recursive: true });
  mkdirSync(join(root, 'deploy', 'api'), { recursive: true });
  writeFileSync(join(root, 'deploy', 'web', 'deployment.yaml'), deployment('web', 'nginx:latest'));
  writeFileSync(
    join(root, 'deploy', 'web', 'widget.yaml'),
    'apiVersion: acme.io/v1\nkind: Widget\nmetadata:\n  name: w\n',
  );
  writeFileSync(join(root, 'deploy', 'api', 'deployment.yaml'), deployment('api', 'ghcr.io/acme/api:latest'));
  return root;
}

function gitops(args: string[], cwd: string, input?: string) {
  const result = spawnSync(process.execPath, [bin, 'validate', '-f', 'json', '--no-cache', ...args], {
    cwd,
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
    env: { ...process.env, GITHUB_ACTIONS: '' },
  });
  const findings =
    result.status === 2
      ? []
      : (JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; severity: string }[] }).findings;
  return { code: result.status, stderr: result.stderr, findings };
}

const has = (findings: { ruleId: string; file: string }[], ruleId: string, file: string) =>
  findings.some((finding) => finding.ruleId === ruleId && finding.file === file);

test('a lint-only gitops.yaml at the repository top applies when a subfolder is validated from inside it; --config and --skip-kinds', () => {
  const root = repository();
  try {
    const plain = gitops(['web'], join(root, 'deploy'));
    assert.equal(plain.code, 1, plain.stderr);
    assert.ok(has(plain.findings, 'image-tag-pinned', 'deploy/web/deployment.yaml'));
    assert.ok(has(plain.findings, 'missing-schema', 'deploy/web/widget.yaml'));

    writeFileSync(
      join(root, 'gitops.yaml'),
      'lint:\n  skipKinds: [Widget]\n  rules:\n    image-tag-pinned: { severity: off, reason: tags are pinned by the release job }\n',
    );
    const configured = gitops(['web'], join(root, 'deploy'));
    assert.ok(!has(configured.findings, 'image-tag-pinned', 'deploy/web/deployment.yaml'), configured.stderr);
    assert.ok(!has(configured.findings, 'missing-schema', 'deploy/web/widget.yaml'), 'lint.skipKinds');

    // --config names another file; --skip-kinds adds to it.
    const other = join(root, 'ci-lint.yaml');
    writeFileSync(other, 'lint:\n  rules:\n    image-tag-pinned: warning\n');
    const explicit = gitops(['deploy/web', '-c', other, '--skip-kinds', 'Widget,Gadget'], root);
    assert.ok(explicit.findings.some((f) => f.ruleId === 'image-tag-pinned' && f.severity === 'warning'));
    assert.ok(!has(explicit.findings, 'missing-schema', 'deploy/web/widget.yaml'), '--skip-kinds');

    writeFileSync(join(root, 'gitops.yaml'), 'lint:\n  skipKinds: Widget\n  rulez: {}\n');
    const bad = gitops(['web'], join(root, 'deploy'));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /gitops\.yaml:2:3: lint\.skipKinds must be array/);
    assert.match(bad.stderr, /gitops\.yaml:3:3: unknown key "rulez" in lint/, 'both problems in one run');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('single files and several paths give one report; - reads rendered YAML from stdin', () => {
  const root = repository();
  try {
    const file = gitops(['deploy/web/deployment.yaml'], root);
    assert.equal(file.code, 1, file.stderr);
    assert.ok(has(file.findings, 'image-tag-pinned', 'deploy/web/deployment.yaml'));
    assert.deepEqual(
      [...new Set(file.findings.map((finding) => finding.file))],
      ['deploy/web/deployment.yaml'],
      'only the file asked for',
    );

    const both = gitops(['deploy/web/deployment.yaml', 'deploy/api'], root);
    assert.ok(has(both.findings, 'image-tag-pinned', 'deploy/web/deployment.yaml'));
    assert.ok(has(both.findings, 'image-tag-pinned', 'deploy/api/deployment.yaml'));

    const piped = gitops(['-'], root, readFileSync(join(root, 'deploy', 'api', 'deployment.yaml'), 'utf8'));
    assert.equal(piped.code, 1, piped.stderr);
    assert.ok(has(piped.findings, 'image-tag-pinned', '<stdin>'));
    const clean = gitops(['-'], root, deployment('ok', 'ghcr.io/acme/ok:1.2.3@sha256:' + 'a'.repeat(64)));
    assert.ok(!clean.findings.some((finding) => finding.severity === 'error'), JSON.stringify(clean.findings));

    const missing = gitops(['deploy/nothing'], root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /deploy\/nothing: does not exist/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

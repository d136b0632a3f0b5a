// What Argo CD deploys cannot be hidden from the linter (issue 9): each way of wrapping or placing a
// privileged, host-network, `:latest` Deployment that used to pass with exit 0 is checked, or gives
// an error finding that says why it could not be.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { defineRule } from '../../scripts/check/contract.ts';
import { builtinRules } from '../../scripts/check/registry.ts';
import { validateRepository } from '../../scripts/validate/index.ts';
import type { Finding } from '../../scripts/types.ts';
import {
  assertPolicyErrorsIn,
  cleanupRepos,
  privilegedDeployment,
  writeRepo,
  type RepoEntry,
} from '../fixtures/deploy/repo.ts';

after(cleanupRepos);

async function errorsOf(files: Record<string, RepoEntry>, options: { git?: boolean } = {}): Promise<Finding[]> {
  const root = writeRepo(files, options);
  const { report, faults } = await validateRepository(root, { cache: false });
  assert.deepEqual(faults, [], 'no internal fault');
  return report.findings.filter((finding) => finding.severity === 'error');
}

/** "rule file:line" of each error, sorted. */
function places(findings: Finding[]): string[] {
  return findings.map((finding) => `${finding.ruleId} ${finding.file}:${finding.line ?? 0}`).sort();
}

test('a kind: List (or a *List) in a loose manifest: every item is checked, at its own lines', async () => {
  const items = `apiVersion: v1
kind: List
items:
${privilegedDeployment('miner', '  ').replace(/^ {2}apiVersion/, '- apiVersion')}`;
  const nested = `apiVersion: apps/v1
kind: DeploymentList
items:
${privilegedDeployment('digger', '  ').replace(/^ {2}apiVersion/, '- apiVersion')}`;
  const findings = await errorsOf({ 'manifests/list.yaml': items, 'manifests/deployments.yaml': nested });
  assertPolicyErrorsIn(findings, 'manifests/list.yaml');
  assertPolicyErrorsIn(findings, 'manifests/deployments.yaml');
  const privileged = findings.find((f) => f.ruleId === 'no-privileged' && f.file === 'manifests/list.yaml');
  assert.equal(privileged?.line, items.split('\n').findIndex((line) => line.includes('privileged: true')) + 1);
  assert.deepEqual(privileged?.resource, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'miner' });
});

test('a .json manifest next to YAML ones is checked; JSON that is not Kubernetes says nothing', async () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'miner' },
    spec: {
      selector: { matchLabels: { app: 'miner' } },
      template: {
        metadata: { labels: { app: 'miner' } },
        spec: {
          hostNetwork: true,
          containers: [{ name: 'miner', image: 'acme/miner:latest', securityContext: { privileged: true } }],
        },
      },
    },
  };
  const findings = await errorsOf({
    'manifests/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n',
    'manifests/miner.json': JSON.stringify(deployment, null, 2),
    'package.json': '{"name": "x", "version": "1.0.0"}',
    '.vscode/settings.json': '{\n  // comments are not JSON\n  "editor.tabSize": 2\n}\n',
  });
  assertPolicyErrorsIn(findings, 'manifests/miner.json');
  assert.ok(!findings.some((finding) => finding.file !== 'manifests/miner.json'), places(findings).join(', '));
});

test('a document with one anchor used 1,001 times is an error finding, never silently dropped', async () => {
  const aliases = Array.from({ length: 1001 }, (_, i) => `  k${i}: *v`).join('\n');
  const text = `${privilegedDeployment()}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  labels: {x: &v value}\ndata:\n${aliases}\n`;
  const findings = await errorsOf({ 'manifests/bomb.yaml': text });
  const syntax = findings.find((finding) => finding.ruleId === 'yaml-syntax');
  assert.ok(syntax, places(findings).join(', '));
  assert.equal(syntax.file, 'manifests/bomb.yaml');
  assert.equal(syntax.line, text.split('\n').indexOf('apiVersion: v1') + 1);
  assert.match(syntax.message, /aliases more than 1000 times/);
  // The other document of the file is still checked.
  assertPolicyErrorsIn(findings, 'manifests/bomb.yaml');
});

test('two kustomizations that list each other, or one that lists itself, are errors, not two "bases"', async () => {
  const findings = await errorsOf({
    'apps/a/kustomization.yaml': 'resources: [../b, deployment.yaml]\n',
    'apps/a/deployment.yaml': privilegedDeployment(),
    'apps/b/kustomization.yaml': 'resources: [../a]\n',
    'apps/self/kustomization.yaml': 'resources: [., deployment.yaml]\n',
    'apps/self/deployment.yaml': privilegedDeployment('digger'),
  });
  const failures = findings.filter((finding) => finding.ruleId === 'render-failed');
  assert.deepEqual(
    failures.map((finding) => finding.file),
    ['apps/a/kustomization.yaml', 'apps/self/kustomization.yaml'],
  );
  for (const failure of failures) assert.match(failure.message, /cycle detected/);
});

test('a symlink loop among resources is a render failure finding, not an internal error', async () => {
  const findings = await errorsOf({
    'app/kustomization.yaml': 'resources: [loop, deployment.yaml]\n',
    'app/deployment.yaml': privilegedDeployment(),
    'app/loop': { symlink: 'loop2' },
    'app/loop2': { symlink: 'loop' },
  });
  assert.deepEqual(places(findings), [
    'render-failed app/kustomization.yaml:1',
    'symlink-invalid app/loop2:0',
    'symlink-invalid app/loop:0',
  ]);
  assert.match(findings[0].message, /too many links/);
});

test('in-repo symlinks are followed: a linked manifest, kustomization or folder is checked at the link', async () => {
  const findings = await errorsOf({
    // A manifest whose target has a name discovery never reads.
    'docs/miner.txt': privilegedDeployment(),
    'manifests/miner.yaml': { symlink: '../docs/miner.txt' },
    // A kustomization file that is a link: kustomize (so Argo CD) refuses it, which is an error.
    'shared/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'app/kustomization.yaml': { symlink: '../shared/kustomization.yaml' },
    'app/deployment.yaml': privilegedDeployment('digger'),
    // A folder that is a link to a folder discovery skips.
    'node_modules/pkg/deploy.yaml': privilegedDeployment('tunneler'),
    linked: { symlink: 'node_modules/pkg' },
  });
  assertPolicyErrorsIn(findings, 'manifests/miner.yaml');
  const failed = findings.find((finding) => finding.ruleId === 'render-failed');
  assert.equal(failed?.file, 'app/kustomization.yaml');
  assert.match(failed.message, /unable to find one of 'kustomization.yaml'/);
  assertPolicyErrorsIn(findings, 'linked/deploy.yaml');
});

test('a symlink out of the repository is an error finding on the link; it is never read', async () => {
  const outside = writeRepo({ 'secret.yaml': privilegedDeployment() });
  const findings = await errorsOf({ 'manifests/web.yaml': { symlink: `${outside}/secret.yaml` } });
  assert.deepEqual(places(findings), ['symlink-invalid manifests/web.yaml:0']);
  assert.match(findings[0].message, /outside the repository/);
});

test('in git, a committed file is checked although a .gitignore lists it; an untracked new file is checked too', async () => {
  const root = writeRepo(
    {
      '.gitignore': 'generated/\n*.local.yaml\n',
      'generated/miner.yaml': privilegedDeployment(),
      'manifests/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n',
    },
    { git: true },
  );
  writeFileSync(join(root, 'manifests', 'new.yaml'), privilegedDeployment('digger'));
  writeFileSync(join(root, 'manifests', 'scratch.local.yaml'), privilegedDeployment('scratch'));
  const { report } = await validateRepository(root, { cache: false });
  const errors = report.findings.filter((finding) => finding.severity === 'error');
  assertPolicyErrorsIn(errors, 'generated/miner.yaml');
  assertPolicyErrorsIn(errors, 'manifests/new.yaml');
  // Untracked and ignored: not part of what a commit would deploy.
  assert.ok(!errors.some((finding) => finding.file === 'manifests/scratch.local.yaml'));
});

test('a Secret or a credential in a tracked file no unit deploys is still an error: an unused Component, a file no kustomization lists', async () => {
  const secret = (name: string) => `apiVersion: v1
kind: Secret
metadata: {name: ${name}}
stringData:
  password: hunter2hunter2
`;
  const component = `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
  - secret.yaml
  - job.yaml
`;
  const job = `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: ghcr.io/acme/migrate:1.0.0
          env:
            - name: DB_PASSWORD
              value: hunter2hunter2
`;
  const root = writeRepo(
    {
      'apps/web/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'apps/web/deployment.yaml': privilegedDeployment('web'),
      // Beside the kustomization, listed by nothing: kustomize ignores it, Git keeps it.
      'apps/web/old-secret.yaml': secret('old'),
      // A Component no kustomization uses.
      'components/legacy/kustomization.yaml': component,
      'components/legacy/secret.yaml': secret('legacy'),
      'components/legacy/job.yaml': job,
    },
    { git: true },
  );
  const { report, faults } = await validateRepository(root, { cache: false });
  assert.deepEqual(faults, []);
  const errors = report.findings.filter((finding) => finding.severity === 'error');
  const of = (file: string) => errors.filter((finding) => finding.file === file).map((finding) => finding.ruleId);
  assert.deepEqual(of('apps/web/old-secret.yaml'), ['no-plaintext-secrets']);
  assert.deepEqual(of('components/legacy/secret.yaml'), ['no-plaintext-secrets']);
  // Only the secret rules judge an undeployed file: no resources-set, no image rules on the Job.
  assert.deepEqual(of('components/legacy/job.yaml'), ['no-secret-literals']);
  const literal = errors.find((finding) => finding.file === 'components/legacy/job.yaml');
  assert.equal(literal?.line, job.split('\n').findIndex((line) => line.includes('value: hunter2')) + 1);
  assert.match(literal?.message ?? '', /No deploy unit uses this file, but it is in Git/);
  assert.ok(!JSON.stringify(report).includes('hunter2hunter2'), 'no secret value in the report');
  // The deployed unit is checked as before, and only once.
  assert.equal(errors.filter((finding) => finding.ruleId === 'no-privileged').length, 1);
});

test("a value of a Secret no unit deploys is redacted from any finding, as a deployed Secret's is", async () => {
  // A rule (a plugin, say) that quotes what it reads: redaction is the backstop for every message.
  const quoting = defineRule({
    meta: {
      id: 'quotes-values',
      description: 'Quotes each Secret value (a careless plugin).',
      defaultSeverity: 'warning',
      category: 'secrets',
      scope: 'resource',
      everyTrackedFile: true,
      docs: { why: 'Test rule.', fix: 'None.' },
    },
    check({ resource, report }) {
      const data = resource.object.stringData as Record<string, string> | undefined;
      for (const value of Object.values(data ?? {})) report({ resource, message: `the value is ${value}` });
    },
  });
  const root = writeRepo(
    {
      'apps/web/kustomization.yaml': 'resources:\n  - secret.yaml\n',
      'apps/web/secret.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata: {name: live}\nstringData:\n  token: deployed-value-1234\n',
      'apps/web/old-secret.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata: {name: old}\nstringData:\n  token: undeployed-value-5678\n',
    },
    { git: true },
  );
  const { report } = await validateRepository(root, { cache: false, rules: [...builtinRules, quoting] });
  const quoted = report.findings.filter((finding) => finding.ruleId === 'quotes-values');
  assert.deepEqual(quoted.map((finding) => finding.file).sort(), ['apps/web/old-secret.yaml', 'apps/web/secret.yaml']);
  const text = JSON.stringify(report);
  assert.ok(!text.includes('deployed-value-1234'), 'the deployed Secret value is redacted');
  assert.ok(!text.includes('undeployed-value-5678'), 'the undeployed Secret value is redacted');
});

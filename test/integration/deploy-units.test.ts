// The unit of checking is what Argo CD deploys (issue 12): each Application's sources, rendered the
// way Argo CD renders them; without Argo CD objects, what discovery finds.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadRepoContext, renderReport, validateRepository } from '../../scripts/validate/index.ts';
import type { Finding } from '../../scripts/types.ts';
import {
  assertPolicyErrorsIn,
  cleanupRepos,
  privilegedDeployment,
  writeRepo,
  type RepoEntry,
} from '../fixtures/deploy/repo.ts';

after(cleanupRepos);

const REPO = 'https://example.com/acme/platform.git';

function application(name: string, source: string, extra = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ${name}, namespace: argocd}
spec:
  project: default
  destination: {server: https://kubernetes.default.svc, namespace: ${name}}
${source
  .split('\n')
  .map((line) => (line ? `  ${line}` : line))
  .join('\n')}
${extra}`;
}

function lineOf(text: string, needle: string, from = 0): number {
  const index = text.indexOf(needle, from);
  assert.ok(index >= 0, `"${needle}" in the fixture`);
  return text.slice(0, index).split('\n').length;
}

async function validate(files: Record<string, RepoEntry>, dir = '') {
  const root = writeRepo(files, { git: true });
  const result = await validateRepository(join(root, dir), { cache: false });
  assert.deepEqual(result.faults, []);
  return result;
}

function errors(findings: Finding[], rule?: string): string[] {
  return findings
    .filter((finding) => finding.severity === 'error' && (!rule || finding.ruleId === rule))
    .map((finding) => `${finding.ruleId} ${finding.file}:${finding.line ?? 0}`)
    .sort();
}

const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web
`;

test("an Application's kustomize overrides are rendered, and a value they set is reported on the Application's line", async () => {
  const app = application(
    'web-prod',
    `source:
  repoURL: ${REPO}
  path: apps/web
  kustomize:
    namePrefix: prod-
    namespace: shop
    images:
      - ghcr.io/acme/web:latest
    commonLabels: {team: shop}`,
  );
  const { ctx, report } = await validate({
    'argocd/web-prod.yaml': app,
    'apps/web/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'apps/web/deployment.yaml': web,
  });
  const unit = ctx.apps.find((each) => each.id === 'apps/web');
  assert.ok(unit, ctx.apps.map((each) => each.id).join(', '));
  assert.deepEqual(unit.applications, ['web-prod']);
  const deployment = unit.resources.find((resource) => resource.object.kind === 'Deployment')!;
  assert.equal(deployment.object.metadata?.name, 'prod-web');
  assert.equal(deployment.object.metadata?.namespace, 'shop');
  assert.equal(deployment.object.metadata?.labels?.team, 'shop');
  const pinned = report.findings.filter((finding) => finding.ruleId === 'image-tag-pinned');
  assert.deepEqual(
    pinned.map((finding) => `${finding.file}:${finding.line}`),
    [`argocd/web-prod.yaml:${lineOf(app, '- ghcr.io/acme/web:latest')}`],
  );
  assert.match(pinned[0].message, /mutable "latest" tag/);
  // The overlay is rendered from the cache next time: its content is part of the key.
  const cacheDir = mkdtempSync(join(tmpdir(), 'gitops-deploy-cache-'));
  const root = writeRepo({
    'argocd/web-prod.yaml': app,
    'apps/web/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'apps/web/deployment.yaml': web,
  });
  const first = await loadRepoContext(root, { cacheDir });
  const second = await loadRepoContext(root, { cacheDir });
  assert.deepEqual([first.stats.cached, second.stats.rendered], [0, 0]);
  assert.equal(second.stats.cached, first.stats.rendered);
  rmSync(cacheDir, { recursive: true, force: true });
});

test('an override a generated Application takes from its ApplicationSet is reported on the template line', async () => {
  const appSet = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: web, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - env: dev
            tag: "1.2.3"
          - env: prod
            tag: latest
  template:
    metadata: {name: 'web-{{.env}}'}
    spec:
      project: default
      source:
        repoURL: ${REPO}
        path: apps/web
        kustomize:
          images:
            - 'ghcr.io/acme/web:{{.tag}}'
      destination: {server: https://kubernetes.default.svc, namespace: 'web-{{.env}}'}
`;
  const { ctx, report } = await validate({
    'argocd/web.yaml': appSet,
    'apps/web/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'apps/web/deployment.yaml': web,
  });
  assert.deepEqual(
    ctx.apps.filter((each) => each.applications).map((each) => `${each.id} ${each.env ?? '-'}`),
    ['apps/web@web-dev dev', 'apps/web@web-prod prod'],
  );
  const pinned = report.findings.filter((finding) => finding.ruleId === 'image-tag-pinned');
  assert.deepEqual(
    pinned.map((finding) => `${finding.file}:${finding.line} ${finding.env}`),
    [`argocd/web.yaml:${lineOf(appSet, "- 'ghcr.io/acme/web:{{.tag}}'")} prod`],
  );
});

test('a directory source is ONE unit: recurse, include and exclude as Argo CD applies them; Lists unwrapped', async () => {
  const service = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;
  const list = `apiVersion: v1
kind: List
items:
${privilegedDeployment('miner', '  ').replace(/^ {2}apiVersion/, '- apiVersion')}`;
  const { ctx, report } = await validate({
    'argocd/web.yaml': application(
      'web',
      `source:
  repoURL: ${REPO}
  path: manifests
  directory:
    recurse: true
    exclude: 'drafts/*'`,
    ),
    'manifests/service/service.yaml': service,
    'manifests/workload/deployment.yaml': web.replace('ghcr.io/acme/web', 'ghcr.io/acme/web:1.0.0'),
    'manifests/workload/miner-list.yaml': list,
    'manifests/drafts/broken.yaml': privilegedDeployment('draft'),
    // Argo CD's repo server reads .yaml, .yml and .json as written: this one is not applied.
    'manifests/workload/shouting.YAML': privilegedDeployment('shouting'),
  });
  const unit = ctx.apps.find((each) => each.id === 'manifests');
  assert.equal(unit?.kind, 'directory');
  assert.deepEqual(unit.resources.map((resource) => resource.object.metadata?.name).sort(), ['miner', 'web', 'web']);
  // The Service in one folder selects the Deployment in another: one unit, one scope.
  assert.deepEqual(errors(report.findings, 'service-selects-pods'), []);
  assert.ok(
    errors(report.findings, 'no-privileged').includes(
      `no-privileged manifests/workload/miner-list.yaml:${lineOf(list, 'privileged: true')}`,
    ),
  );
  assert.ok(
    !report.findings.some((finding) => finding.file.startsWith('manifests/drafts/')),
    'excluded files are not deployed',
  );
  assert.ok(
    !report.findings.some((finding) => finding.file.endsWith('.YAML') && finding.ruleId === 'no-privileged'),
    'a .YAML file is not applied',
  );
});

test('a file that holds +argocd:skip-file-rendering is not applied by a directory source nor a loose manifest; its secrets are still swept', async () => {
  const skipped = `# +argocd:skip-file-rendering (an example for the docs, never applied)\n${privilegedDeployment('example')}`;
  const { ctx, report, load } = await validate({
    'argocd/web.yaml': application(
      'web',
      `source:
  repoURL: ${REPO}
  path: manifests`,
    ),
    'manifests/miner.yaml': privilegedDeployment('miner'),
    'manifests/example.yaml': skipped,
    'loose/example.yaml': skipped,
    'loose/secret.yaml': `# +argocd:skip-file-rendering
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
stringData: {password: hunter2hunter2}
`,
  });
  assert.deepEqual(
    report.findings.filter((finding) => finding.ruleId === 'no-privileged').map((finding) => finding.file),
    ['manifests/miner.yaml'],
  );
  assert.deepEqual(
    ctx.apps.find((app) => app.id === 'manifests')?.resources.map((resource) => resource.origin.file),
    ['manifests/miner.yaml'],
  );
  assert.ok(!ctx.apps.some((app) => app.id.startsWith('loose/')), 'a marked loose file is no app');
  assert.ok(load.decisions.some((line) => line.startsWith('loose/example.yaml: not read as manifests')));
  // Not deployed, still in Git: the secrets sweep reads it.
  assert.ok(
    report.findings.some(
      (finding) => finding.file === 'loose/secret.yaml' && /No deploy unit uses this file/.test(finding.message),
    ),
  );
});

test('a directory source with a Jsonnet file is partly checked: Argo CD evaluates it, validation runs no program', async () => {
  const jsonnet = '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "made" } }\n';
  const { ctx, report } = await validate({
    'argocd/web.yaml': application('web', `source:\n  repoURL: ${REPO}\n  path: web`),
    'web/cm.jsonnet': jsonnet,
    'web/miner.yaml': privilegedDeployment('miner'),
    'argocd/api.yaml': application(
      'api',
      `source:\n  repoURL: ${REPO}\n  path: api\n  directory:\n    exclude: '*.jsonnet'`,
    ),
    'api/cm.jsonnet': jsonnet,
    'api/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api, namespace: api}\n',
  });
  const web = ctx.apps.find((app) => app.id === 'web');
  assert.equal(web?.partial, 'jsonnet');
  assert.ok(errors(report.findings, 'no-privileged').length > 0, 'its YAML is still checked');
  const offline = report.findings.filter((finding) => finding.ruleId === 'render-offline-unsupported');
  assert.deepEqual(
    offline.map((finding) => finding.file),
    ['argocd/web.yaml'],
    'the excluded one says nothing',
  );
  assert.match(offline[0].message, /web\/cm\.jsonnet/);
  assert.equal(ctx.apps.find((app) => app.id === 'api')?.partial, undefined);
  assert.equal(report.summary.partlyChecked, 1);
});

test("a directory source's file that does not parse: an error when it looks like a manifest, a warning when Argo CD skips it", async () => {
  const { report } = await validate({
    'argocd/web.yaml': application('web', `source:\n  repoURL: ${REPO}\n  path: web`),
    'web/config.yaml': 'greeting: hello: {{ .name }}\n', // a template Argo CD reads past
    'web/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n',
    'loose/config.yaml': 'greeting: hello: {{ .name }}\n', // kubectl apply -f loose/ fails on it
  });
  const syntax = (file: string) =>
    report.findings
      .filter((finding) => finding.ruleId === 'yaml-syntax' && finding.file === file)
      .map((finding) => finding.severity);
  assert.ok(
    syntax('web/config.yaml').length > 0 && syntax('web/config.yaml').every((severity) => severity === 'warning'),
  );
  assert.ok(
    report.findings.some(
      (finding) => finding.file === 'web/config.yaml' && /Argo CD skips this file/.test(finding.message),
    ),
  );
  assert.ok(syntax('web/broken.yaml').includes('error'));
  assert.ok(syntax('loose/config.yaml').includes('error'));
});

test('a kustomization Argo CD deploys is checked even when another kustomization uses it as a base', async () => {
  const { ctx, report } = await validate({
    'argocd/web.yaml': application('web', `source: {repoURL: ${REPO}, path: apps/web}`),
    'apps/web/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'apps/web/deployment.yaml': privilegedDeployment('web'),
    // A test kustomization that patches the privileged setting away used to hide apps/web entirely.
    'tests/web/kustomization.yaml': `resources: [../../apps/web]
patches:
  - target: {kind: Deployment, name: web}
    patch: |
      - op: remove
        path: /spec/template/spec/containers/0/securityContext
`,
  });
  assert.ok(ctx.apps.some((each) => each.id === 'apps/web' && each.applications?.includes('web')));
  assert.deepEqual(errors(report.findings, 'no-privileged'), [
    `no-privileged apps/web/deployment.yaml:${lineOf(privilegedDeployment('web'), 'privileged: true')}`,
  ]);
  assert.ok(!report.findings.some((finding) => finding.ruleId === 'argocd-path-renders'), 'the path renders');
});

test('multi-source: the local sources are one unit; a ref source only lends its files', async () => {
  const { ctx } = await validate({
    'argocd/web.yaml': application(
      'web',
      `sources:
  - repoURL: https://charts.example.com
    chart: redis
    targetRevision: 1.0.0
    helm: {valueFiles: [$values/values/redis.yaml]}
  - repoURL: ${REPO}
    ref: values
  - repoURL: ${REPO}
    path: apps/web
  - repoURL: ${REPO}
    path: apps/extras`,
    ),
    'values/redis.yaml': 'replicas: 2\n',
    'apps/web/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'apps/web/deployment.yaml': web,
    'apps/extras/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extras}\n',
  });
  const unit = ctx.apps.find((each) => each.applications?.includes('web'));
  assert.equal(unit?.id, 'apps/web');
  assert.deepEqual(
    unit.resources.map((resource) => `${resource.object.kind}/${resource.object.metadata?.name}`).sort(),
    ['ConfigMap/extras', 'Deployment/web'],
  );
  assert.ok(!ctx.apps.some((each) => each.id === 'apps/extras/config.yaml'), 'the loose file is part of the unit');
});

test('a unit that cannot render offline is checked in part: its local resource files, and the count says so', async () => {
  const { ctx, report, load } = await validate({
    'apps/web/kustomization.yaml':
      'resources:\n  - https://github.com/acme/remote//base?ref=v1\n  - secret.yaml\n  - deployment.yaml\n',
    'apps/web/secret.yaml':
      'apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: hunter2-but-longer}\n',
    'apps/web/deployment.yaml': privilegedDeployment('web'),
  });
  const unit = ctx.apps.find((each) => each.id === 'apps/web');
  assert.equal(unit?.partial, 'remote-base');
  assert.deepEqual(load.notRendered, [{ app: 'apps/web', reason: 'remote-base' }]);
  assert.ok(
    errors(report.findings).includes(
      `no-privileged apps/web/deployment.yaml:${lineOf(privilegedDeployment('web'), 'privileged: true')}`,
    ),
  );
  assert.ok(
    report.findings.some(
      (finding) => finding.ruleId === 'no-plaintext-secrets' && finding.file === 'apps/web/secret.yaml',
    ),
  );
});

test('tool configs with apiVersion and kind are not Kubernetes objects: recognised by API group', async () => {
  const { ctx, report } = await validate({
    'kind-cluster.yaml': 'apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes: [{role: control-plane}]\n',
    '.fluxschema.yml': 'apiVersion: schema.plugin.fluxcd.io/v1beta1\nkind: Config\n',
    'skaffold.yaml': 'apiVersion: skaffold/v4beta6\nkind: Config\nmetadata: {name: app}\n',
    'kubeconfig.yaml': 'apiVersion: v1\nkind: Config\nclusters: []\n',
    'plugins/generator.yaml': 'apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata: {name: x}\n',
    'manifests/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: real}\n',
  });
  assert.deepEqual(
    ctx.apps.map((each) => each.id),
    ['manifests/config.yaml'],
  );
  assert.deepEqual(errors(report.findings), []);
});

test('validating a subfolder: paths resolve against the git top level and every finding is relative to it', async () => {
  const root = writeRepo(
    {
      'clusters/apps/web.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: default
  source: {repoURL: https://example.com/acme/platform.git, path: manifests/web}
  destination: {server: https://kubernetes.default.svc, namespace: web}
`,
      'clusters/apps/miner.yaml': privilegedDeployment(),
      'manifests/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n',
    },
    { git: true },
  );
  const { report, ctx } = await validateRepository(join(root, 'clusters'), { cache: false });
  assert.equal(ctx.root, root);
  const errors = report.findings.filter((finding) => finding.severity === 'error');
  assertPolicyErrorsIn(errors, 'clusters/apps/miner.yaml');
  assert.ok(
    !report.findings.some((finding) => finding.ruleId === 'argocd-path-renders'),
    report.findings.map((finding) => `${finding.ruleId} ${finding.message}`).join('\n'),
  );
});

test('--strict-render: an app that cannot render offline is an error; every format counts partly checked apps', async () => {
  const files = {
    'apps/web/kustomization.yaml': 'resources:\n  - https://github.com/acme/remote//base?ref=v1\n  - config.yaml\n',
    'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n',
  };
  const root = writeRepo(files, { git: true });
  const lenient = await validateRepository(root, { cache: false });
  assert.equal(lenient.report.summary.partlyChecked, 1);
  assert.deepEqual(errors(lenient.report.findings), []);
  const strict = await validateRepository(root, { cache: false, strictRender: true });
  assert.deepEqual(errors(strict.report.findings), ['render-offline-unsupported apps/web/kustomization.yaml:2']);
  for (const format of ['stylish', 'markdown', 'github', 'junit'] as const)
    assert.match(renderReport(format, lenient.report), /1 app \(1 partly checked\)/, format);
  assert.equal(JSON.parse(renderReport('json', lenient.report)).summary.partlyChecked, 1);
  assert.equal(JSON.parse(renderReport('sarif', lenient.report)).runs[0].properties.partlyChecked, 1);
});

test('in a scope that could not render whole, "nothing here defines X" is not claimed', async () => {
  const job = (name: string) => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: run
          image: ghcr.io/acme/run:1.0.0
          env:
            - name: PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
`;
  const { report } = await validate({
    // The Secret may come from the remote base: it cannot be said to be missing.
    'apps/partial/kustomization.yaml': 'resources:\n  - https://github.com/acme/remote//base?ref=v1\n  - job.yaml\n',
    'apps/partial/job.yaml': job('partial'),
    'apps/whole/kustomization.yaml': 'resources: [job.yaml]\n',
    'apps/whole/job.yaml': job('whole'),
  });
  assert.deepEqual(
    report.findings.filter((finding) => finding.ruleId === 'secret-ref-exists').map((finding) => finding.file),
    ['apps/whole/job.yaml'],
  );
});

test('the summary line names at most a few environments', async () => {
  const { sampleReport } = await import('../fixtures/report/sample-report.ts');
  const environments = Array.from({ length: 26 }, (_, i) => `env-${String(i).padStart(2, '0')}`);
  const text = renderReport('stylish', { ...sampleReport, summary: { ...sampleReport.summary, environments } });
  assert.match(text, /26 environments \(env-00, env-01, env-02, env-03, env-04 and 21 more\)/);
});

test("environments of Application units: an ApplicationSet's env parameter names it, where no folder says so", async () => {
  const appSet = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: web, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - {env: blue, cluster: https://blue.example.com}
          - {env: green, cluster: https://green.example.com}
  template:
    metadata: {name: 'web-{{.env}}'}
    spec:
      project: default
      source: {repoURL: ${REPO}, targetRevision: main, path: 'apps/web/{{.env}}'}
      destination: {server: '{{.cluster}}', namespace: web}
`;
  const files: Record<string, RepoEntry> = { 'argocd/web.yaml': appSet };
  for (const color of ['blue', 'green']) files[`apps/web/${color}/deployment.yaml`] = web;
  const { ctx } = await validate(files);
  const units = ctx.apps.filter((app) => app.applications);
  assert.deepEqual(units.map((app) => `${app.id} ${app.env}`).sort(), ['apps/web/blue blue', 'apps/web/green green']);
  assert.deepEqual(ctx.environments, ['blue', 'green']);
});

// Argo CD 3.x facts (scripts/argocd/facts.ts) as the checker applies them, with the repository's own
// argocd-cm / argocd-cmd-params-cm read when it carries them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { appliedResources } from '../scripts/argocd/applied.ts';
import { argoModel, runArgocdRules } from '../scripts/argocd/index.ts';
import { applicationsSyncPolicy, allowsDelete, allowsUpdate } from '../scripts/argocd/settings.ts';
import { contextFromDir, copyToTemp, fixturesDir } from './argocd-helpers.ts';

const REPO = 'https://github.com/acme/shop.git';

/** A copy of the good fixture plus extra files. */
function repo(files: Record<string, string>): string {
  const root = copyToTemp(path.join(fixturesDir, 'good'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}
const configMap = (name: string, data: Record<string, string>) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: argocd}\ndata:\n${Object.entries(data)
    .map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`)
    .join('\n')}\n`;
const application = (name: string, appPath: string, extra = '') =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: ${name}, namespace: argocd}\nspec:\n  project: shop\n  source: {repoURL: ${REPO}, path: ${appPath}}\n  destination: {server: https://kubernetes.default.svc, namespace: shop-dev}\n${extra}`;
const endpoints = 'apiVersion: v1\nkind: Endpoints\nmetadata: {name: legacy}\nsubsets: []\n';

test('default resource exclusions: an Endpoints manifest is never applied; the repository argocd-cm can lift it', () => {
  const files = { 'apps/legacy/endpoints.yaml': endpoints, 'argocd/legacy.yaml': application('legacy', 'apps/legacy') };
  const excluded = runArgocdRules(contextFromDir(repo(files))).filter((f) => f.ruleId === 'argocd-resource-excluded');
  assert.equal(excluded.length, 1);
  assert.match(
    excluded[0].message,
    /Endpoints legacy is never applied by Application legacy: the default argocd-cm of Argo CD 3\.0\+ excludes core\/Endpoints/,
  );
  const lifted = repo({ ...files, 'argocd/argocd-cm.yaml': configMap('argocd-cm', { 'resource.exclusions': '[]' }) });
  assert.deepEqual(
    runArgocdRules(contextFromDir(lifted)).filter((f) => f.ruleId === 'argocd-resource-excluded'),
    [],
  );
});

test('annotation tracking: what Argo CD applies carries the tracking id and the destination namespace', () => {
  const root = repo({
    'argocd/legacy.yaml': application('legacy', 'apps/legacy'),
    'apps/legacy/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n',
  });
  const ctx = contextFromDir(root);
  const model = argoModel(ctx);
  const app = model.applications.find((candidate) => candidate.name === 'legacy')!;
  const [applied] = appliedResources(ctx, model, app);
  assert.equal(applied.object.metadata?.namespace, 'shop-dev');
  assert.equal(
    applied.object.metadata?.annotations?.['argocd.argoproj.io/tracking-id'],
    'legacy:/ConfigMap:shop-dev/settings',
  );
  assert.equal(applied.object.metadata?.labels, undefined);
  const labelled = contextFromDir(
    repo({
      'argocd/legacy.yaml': application('legacy', 'apps/legacy'),
      'apps/legacy/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n',
      'argocd/argocd-cm.yaml': configMap('argocd-cm', { 'application.resourceTrackingMethod': 'label' }),
    }),
  );
  const labelModel = argoModel(labelled);
  const [byLabel] = appliedResources(
    labelled,
    labelModel,
    labelModel.applications.find((a) => a.name === 'legacy')!,
  );
  assert.deepEqual(byLabel.object.metadata?.labels, { 'app.kubernetes.io/instance': 'legacy' });
});

test('a resource two Applications deploy is a finding; FailOnSharedResource=true is named (the sync fails)', () => {
  const shared = (extra: string) =>
    runArgocdRules(
      contextFromDir(
        repo({
          'apps/shared/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shared}\n',
          'argocd/one.yaml': application('one', 'apps/shared'),
          'argocd/two.yaml': application('two', 'apps/shared', extra),
        }),
      ),
    ).filter((f) => f.ruleId === 'argocd-shared-resource');
  const warning = shared('');
  assert.equal(warning.length, 1);
  assert.equal(warning[0].severity, 'warning');
  assert.match(
    warning[0].message,
    /Namespace shared is deployed by Application (one|two) and by Application (one|two)/,
  );
  assert.match(
    shared('  syncPolicy: {syncOptions: [FailOnSharedResource=true]}\n')[0].message,
    /FailOnSharedResource=true: the sync fails/,
  );
});

test('applicationsSync policy: the controller policy wins unless overriding is allowed (policy.go DefaultPolicy)', () => {
  const appSet = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 's' },
    spec: { syncPolicy: { applicationsSync: 'create-only' } },
  };
  const defaults = argoModel(contextFromDir(repo({}))).settings;
  assert.equal(applicationsSyncPolicy(appSet, defaults), 'create-only', 'no controller policy: override allowed');
  const locked = argoModel(
    contextFromDir(
      repo({
        'argocd/params.yaml': configMap('argocd-cmd-params-cm', { 'applicationsetcontroller.policy': 'create-update' }),
      }),
    ),
  ).settings;
  const policy = applicationsSyncPolicy(appSet, locked);
  assert.equal(policy, 'create-update');
  assert.equal(allowsUpdate(policy), true);
  assert.equal(allowsDelete(policy), false);
});

test('RollingSync with progressive syncs enabled turns automated sync off on generated Applications', () => {
  const appSet = (steps: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: rolling, namespace: argocd}
spec:
  generators: [{list: {elements: [{env: dev}]}}]
  strategy:
    type: RollingSync
    rollingSync: {steps: ${steps}}
  template:
    metadata: {name: 'api-{{env}}', labels: {env: '{{env}}'}}
    spec:
      project: shop
      source: {repoURL: ${REPO}, path: apps/api}
      destination: {server: https://kubernetes.default.svc, namespace: shop-dev}
      syncPolicy: {automated: {prune: true, selfHeal: true}}
`;
  const params = configMap('argocd-cmd-params-cm', { 'applicationsetcontroller.enable.progressive.syncs': 'true' });
  const on = argoModel(
    contextFromDir(
      repo({
        'argocd/rolling.yaml': appSet('[{matchExpressions: [{key: env, operator: In, values: [dev]}]}]'),
        'argocd/params.yaml': params,
      }),
    ),
  );
  const app = on.applications.find((candidate) => candidate.name === 'api-dev')!;
  assert.deepEqual((app.object.spec as { syncPolicy: unknown }).syncPolicy, {
    automated: { prune: true, selfHeal: true, enabled: false },
  });
  const off = argoModel(contextFromDir(repo({ 'argocd/rolling.yaml': appSet('[{matchExpressions: []}]') })));
  assert.deepEqual(
    (off.applications.find((candidate) => candidate.name === 'api-dev')!.object.spec as { syncPolicy: unknown })
      .syncPolicy,
    { automated: { prune: true, selfHeal: true } },
  );
  const noSteps = argoModel(
    contextFromDir(repo({ 'argocd/rolling.yaml': appSet('[]'), 'argocd/params.yaml': params })),
  );
  assert.equal(
    noSteps.applications.some((candidate) => candidate.name === 'api-dev'),
    false,
  );
  assert.match(noSteps.expansionProblems.map((problem) => problem.message).join('\n'), /No steps defined for rollout/);
});

test('new git file globbing is read from argocd-cmd-params-cm', () => {
  const appSet = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: files, namespace: argocd}
spec:
  generators: [{git: {repoURL: ${REPO}, revision: HEAD, files: [{path: 'envs/*.json'}]}}]
  template:
    metadata: {name: 'cfg-{{path.basename}}'}
    spec: {project: shop, destination: {server: https://kubernetes.default.svc, namespace: shop-dev}}
`;
  const files = { 'argocd/files.yaml': appSet, 'envs/top.json': '{}', 'envs/deep/x.json': '{}' };
  const names = (extra: Record<string, string>) =>
    argoModel(contextFromDir(repo({ ...files, ...extra })))
      .applications.filter((app) => app.appSet === 'files')
      .map((app) => app.name);
  assert.deepEqual(names({}), ['cfg-deep', 'cfg-envs']);
  const flag = configMap('argocd-cmd-params-cm', { 'applicationsetcontroller.enable.new.git.file.globbing': 'true' });
  assert.deepEqual(names({ 'argocd/params.yaml': flag }), ['cfg-envs']);
});

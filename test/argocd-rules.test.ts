// The Argo CD rules on a broken repository (one mistake per Application) and a correct one: every
// rule fails on the first and passes on the second, with findings on the line a person edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { argocdRules, runArgocdRules } from '../scripts/argocd/index.ts';
import { defineRule } from '../scripts/check/contract.ts';
import type { LintConfig } from '../scripts/types.ts';
import { contextFromDir, copyToTemp, fixturesDir } from './argocd-helpers.ts';

const broken = path.join(fixturesDir, 'broken');
const good = path.join(fixturesDir, 'good');

/** The 1-based line of the first line of `file` containing `marker` (after `after`, when given). */
function lineOf(root: string, file: string, marker: string, after?: string): number {
  const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
  const start = after ? lines.findIndex((line) => line.includes(after)) : 0;
  const index = lines.findIndex((line, i) => i >= start && line.includes(marker));
  assert.ok(index >= 0, `${marker} in ${file}`);
  return index + 1;
}

test('broken repository: each mistake is one finding, on its file and line', () => {
  const findings = runArgocdRules(contextFromDir(copyToTemp(broken)));
  const got = findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}`);
  const apps = 'argocd/apps.yaml';
  const expected = [
    `argocd-shared-resource warning apps/api/deployment.yaml:${lineOf(broken, 'apps/api/deployment.yaml', 'name: api')}`,
    `argocd-resource-excluded warning apps/legacy/service.yaml:${lineOf(broken, 'apps/legacy/service.yaml', 'apiVersion', 'kind: Service')}`,
    `argocd-annotation-as-label warning apps/rollout/settings.yaml:${lineOf(broken, 'apps/rollout/settings.yaml', 'sync-wave')}`,
    `sync-waves warning apps/waves/namespace.yaml:${lineOf(broken, 'apps/waves/namespace.yaml', 'sync-wave: "1"')}`,
    `argocd-destination-allowed error ${apps}:${lineOf(broken, apps, 'namespace: kube-system')}`,
    `argocd-path-renders error ${apps}:${lineOf(broken, apps, 'path: apps/apii')}`,
    `argocd-unique-name error ${apps}:${lineOf(broken, apps, 'name: api-dev   # the same name')}`,
    `argocd-project-exists error ${apps}:${lineOf(broken, apps, 'project: nosuch')}`,
    `argocd-source-allowed error ${apps}:${lineOf(broken, apps, 'repoURL: https://github.com/acme/shop-archive.git')}`,
    `argocd-resources-allowed error ${apps}:${lineOf(broken, apps, 'project: shop', 'name: rbac')}`,
    `argocd-resources-allowed error ${apps}:${lineOf(broken, apps, 'project: shop', 'name: rbac')}`,
    `argocd-no-default-project warning ${apps}:${lineOf(broken, apps, 'project: default')}`,
    `sync-policy-per-env warning ${apps}:${lineOf(broken, apps, 'automated: {prune: true}')}`,
    `sync-policy-per-env warning ${apps}:${lineOf(broken, apps, 'automated: {prune: true}')}`,
    `applicationset-expands error argocd/appset.yaml:${lineOf(broken, 'argocd/appset.yaml', "name: '{{ .service }}-{{ .env }}'")}`,
    `rollingsync-steps-match warning argocd/rollout.yaml:${lineOf(broken, 'argocd/rollout.yaml', 'steps:')}`,
    `rollingsync-steps-match warning argocd/rollout.yaml:${lineOf(broken, 'argocd/rollout.yaml', 'envirnoment')}`,
    `applicationset-templated-project warning argocd/rollout.yaml:${lineOf(broken, 'argocd/rollout.yaml', "project: '{{ .project }}'")}`,
    `rollingsync-automated-sync warning argocd/rollout.yaml:${lineOf(broken, 'argocd/rollout.yaml', 'automated:')}`,
    `sync-waves warning argocd/tools.yaml:${lineOf(broken, 'argocd/tools.yaml', 'namespace: shop-tools   # created by')}`,
    `appproject-least-privilege warning argocd/wide-project.yaml:${lineOf(broken, 'argocd/wide-project.yaml', "- '*'")}`,
    `appproject-least-privilege warning argocd/wide-project.yaml:${lineOf(broken, 'argocd/wide-project.yaml', "- server: '*'")}`,
    `appproject-least-privilege warning argocd/wide-project.yaml:${lineOf(broken, 'argocd/wide-project.yaml', "- group: '*'")}`,
  ];
  assert.deepEqual(got, expected);
  // Every Argo CD rule has a failing case here.
  assert.deepEqual(new Set(findings.map((f) => f.ruleId)), new Set(argocdRules.map((rule) => rule.meta.id)));
});

test('broken repository: messages name the Application, what is wrong and where the allow list is', () => {
  const findings = runArgocdRules(contextFromDir(copyToTemp(broken)));
  const by = (rule: string) => findings.filter((f) => f.ruleId === rule).map((f) => f.message);
  assert.deepEqual(by('argocd-destination-allowed'), [
    'Application api-kube-system deploys to namespace "kube-system" on https://kubernetes.default.svc, which project shop does not allow',
  ]);
  assert.match(
    findings.find((f) => f.ruleId === 'argocd-destination-allowed')!.hint!,
    /shop-dev.*argocd\/project\.yaml/,
  );
  assert.deepEqual(by('argocd-path-renders'), [
    'Application api-typo points at path "apps/apii", which does not exist in the repository',
  ]);
  assert.deepEqual(by('argocd-unique-name'), [
    'Application api-dev has the same name as Application api-dev at argocd/apps.yaml:5',
  ]);
  assert.match(
    by('argocd-resources-allowed')[0],
    /renders ClusterRole\/api-reader \(apps\/rbac\/clusterrole\.yaml:1\), a cluster-scoped rbac\.authorization\.k8s\.io\/ClusterRole .*clusterResourceWhitelist does not list it/,
  );
  assert.match(
    by('argocd-resources-allowed')[1],
    /ResourceQuota\/shop-dev\/quota .*namespaceResourceBlacklist lists it/,
  );
  assert.match(
    by('applicationset-expands')[0],
    /ApplicationSet services: template metadata\.name fails for the parameter set with keys service: map has no entry for key "env"/,
  );
  assert.match(
    by('sync-waves')[0],
    /Deployment\/shop-prod\/api syncs in wave 1, before its Namespace shop-prod \(wave 2\)/,
  );
  const prod = findings.filter((f) => f.ruleId === 'sync-policy-per-env');
  assert.deepEqual(
    prod.map((f) => f.env),
    ['prod', 'prod'],
  );
  assert.match(prod[0].message, /deploys to prod without selfHeal/);
  assert.match(prod[1].message, /prunes without the PruneLast=true sync option/);
  const resource = findings.find((f) => f.ruleId === 'argocd-project-exists')!.resource;
  assert.deepEqual(resource, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    namespace: 'argocd',
    name: 'api-dev',
  });
});

test('correct repository: matrix of clusters and git directories, fasttemplate list, no finding', () => {
  const config = yaml.load(readFileSync(path.join(good, 'lint-config.yaml'), 'utf8')) as LintConfig;
  const ctx = contextFromDir(copyToTemp(good), { config });
  assert.deepEqual(runArgocdRules(ctx), []);
});

test('correct repository: gitops.yaml syncPolicy per environment wins over the prod default', () => {
  const config = yaml.load(readFileSync(path.join(good, 'lint-config.yaml'), 'utf8')) as LintConfig;
  // gitops.yaml decides: prod may sync by hand when it says so, and then automated sync is a finding.
  const manualProd: LintConfig = {
    ...config,
    environments: config.environments!.map((env) =>
      env.name === 'prod' ? { ...env, syncPolicy: { automated: false } } : env,
    ),
  };
  const findings = runArgocdRules(contextFromDir(copyToTemp(good), { config: manualProd }));
  assert.deepEqual(
    findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.env}`),
    [
      `sync-policy-per-env argocd/namespaces.yaml:${lineOf(good, 'argocd/namespaces.yaml', 'automated:')} prod`,
      `sync-policy-per-env argocd/services.yaml:${lineOf(good, 'argocd/services.yaml', 'automated:')} prod`,
    ],
  );
});

test('every Argo CD rule has docs that say how to fix and distinct bad and good examples', () => {
  assert.ok(argocdRules.length >= 11);
  for (const { meta } of argocdRules) {
    assert.equal(meta.category, 'argocd');
    assert.ok(meta.docs.fix.trim().length > 10, meta.id);
    assert.ok(meta.examples?.bad && meta.examples.good && meta.examples.bad !== meta.examples.good, meta.id);
  }
});

test('an app the render stage cannot build offline is info; a build error is an error with its first line', () => {
  const root = copyToTemp(good);
  const config = yaml.load(readFileSync(path.join(good, 'lint-config.yaml'), 'utf8')) as LintConfig;
  writeFileSync(path.join(root, 'apps/api/dev/kustomization.yaml'), 'resources: [deployment.yaml]\n');
  writeFileSync(path.join(root, 'apps/api/prod/kustomization.yaml'), 'resources: [deployment.yaml]\n');
  const ctx = contextFromDir(root, {
    config,
    rendered: {
      // The reason is typed: a message that happens to say "offline" is still a render failure.
      'apps/api/dev': { error: 'cannot render offline', reason: 'remote-base' },
      'apps/api/prod': {
        error: 'offline? accumulating resources: missing.yaml: no such file\nmore detail',
        reason: 'kustomize-error',
      },
    },
  });
  const findings = runArgocdRules(ctx).filter((f) => f.ruleId === 'argocd-path-renders');
  const pathLine = lineOf(good, 'argocd/services.yaml', "path: '{{ .path.path }}'");
  assert.deepEqual(
    findings.map((f) => `${f.severity} ${f.file}:${f.line} ${f.message}`),
    [
      `info argocd/services.yaml:${pathLine} Application api-dev (generated by ApplicationSet services) points at "apps/api/dev", which cannot be rendered offline, so its resources are not checked`,
      `error argocd/services.yaml:${pathLine} Application api-prod (generated by ApplicationSet services) points at "apps/api/prod", which does not render: offline? accumulating resources: missing.yaml: no such file`,
    ],
  );
});

test('sync-waves across an ApplicationSet: Applications sync independently unless CreateNamespace or RollingSync orders them', () => {
  const root = copyToTemp(good);
  const config = yaml.load(readFileSync(path.join(good, 'lint-config.yaml'), 'utf8')) as LintConfig;
  const services = path.join(root, 'argocd/services.yaml');
  writeFileSync(
    services,
    readFileSync(services, 'utf8').replace('[CreateNamespace=true, PruneLast=true]', '[PruneLast=true]'),
  );
  const findings = runArgocdRules(contextFromDir(root, { config }));
  assert.deepEqual(
    findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`),
    ['sync-waves argocd/services.yaml:33', 'sync-waves argocd/services.yaml:33'].map((row) =>
      row.replace(':33', `:${lineOf(good, 'argocd/services.yaml', "namespace: 'shop-{{ .name }}'")}`),
    ),
  );
  assert.match(
    findings[0].message,
    /Application api-dev \(generated by ApplicationSet services\) deploys into namespace shop-dev, which Application namespaces-dev \(generated by ApplicationSet namespaces\) creates; an ApplicationSet's Applications sync independently/,
  );
});

test('a rule that crashes becomes one internal-error finding; the other rules still report', () => {
  const ctx = contextFromDir(copyToTemp(broken));
  const crashing = defineRule({
    meta: argocdRules[0].meta,
    check: () => {
      throw new Error('boom');
    },
  });
  const findings = runArgocdRules(ctx, [crashing, ...argocdRules.slice(1)]);
  assert.deepEqual(
    findings.filter((f) => f.ruleId === 'internal-error').map((f) => f.message),
    [`the ${argocdRules[0].meta.id} rule crashed: boom; its findings are incomplete, please report it`],
  );
  assert.ok(findings.some((f) => f.ruleId === 'argocd-path-renders'));
});

// env-consistency: its failing and passing cases (scripts/rules/environments/env-consistency.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { app, context, deployment, lineOf, runRule, where } from '../helpers.ts';
import type { LintConfig } from '../../../scripts/types.ts';

test('env-consistency: a missing environment, prod below staging, a different image repository', () => {
  const sized = (replicas: number, image: string) => deployment(`image: ${image}`, { spec: `replicas: ${replicas}` });
  const apps = [
    app({ env: 'dev', files: { 'overlays/dev/web/web.yaml': sized(1, 'ghcr.io/acme/web:1.5.0') } }),
    app({ env: 'staging', files: { 'overlays/staging/web/web.yaml': sized(3, 'ghcr.io/acme/web:1.4.2') } }),
    app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': sized(2, 'docker.io/acme/web:1.4.1') } }),
    app({ env: 'dev', files: { 'overlays/dev/api/api.yaml': sized(1, 'ghcr.io/acme/api:2.0.0') } }),
    app({ env: 'staging', files: { 'overlays/staging/api/api.yaml': sized(2, 'ghcr.io/acme/api:2.0.0') } }),
  ];
  const config = { environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod' }] };
  const findings = runRule('env-consistency', context(apps, config));
  const prod = sized(2, 'docker.io/acme/web:1.4.1');
  assert.deepEqual(where(findings), [
    ['env-consistency', 'overlays/dev/api/api.yaml', 4],
    ['env-consistency', 'overlays/prod/web/web.yaml', lineOf(prod, 'replicas: 2')],
    ['env-consistency', 'overlays/prod/web/web.yaml', lineOf(prod, 'image:')],
  ]);
  assert.equal(findings[0].env, 'prod');
  assert.match(findings[0].message, /overlays\/\*\/api is deployed to dev, staging but not to prod/);
  assert.match(findings[1].message, /runs 2 replica\(s\) in prod but 3 in staging/);
  assert.match(findings[2].message, /docker.io\/acme\/web in prod but ghcr.io\/acme\/web in dev, staging/);
  const consistent = [
    app({ env: 'staging', files: { 'overlays/staging/web/web.yaml': sized(2, 'ghcr.io/acme/web:1.5.0') } }),
    app({ env: 'prod', files: { 'overlays/prod/web/web.yaml': sized(3, 'ghcr.io/acme/web:1.4.2') } }),
  ];
  assert.deepEqual(runRule('env-consistency', context(consistent, config)), []);
});

const apps = () => [
  app({ env: 'dev', files: { 'overlays/dev/web/deploy.yaml': deployment('image: ghcr.io/acme/web:1') } }),
  app({ env: 'prod', files: { 'overlays/prod/web/deploy.yaml': deployment('image: ghcr.io/acme/web:1') } }),
  app({
    env: 'dev',
    files: { 'overlays/dev/debug/deploy.yaml': deployment('image: ghcr.io/acme/debug:1', { name: 'debug' }) },
  }),
];
const config = (debugEnvironments?: string[]): LintConfig => ({
  environments: [{ name: 'dev' }, { name: 'prod' }],
  services: [{ name: 'web' }, { name: 'debug', ...(debugEnvironments ? { environments: debugEnvironments } : {}) }],
});

test('env-consistency: a service gitops.yaml runs in dev only is not missing from prod', () => {
  assert.deepEqual(runRule('env-consistency', context(apps(), config(['dev']))), []);
});

test('env-consistency: without that limit, the same service is missing from prod', () => {
  const findings = runRule('env-consistency', context(apps(), config()));
  assert.deepEqual(
    findings.map((f) => [f.env, f.message]),
    [['prod', 'Service overlays/*/debug is deployed to dev but not to prod.']],
  );
});

test('env-consistency: without gitops.yaml, a service is expected where most of its own family is', () => {
  const unit = (env: string, id: string) =>
    app({ env, files: { [`${id}/deploy.yaml`]: deployment('image: ghcr.io/acme/x:1', { name: id.split('/')[1] }) } });
  // The overlays/*/? family: three of its four services are in prod, so db is missing there. The
  // apps/?/envs/* family is in dev only: nothing is expected of it in prod, though half of all
  // services are (a family is judged on its own, not on the whole repository).
  const apps = [
    ...['web', 'api', 'cache'].flatMap((name) => [
      unit('dev', `overlays/dev/${name}`),
      unit('prod', `overlays/prod/${name}`),
    ]),
    unit('dev', 'overlays/dev/db'),
    unit('dev', 'apps/billing/envs/dev'),
    unit('dev', 'apps/orders/envs/dev'),
  ];
  assert.deepEqual(
    runRule('env-consistency', context(apps)).map((f) => [f.env, f.message]),
    [['prod', 'Service overlays/*/db is deployed to dev but not to prod.']],
  );
});

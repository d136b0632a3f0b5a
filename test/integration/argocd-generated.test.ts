// Our own argocd/ (written by `gitops generate` from gitops.yaml) expands to one Application per
// service per environment, plus each environment's namespaces Application, and passes every Argo CD
// check against the real rendered overlays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { argoModel, runArgocdRules } from '../../scripts/argocd/index.ts';
import { loadConfigFile, loadLintConfig } from '../../scripts/config/index.ts';
import { generate } from '../../scripts/generate/index.ts';
import { loadRepoContext, validateRepository } from '../../scripts/validate/index.ts';
import { contextFromDir, repoRoot } from '../argocd-helpers.ts';

test('the generated argocd/ expands to every service in every environment and passes the Argo CD checks', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gitops-argocd-generated-'));
  for (const entry of ['gitops.yaml', 'config', 'sealed', 'argocd', 'base', 'overlays'])
    cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  const config = loadConfigFile(path.join(root, 'gitops.yaml'));
  const { ctx } = await loadRepoContext(root);
  const model = argoModel(ctx);

  const expected = config.environments
    .flatMap((env) => [...config.services.map((service) => `${service.name}-${env.name}`), `namespaces-${env.name}`])
    .sort();
  assert.deepEqual(model.applications.map((app) => app.name).sort(), expected);
  for (const app of model.applications) {
    const env = config.environments.find((e) => app.name.endsWith(`-${e.name}`))!;
    assert.equal(app.env, env.name, app.name);
    const spec = app.object.spec as { project: string; source: { path: string }; destination: { server: string } };
    assert.equal(spec.project, `${config.project.name}-${env.name}`, 'each environment has its own AppProject');
    assert.equal(spec.source.path, `overlays/${env.name}/${app.name.slice(0, -env.name.length - 1)}`);
    assert.equal(spec.destination.server, env.cluster.server);
  }
  assert.deepEqual(model.expansionProblems, []);
  assert.deepEqual(runArgocdRules(ctx), []);
});

test("one AppProject per environment: a PR pointing dev's Applications at the prod cluster fails validate", async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gitops-argocd-crossenv-'));
  for (const entry of ['gitops.yaml', 'config', 'sealed', 'argocd', 'base', 'overlays'])
    cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  const file = path.join(root, 'argocd', 'applicationset-dev.yaml');
  const text = readFileSync(file, 'utf8');
  assert.match(text, /server: https:\/\/dev\.k8s\.example\.com/);
  writeFileSync(file, text.replace('server: https://dev.k8s.example.com', 'server: https://prod.k8s.example.com'));
  const { report } = await validateRepository(root, { cache: false });
  const denied = report.findings.filter(
    (finding) => finding.ruleId === 'argocd-destination-allowed' && finding.severity === 'error',
  );
  assert.ok(denied.length > 0, 'the dev project does not allow the prod cluster');
  assert.ok(denied.every((finding) => finding.file === 'argocd/applicationset-dev.yaml'));
  assert.match(denied[0].message, /shop-dev/);
  assert.equal(report.summary.errors > 0, true, 'validate exits 1');
});

test('examples/oms: the generated ApplicationSets give one Application per service per environment, all allowed by the project', () => {
  const configFile = path.join(repoRoot, 'examples', 'oms', 'gitops.yaml');
  const out = mkdtempSync(path.join(os.tmpdir(), 'gitops-argocd-oms-'));
  generate(configFile, out);
  const config = loadConfigFile(configFile);
  // Not rendered (the generator's own tests render every overlay): paths, projects, destinations,
  // names and sync policies are what this checks.
  const ctx = contextFromDir(out, { config: loadLintConfig(path.dirname(configFile)) });
  const model = argoModel(ctx);
  const expected = config.environments
    .flatMap((env) => [...config.services.map((service) => `${service.name}-${env.name}`), `namespaces-${env.name}`])
    .sort();
  assert.ok(config.services.length >= 30, `the OMS example has its 30 services (${config.services.length})`);
  assert.deepEqual(model.applications.map((app) => app.name).sort(), expected);
  assert.deepEqual(runArgocdRules(ctx), []);
});

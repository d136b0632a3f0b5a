// Our own argocd/ (written by `gitops generate` from gitops.yaml) expands to one Application per
// service per environment, plus each environment's namespaces Application, and passes every Argo CD
// check against the real rendered overlays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { argoModel, runArgocdRules } from '../scripts/argocd/index.ts';
import { loadConfigFile } from '../scripts/config/index.ts';
import { loadRepoContext } from '../scripts/validate/index.ts';
import { repoRoot } from './argocd-helpers.ts';

test('the generated argocd/ expands to every service in every environment and passes the Argo CD checks', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gitops-argocd-generated-'));
  for (const entry of ['gitops.yaml', 'argocd', 'base', 'overlays']) cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  const config = loadConfigFile(path.join(root, 'gitops.yaml'));
  const { ctx } = await loadRepoContext(root);
  const model = argoModel(ctx);

  const expected = config.environments.flatMap((env) => [...config.services.map((service) => `${service.name}-${env.name}`), `namespaces-${env.name}`]).sort();
  assert.deepEqual(model.applications.map((app) => app.name).sort(), expected);
  for (const app of model.applications) {
    const env = config.environments.find((e) => app.name.endsWith(`-${e.name}`))!;
    assert.equal(app.env, env.name, app.name);
    const spec = app.object.spec as { project: string; source: { path: string }; destination: { server: string } };
    assert.equal(spec.project, config.project.name);
    assert.equal(spec.source.path, `overlays/${env.name}/${app.name.slice(0, -env.name.length - 1)}`);
    assert.equal(spec.destination.server, env.cluster.server);
  }
  assert.deepEqual(model.expansionFindings, []);
  assert.deepEqual(runArgocdRules(ctx), []);
});

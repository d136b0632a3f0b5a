import { syntheticRepository } from './bench/render.ts';
import { discover } from './discover/index.ts';
import { changedFiles } from './validate/changed.ts';
import { resolveKustomize, renderApps } from './render/index.ts';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const root = syntheticRepository(300);
const git = (...a: string[]) => execFileSync('git', ['-C', root, '-c', 'user.email=a@b', '-c', 'user.name=b', ...a], { stdio: 'ignore' });
git('init', '-q'); git('add', '.'); git('commit', '-qm', 'x');
writeFileSync(join(root, 'overlays/staging/svc-000/deployment-patch.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-000\nspec:\n  replicas: 7\n');
const k = await resolveKustomize();
for (let i = 0; i < 3; i++) {
  let t = performance.now(); const d = discover(root); const a = performance.now() - t;
  t = performance.now(); for (const app of d.apps) if (app.kind === 'kustomization') d.graph.inputs(app.absDir); const b = performance.now() - t;
  t = performance.now(); const ch = await changedFiles(root, 'HEAD'); const c = performance.now() - t;
  t = performance.now(); await renderApps([{ id: 'overlays/staging/svc-000', absDir: join(root, 'overlays/staging/svc-000'), inputs: d.graph.inputs(join(root, 'overlays/staging/svc-000')) }], { root, kustomize: k, cacheDir: false }); const e = performance.now() - t;
  console.log('discover', Math.round(a), 'inputs', Math.round(b), 'git', Math.round(c), 'render1', Math.round(e), ch.size);
}
rmSync(root, { recursive: true, force: true });

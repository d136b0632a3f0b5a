// Test support for the Argo CD stage: a RepoContext built from a folder without the render stage.
// Every folder with a kustomization is an app (not rendered: `rendered` may supply its resources or a
// render error); every other YAML file is a loose-manifest app with its objects parsed line-precisely.
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resourcesFromYaml } from '../scripts/manifest/source.ts';
import type { App, LintConfig, NotRenderedReason, RepoContext, Resource } from '../scripts/types.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const sharedDir = process.env.GITOPS_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures', 'argocd');

/** Copies a folder to a fresh temporary directory (corpus data is read-only input). */
export function copyToTemp(source: string): string {
  const target = mkdtempSync(path.join(os.tmpdir(), 'gitops-argocd-'));
  cpSync(source, target, { recursive: true });
  return target;
}

export interface ContextOptions {
  config?: LintConfig;
  /** Resources or a render error for kustomization apps, by app id. */
  rendered?: Record<string, Resource[] | { error: string; reason?: NotRenderedReason }>;
  environments?: string[];
}

export function contextFromDir(root: string, options: ContextOptions = {}): RepoContext {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules') walk(child);
      } else files.push(child);
    }
  };
  walk('');
  files.sort();
  const kustomizations = files.filter((f) => /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(f));
  const kustomizeDirs = new Set(kustomizations.map((f) => path.posix.dirname(f)));
  const apps: App[] = [];
  for (const dir of [...kustomizeDirs].sort()) {
    const rendered = options.rendered?.[dir];
    apps.push({
      id: dir,
      kind: 'kustomization',
      resources: Array.isArray(rendered) ? rendered : [],
      ...(rendered && !Array.isArray(rendered)
        ? { renderError: rendered.error, ...(rendered.reason ? { notRendered: rendered.reason } : {}) }
        : {}),
    });
  }
  for (const file of files) {
    if (!/\.ya?ml$/.test(file) || kustomizeDirs.has(path.posix.dirname(file)) || file === 'gitops.yaml') continue;
    if (file.split('/').some((part, i, parts) => i < parts.length - 1 && (part === 'templates' || part === 'charts')))
      continue; // Helm templates
    const resources = resourcesFromYaml(readFileSync(path.join(root, file), 'utf8'), file, { app: file });
    apps.push({ id: file, kind: 'manifests', resources });
  }
  const environments = options.environments ?? options.config?.environments?.map((env) => env.name) ?? [];
  return { root, config: options.config, kubernetesVersion: '1.32', apps, environments, kustomizations };
}

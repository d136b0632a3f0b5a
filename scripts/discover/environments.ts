// Which environment a path belongs to: gitops.yaml's names when there is one, else the folder
// after a conventional parent (overlays/<env>/, envs/<env>/, environments/<env>/...).
import type { LintConfig } from '../types.ts';

const ENV_PARENTS = new Set([
  'overlays',
  'overlay',
  'envs',
  'env',
  'environments',
  'environment',
  'stages',
  'clusters',
]);

/** The environment of a repo-relative path (folder or file), or undefined. */
export function inferEnvironment(path: string, config?: LintConfig): string | undefined {
  const segments = path.split('/');
  const configured = config?.environments?.map((environment) => environment.name).filter(Boolean);
  if (configured && configured.length > 0) {
    // Prefer the folder after a conventional parent, then any segment that names an environment.
    for (let i = 0; i < segments.length - 1; i++) {
      if (ENV_PARENTS.has(segments[i]) && configured.includes(segments[i + 1])) return segments[i + 1];
    }
    return segments.find((segment) => configured.includes(segment));
  }
  // The folder after the parent must itself be a folder of the path, not the file name.
  const folders = /\.(ya?ml|json)$/i.test(path) ? segments.slice(0, -1) : segments;
  for (let i = 0; i < folders.length - 1; i++) {
    if (ENV_PARENTS.has(folders[i])) return folders[i + 1];
  }
  return undefined;
}

/** Environments in gitops.yaml order, else the inferred ones sorted. */
export function environmentsOf(envs: (string | undefined)[], config?: LintConfig): string[] {
  const configured = config?.environments?.map((environment) => environment.name).filter(Boolean) ?? [];
  if (configured.length > 0) return configured;
  return [...new Set(envs.filter((env): env is string => Boolean(env)))].sort();
}

// Where the generator's files live in the output root: the one place that names the folders.

/** Folders the generator writes in; nothing outside them is ever written, removed or recorded. */
export const GENERATED_ROOTS = ['base', 'overlays', 'argocd'];

/**
 * The owned folder inside each service overlay: the per-environment values gitops.yaml declares, which
 * the people's kustomization includes as a resource.
 */
export const GENERATED_LAYER = 'generated';

/** The folder of a service or namespaces app: `base/<service>` or `overlays/<env>/<app>`. */
export function unitOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] === 'base' && parts.length >= 3) return parts.slice(0, 2).join('/');
  if (parts[0] === 'overlays' && parts.length >= 4) return parts.slice(0, 3).join('/');
  return undefined;
}

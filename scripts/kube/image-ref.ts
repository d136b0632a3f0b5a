// Container image references: registry/repository:tag@digest, with Docker Hub's implicit parts.

export interface ImageRef {
  /** The registry host; docker.io when the reference names none. */
  registry: string;
  /** The repository path inside the registry, e.g. "library/nginx" or "acme/web". */
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const [first, ...others] = rest.split('/');
  const hasRegistry = others.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let repository = hasRegistry ? others.join('/') : rest;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** "registry/repository": what stays the same when only the version changes. */
export function imageRepository(image: string): string {
  const ref = parseImage(image);
  return `${ref.registry}/${ref.repository}`;
}

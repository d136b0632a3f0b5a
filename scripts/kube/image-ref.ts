// Container image references: registry/repository:tag@digest, with Docker Hub's implicit parts.
import { imagePartProblem } from '../config/image-reference.ts';

// Module constants: a regex literal in a function is a new RegExp object each time it runs.
const WHITESPACE = /\s/;
const DIGIT = /\d/;
const COMMIT_ID = /^[0-9a-f]{7,40}$/;
const PARAMETER = /\$[({]/;

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
  // The first path component is a registry host when it looks like one; found by index, not split and joined.
  const slash = rest.indexOf('/');
  const first = slash === -1 ? rest : rest.slice(0, slash);
  const hasRegistry = slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  const ref: ImageRef = { registry, repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** "registry/repository": what stays the same when only the version changes. */
export function imageRepository(image: string): string {
  const ref = parseImage(image);
  return `${ref.registry}/${ref.repository}`;
}

/**
 * What is wrong with a whole image reference (`[registry/]name[:tag][@digest]`), by the grammar the
 * generator checks gitops.yaml's images with (config/image-reference.ts), or undefined when it is valid.
 */
export function imageReferenceProblem(image: string): string | undefined {
  if (image.trim() === '') return 'is empty';
  if (WHITESPACE.test(image)) return 'contains whitespace (a space or a line break)';
  // a name (255), a tag (128) and a digest (an algorithm and up to 128 hex digits) at most
  if (image.length > 600) return 'is longer than any image reference can be';
  let rest = image;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const digest = imagePartProblem('digest', rest.slice(at + 1));
    if (digest) return `has an invalid digest: ${digest}`;
    rest = rest.slice(0, at);
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    const tag = imagePartProblem('tag', rest.slice(colon + 1));
    if (tag) return `has an invalid tag: ${tag}`;
    rest = rest.slice(0, colon);
  }
  const repository = imagePartProblem('repository', rest);
  return repository ? `has an invalid name: ${repository}` : undefined;
}

/** "mongo", "alpine", "stable", "main", "blue": a tag that names no version (no digit, not a commit id). */
export function isFloatingTag(tag: string): boolean {
  return !DIGIT.test(tag) && !COMMIT_ID.test(tag);
}

/** Tekton's `$(params.x)` and OpenShift Template's `${X}`: filled in when the object is used, not checked. */
export function isParameterisedImage(image: string): boolean {
  return PARAMETER.test(image);
}

/**
 * Tags publishers move on every release by convention (a channel, a branch, a base-image flavour):
 * `redis:alpine` is the newest Redis on Alpine. A version-less word outside this list (`blue`,
 * `secure-port`) may be pushed once and never moved, so it is only a doubt.
 */
const CHANNEL_TAGS = new Set([
  'alpha',
  'alpine',
  'beta',
  'canary',
  'current',
  'debian',
  'develop',
  'dev',
  'edge',
  'head',
  'lts',
  'main',
  'mainline',
  'master',
  'next',
  'nightly',
  'preview',
  'release',
  'rolling',
  'slim',
  'snapshot',
  'stable',
  'testing',
  'trunk',
  'unstable',
]);

/** A version-less tag that is a known moving channel (`alpine`, `stable`, `main`, `nightly`...). */
export function isChannelTag(tag: string): boolean {
  return CHANNEL_TAGS.has(tag.toLowerCase());
}

// The grammar of an image reference (github.com/distribution/reference): name components, an optional
// registry host, a tag, a digest. gitops.yaml's image settings are checked against it once `${name}` is
// substituted; a space or newline in an image is a config error, never a generated file.

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const HOST_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${HOST_PART}(?:\\.${HOST_PART})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;

/** `[host[:port]/]component(/component)*`, at most 255 characters. */
export const IMAGE_REPOSITORY = new RegExp(`^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*$`);
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const IMAGE_DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** What is wrong with an image name, tag or digest, or undefined when it is valid. */
export function imagePartProblem(part: 'repository' | 'tag' | 'digest', value: string): string | undefined {
  if (part === 'repository') {
    if (value.length > 255 || !IMAGE_REPOSITORY.test(value))
      return `image repository "${value}" is not an image name: lowercase path components separated by "/", with an optional registry host first (ghcr.io/example/api), no tag, no spaces`;
  } else if (part === 'tag') {
    if (!IMAGE_TAG.test(value))
      return `image tag "${value}" is not a tag: letters, digits, "_", "." and "-", at most 128 characters, not starting with "." or "-"`;
  } else if (!IMAGE_DIGEST.test(value)) {
    return `image digest "${value}" is not a digest: "<algorithm>:<hex>", e.g. sha256: and 64 hex digits`;
  }
  return undefined;
}

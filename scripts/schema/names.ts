// kubeconform's file names, shared by the schema build and the validator. Kept apart from build.ts
// so validating never loads the TypeScript compiler.

export const DEFINITIONS_FILE = '_definitions.json';
export const MANIFEST_FILE = 'manifest.json';

/** kubeconform's file name for a kind: `<kind>-<first label of group>-<version>.json`, core `<kind>-<version>.json`. */
export function kubeconformFileName(kind: string, apiVersion: string): string {
  return `${kind.toLowerCase()}${kindSuffix(apiVersion)}.json`;
}

/** kubeconform's {{.KindSuffix}}. */
export function kindSuffix(apiVersion: string): string {
  const groupParts = apiVersion.split('/');
  let suffix = `-${groupParts[0].split('.')[0].toLowerCase()}`;
  if (groupParts.length > 1) suffix += `-${groupParts[1].toLowerCase()}`;
  return suffix;
}

// Which environment a path belongs to. With gitops.yaml, its environment names. Without it (a
// repository the tool did not generate), a folder name after a conventional parent (overlays/<env>/,
// envs/<env>/, clusters/<env>/...) is only a candidate: overlays also hold variants of one component
// (an operator's `stable-3.14` channel, a `default`, a `policies` flavour), which are not places
// Argo CD deploys to. A candidate is an environment when
// - its parent says so (envs/, environments/, stages/: folders named for environments), or
// - its name is a usual environment name (dev, qa, staging, prod, prod-eu...), or
// - another parent holds the same name and at least one more of its siblings (clusters/overlays and
//   bootstrap/overlays both hold local.hub and local.aws: an axis the repository deploys along, not
//   one component's flavour);
// and never when it names a version, a release channel or a structural folder. Argo CD's own evidence
// (an Application's destination, its ApplicationSet's parameters) is read in scripts/argocd/model.ts
// (environmentOf) and wins for the units Applications deploy.
import type { LintConfig } from '../types.ts';

/** Parents whose children are environments or variants: the candidates. */
const ENV_PARENTS = new Set([
  'overlays',
  'overlay',
  'envs',
  'env',
  'environments',
  'environment',
  'stages',
  'stage',
  'clusters',
]);

/** Parents named for environments: each child is one. */
const ENVIRONMENT_PARENTS = new Set(['envs', 'env', 'environments', 'environment', 'stages', 'stage']);

/** The usual environment names, alone or with a region or flavour (prod-eu, staging_us). */
export const CONVENTIONAL_ENV = /^(dev|development|test|qa|uat|stage|staging|preprod|prod|production)([-_][a-z0-9]+)?$/;

/** Folder names that are never an environment: versions, release channels, the parts of a layout. */
const NOT_ENVIRONMENT = [
  /\d\.\d/, // 2.7.x, stable-3.14, v1.2 (not \d+\.\d+: the same test, read again from every digit)
  /^v?\d+([._-]\d+)*$/, // v1, 2024-01
  /^(stable|fast|candidate|eus|latest|preview|alpha|beta|edge|nightly|rapid|regular)([-._][a-z0-9.]+)?$/,
  /^(base|bases|default|common|shared|components?|overlays?|templates?|manifests|resources|patches|crds?)$/,
];

interface Candidate {
  name: string;
  /** The path up to the parent folder (`clusters/overlays`). */
  parent: string;
  /** The parent is named for environments (envs/, environments/...). */
  named: boolean;
}

/** Candidates of a repo-relative path, outermost first: the path is a file when it ends in .yaml/.yml/.json. */
function candidatesOf(path: string, isFile = /\.(ya?ml|json)$/i.test(path)): Candidate[] {
  const segments = path.split('/').filter(Boolean);
  // The folder after the parent must itself be a folder of the path, not the file name.
  const folders = isFile ? segments.slice(0, -1) : segments;
  const out: Candidate[] = [];
  for (let i = 0; i < folders.length - 1; i++) {
    if (!ENV_PARENTS.has(folders[i]) || ENV_PARENTS.has(folders[i + 1])) continue;
    out.push({
      name: folders[i + 1],
      parent: folders.slice(0, i + 1).join('/'),
      named: ENVIRONMENT_PARENTS.has(folders[i]),
    });
  }
  return out;
}

export function isNotEnvironmentName(name: string): boolean {
  return NOT_ENVIRONMENT.some((pattern) => pattern.test(name.toLowerCase()));
}

/** How the environments of one repository are told from its folders. */
export interface EnvironmentInference {
  /** The environment of a repo-relative path (folder or file), or undefined. */
  of(path: string): string | undefined;
  /** Folder names after an environment parent that were not taken as environments, with why (for --verbose). */
  rejected: string[];
}

/**
 * The environment inference of a repository whose files (repo-relative paths) are `paths`: every
 * candidate is judged against the whole repository, so that validating a subfolder names the same
 * environments as validating the root.
 */
export function environmentInference(paths: Iterable<string>, config?: LintConfig): EnvironmentInference {
  const configured = config?.environments?.map((environment) => environment.name).filter(Boolean) ?? [];
  if (configured.length > 0) return { of: (path) => configuredEnvironment(path, configured), rejected: [] };
  // Each parent's candidate children, and each name's parents.
  const childrenOf = new Map<string, Set<string>>();
  const parentsOf = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const path of paths) {
    const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (seen.has(folder)) continue;
    seen.add(folder);
    for (const candidate of candidatesOf(folder, false)) {
      if (isNotEnvironmentName(candidate.name)) continue;
      const children = childrenOf.get(candidate.parent) ?? new Set<string>();
      children.add(candidate.name);
      childrenOf.set(candidate.parent, children);
      const parents = parentsOf.get(candidate.name) ?? new Set<string>();
      parents.add(candidate.parent);
      parentsOf.set(candidate.name, parents);
    }
  }
  // An axis: another parent holds this name and at least one more of this parent's names (one shared
  // word, such as two components' `sso` flavours, is a coincidence).
  const sharedAxis = (candidate: Candidate): boolean => {
    const mine = childrenOf.get(candidate.parent) ?? new Set<string>();
    for (const other of parentsOf.get(candidate.name) ?? []) {
      if (other === candidate.parent) continue;
      let common = 0;
      for (const name of childrenOf.get(other) ?? []) if (mine.has(name)) common++;
      if (common >= 2) return true;
    }
    return false;
  };
  const verdicts = new Map<string, string | true>();
  const verdict = (candidate: Candidate): string | true => {
    const key = `${candidate.parent}/${candidate.name}`;
    let found = verdicts.get(key);
    if (found === undefined) {
      if (isNotEnvironmentName(candidate.name)) found = 'a version, release channel or layout folder';
      else if (candidate.named || CONVENTIONAL_ENV.test(candidate.name)) found = true;
      else if (sharedAxis(candidate)) found = true;
      else
        found = 'a variant of one folder: not a usual environment name, and no other parent holds it with its siblings';
      verdicts.set(key, found);
    }
    return found;
  };
  return {
    of(path) {
      return candidatesOf(path).find((candidate) => verdict(candidate) === true)?.name;
    },
    get rejected() {
      return [...verdicts]
        .filter((entry): entry is [string, string] => entry[1] !== true)
        .map(([key, why]) => `${key}: not an environment (${why})`)
        .sort();
    },
  };
}

/** With gitops.yaml: the folder after a conventional parent when it is configured, then any configured segment. */
function configuredEnvironment(path: string, configured: string[]): string | undefined {
  const segments = path.split('/');
  for (let i = 0; i < segments.length - 1; i++)
    if (ENV_PARENTS.has(segments[i]) && configured.includes(segments[i + 1])) return segments[i + 1];
  return segments.find((segment) => configured.includes(segment));
}

/** Environments in gitops.yaml order, else the inferred ones sorted. */
export function environmentsOf(envs: (string | undefined)[], config?: LintConfig): string[] {
  const configured = config?.environments?.map((environment) => environment.name).filter(Boolean) ?? [];
  if (configured.length > 0) return configured;
  return [...new Set(envs.filter((env): env is string => Boolean(env)))].sort();
}

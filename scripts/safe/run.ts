// The one way to run an external program (git, kustomize, helm). The repository under check is
// hostile input, so a program started on its behalf gets: an argument array (never a shell), an
// environment built from nothing (no kubeconfig, no GIT_*, no proxies or tokens of the person running
// the tool, HOME and PATH pointing at an empty private folder unless the caller says otherwise), a time
// limit, a memory limit that holds for Go programs, an output cap and, where the OS allows it, a network
// namespace of its own with no interface but loopback. Failures come back as data, never as exceptions.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { appendAll } from '../lists.ts';

export interface RunOptions {
  cwd?: string;
  /**
   * Variables the program needs, on top of the clean base (LC_ALL=C, TMPDIR, HOME and PATH set to an
   * empty private folder). Nothing of process.env is passed unless the caller copies it here.
   */
  env?: Record<string, string>;
  /** Default 120 s. The program is killed (SIGKILL) when it runs longer. */
  timeoutMs?: number;
  /**
   * Resident memory cap in MiB. Enforced twice: the kernel's address-space limit (RLIMIT_AS through
   * prlimit, set to the cap plus Go's start-up reservation, so the program cannot grow past it even
   * between two polls) and a poll of /proc/<pid>/status that kills it once its RSS passes the cap.
   * Go programs also get GOMEMLIMIT (a soft target: the collector works harder before the cap) and
   * GOGC=400: a kustomize run is short and small (about 100 MB), and collecting at 5x the live heap
   * instead of 2x spends about a quarter less CPU on it (0.39 to 0.30 s for one overlay), while
   * GOMEMLIMIT still makes the collector run near the cap.
   */
  memoryLimitMb?: number;
  /** Per stream (stdout, stderr); default 128 MiB. Past it the program is killed and the result is a failure. */
  maxOutputBytes?: number;
  /** Written to stdin; otherwise stdin is empty. */
  input?: string;
  /** Keep stdout as bytes (`stdoutBytes`; `stdout` is then empty): for programs that print binary data. */
  binaryOutput?: boolean;
  /**
   * Run in a network namespace of its own (no route anywhere, not even to the host's loopback).
   * Default true; only where `unshare` works (root, or unprivileged user namespaces). Elsewhere the
   * clean environment still sends HTTP(S) through an unreachable proxy (see OFFLINE_ENV).
   */
  isolateNetwork?: boolean;
  /** Default true. False leaves the memory cap to the RSS poll alone (tests measure each mechanism). */
  kernelMemoryLimit?: boolean;
}

export interface RunResult {
  /** Exit code; -1 when the program was killed or did not start. */
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  outOfMemory: boolean;
  /** An output stream passed maxOutputBytes. */
  outputTooLarge: boolean;
  /** The program could not be started (not found, not executable). */
  notFound: boolean;
  /** stdout as it came, with `binaryOutput`. */
  stdoutBytes?: Buffer;
  /** The limits this run had, for messages ("timed out after 120 s"). */
  limits: { timeoutMs: number; memoryLimitMb?: number; maxOutputBytes: number };
}

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_OUTPUT = 128 * 1024 * 1024;
/**
 * Address space a Go program reserves before it allocates anything. Measured on linux-x64 with
 * kubectl v1.32 and kustomize v4.5.4 (every RLIMIT_AS from 1024 to 4096 MiB in 32 MiB steps): both
 * need about 700 MiB to start, and kubectl also fails at exactly 1184-1248 MiB (an arena hint that
 * does not fit). The kernel limit is the cap plus this, so it never bites a normal run; the RSS
 * poll enforces the cap itself, the kernel limit is the backstop between two polls.
 */
const GO_RESERVATION_MB = 1536;
const RSS_POLL_MS = 50;

/**
 * Proxies that lead nowhere. Go's net/http (kustomize's HTTP resources) honours them for every host
 * but loopback; port 9 (discard) on loopback refuses. Remote git bases need a `git` and an `ssh` on
 * PATH, which the clean PATH does not have.
 */
export const OFFLINE_ENV: Readonly<Record<string, string>> = {
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  ALL_PROXY: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  all_proxy: 'http://127.0.0.1:9',
  NO_PROXY: '',
  no_proxy: '',
  GIT_ALLOW_PROTOCOL: 'file',
  GIT_TERMINAL_PROMPT: '0',
  GIT_SSH_COMMAND: 'false',
};

let emptyDir: string | undefined;

/** An empty folder owned by this process (0700), removed at exit: the HOME and PATH of programs we run. */
export function emptyPrivateDir(): string {
  if (!emptyDir) {
    emptyDir = mkdtempSync(join(tmpdir(), 'gitops-empty-'));
    const dir = emptyDir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return emptyDir;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of `name` on the caller's PATH (the person running the tool chose it), or undefined. */
export function findProgram(name: string, path = process.env.PATH ?? ''): string | undefined {
  if (name.includes('/')) {
    const file = resolve(name); // a path the person typed ($KUSTOMIZE=./bin/kustomize): from their folder
    return isExecutable(file) ? file : undefined;
  }
  for (const dir of path.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue; // a relative PATH entry would resolve inside the repository
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

let sandbox: { prlimit?: string; unshare?: string[] } | undefined;

/** The wrappers this machine offers, probed once: prlimit (util-linux) and a working `unshare -n`. */
function sandboxTools(): { prlimit?: string; unshare?: string[] } {
  if (sandbox) return sandbox;
  const tools: { prlimit?: string; unshare?: string[] } = {};
  if (process.platform === 'linux') {
    const prlimit = findProgram('prlimit', SYSTEM_PATH);
    if (prlimit) tools.prlimit = prlimit;
    const unshare = findProgram('unshare', SYSTEM_PATH);
    if (unshare) {
      // As root a plain network namespace; otherwise inside a user namespace, where the kernel allows it.
      for (const flags of [['-n'], ['-r', '-n']]) {
        const probe = spawnSync(unshare, [...flags, '--', '/bin/true'], { stdio: 'ignore', env: {}, timeout: 5000 });
        if (probe.status === 0) {
          tools.unshare = [unshare, ...flags, '--'];
          break;
        }
      }
    }
  }
  sandbox = tools;
  return tools;
}

/** Whether programs run without any network here (a network namespace), for tests and --verbose. */
export function networkIsolationAvailable(): boolean {
  return sandboxTools().unshare !== undefined;
}

/** Whether the kernel enforces the memory cap (prlimit), besides the RSS poll. */
export function memoryLimitEnforcedByKernel(): boolean {
  return sandboxTools().prlimit !== undefined;
}

function residentMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The Go runtime's words, at the start of a line, for an allocation that failed. */
const OUT_OF_MEMORY_TEXT =
  /^(?:fatal error: (?:runtime: )?out of memory|runtime: out of memory|fatal error: failed to reserve)/m;

/**
 * Runs `file` (an absolute path, or a name found on the caller's PATH) with `args`. Never throws.
 */
export function runProgram(file: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const limits = {
    timeoutMs,
    maxOutputBytes,
    ...(options.memoryLimitMb ? { memoryLimitMb: options.memoryLimitMb } : {}),
  };
  const notStarted = (message: string): RunResult => ({
    code: -1,
    stdout: '',
    stderr: message,
    timedOut: false,
    outOfMemory: false,
    outputTooLarge: false,
    notFound: true,
    limits,
  });
  const program = findProgram(file);
  if (!program) return Promise.resolve(notStarted(`${file}: program not found`));

  const tools = sandboxTools();
  const empty = emptyPrivateDir();
  const env: Record<string, string> = {
    PATH: empty,
    HOME: empty,
    TMPDIR: tmpdir(),
    LC_ALL: 'C',
    ...OFFLINE_ENV,
    ...(options.memoryLimitMb ? { GOMEMLIMIT: `${Math.floor(options.memoryLimitMb * 0.8)}MiB`, GOGC: '400' } : {}),
    ...options.env,
  };
  const command: string[] = [];
  if (options.memoryLimitMb && tools.prlimit && options.kernelMemoryLimit !== false) {
    const bytes = (options.memoryLimitMb + GO_RESERVATION_MB) * 1024 * 1024;
    command.push(tools.prlimit, `--as=${bytes}`, '--');
  }
  if (options.isolateNetwork !== false && tools.unshare) appendAll(command, tools.unshare);
  command.push(program, ...args);

  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command[0], command.slice(1), {
        cwd: options.cwd,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so a kill reaches whatever it started.
        detached: true,
      });
    } catch (error) {
      resolve(notStarted((error as Error).message));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let outOfMemory = false;
    let outputTooLarge = false;
    let spawnError: Error | undefined;
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const started = performance.now();
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    const poll =
      options.memoryLimitMb && process.platform === 'linux'
        ? setInterval(() => {
            const rss = child.pid ? residentMb(child.pid) : undefined;
            if (rss !== undefined && rss > options.memoryLimitMb!) {
              outOfMemory = true;
              kill();
            }
          }, RSS_POLL_MS)
        : undefined;
    const collect = (chunks: Buffer[], which: 'out' | 'err') => (chunk: Buffer) => {
      const size = which === 'out' ? (outBytes += chunk.length) : (errBytes += chunk.length);
      if (size > maxOutputBytes) {
        outputTooLarge = true;
        kill();
        return;
      }
      chunks.push(chunk);
    };
    child.stdout.on('data', collect(out, 'out'));
    child.stderr.on('data', collect(err, 'err'));
    child.stdin.on('error', () => {}); // a program that exits without reading its input
    child.stdin.end(options.input ?? '');
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // A run past its time is timed out even when its exit was seen before the timer ran (a busy
      // event loop runs both late): the limit is the run's length, not which callback came first.
      if (performance.now() - started > timeoutMs) timedOut = true;
      if (poll) clearInterval(poll);
      const bytes = Buffer.concat(out);
      const stdout = options.binaryOutput ? '' : bytes.toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (spawnError && code === null && !signal) {
        resolve(notStarted(spawnError.message));
        return;
      }
      // Under the kernel's cap Go aborts in its own words (exit 2); an unexplained SIGKILL under a
      // memory cap is the kernel's OOM killer.
      if (!timedOut && !outputTooLarge && !outOfMemory && code !== 0) {
        if (OUT_OF_MEMORY_TEXT.test(stderr) || (signal === 'SIGKILL' && options.memoryLimitMb)) outOfMemory = true;
      }
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        timedOut,
        outOfMemory,
        outputTooLarge,
        notFound: false,
        ...(options.binaryOutput ? { stdoutBytes: bytes } : {}),
        limits,
      });
    });
  });
}

/**
 * Why a run failed in words a person can act on, when a limit ended it: "timed out after 120 s",
 * "ran out of memory (limit 2048 MiB)", "wrote more than 128 MiB of output". Undefined otherwise.
 */
export function limitFailure(result: RunResult): string | undefined {
  if (result.timedOut) return `timed out after ${Math.round(result.limits.timeoutMs / 100) / 10} s`;
  if (result.outOfMemory)
    return `ran out of memory${result.limits.memoryLimitMb ? ` (limit ${result.limits.memoryLimitMb} MiB)` : ''}`;
  if (result.outputTooLarge)
    return `wrote more than ${Math.round(result.limits.maxOutputBytes / 1024 / 1024)} MiB of output`;
  return undefined;
}

/** Whether a run ended on a limit rather than on its input: such outcomes are never cached. */
export function hitLimit(result: RunResult): boolean {
  return result.timedOut || result.outOfMemory || result.outputTooLarge;
}

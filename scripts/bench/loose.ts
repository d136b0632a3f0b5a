// Loose-manifest benchmark (issue 14): a repository of plain manifest files, each a Deployment and a
// Service (the shape kubeconform is usually measured on), at 1k to 100k manifests. Each size runs the
// whole `gitops validate` (schemas, every rule, lines) as its own process, against the floor measured
// in the same run: one Node process that only reads and js-yaml-parses the same files. Ratios, not
// times, are the result (the machine is shared): the target is validate ≤ 2.5x the floor, and peak
// RSS under 300 MB at 50k. The fixed cost of a start is the `startup` section (startup.ts).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendAll } from '../lists.ts';
import { toolRoot } from '../tool.ts';
import type { BenchSection } from './sections.ts';
import type { BenchTable } from './table.ts';

const repoRoot = toolRoot;
const gitopsBin = path.join(repoRoot, 'bin', 'gitops.js');

function manifestFile(name: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
  labels:
    app: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: app
          image: registry.example.com/shop/${name}:1.4.2
          ports:
            - containerPort: 8080
              name: http
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
${serviceDocument(name)}`;
}

/** The Service both repositories give each Deployment, after a `---`. */
function serviceDocument(name: string): string {
  return `---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: shop
spec:
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
}

/** Writes `manifests` manifests (two per file, 100 files per folder) under `dir`. */
export function writeLooseRepository(dir: string, manifests: number): void {
  for (let i = 0; i < manifests / 2; i++) {
    const name = `svc-${String(i).padStart(6, '0')}`;
    const folder = path.join(dir, 'apps', `team-${String(Math.floor(i / 100)).padStart(4, '0')}`);
    if (i % 100 === 0) fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${name}.yaml`), manifestFile(name));
  }
}

/**
 * The same services written so that no built-in rule fires (probes, limits, a preStop hook, a locked-down
 * security context, a spread, a PodDisruptionBudget beside each Deployment and a default-deny
 * NetworkPolicy per folder): the loose table's run less the cost of its findings (5.5 per manifest
 * there, a report 100 times the size of the files read). test/bench/clean-loose.test.ts holds it to
 * no findings.
 */
function cleanServiceFile(name: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
  labels:
    app: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app: ${name}
      containers:
        - name: app
          image: registry.example.com/shop/${name}:1.4.2
          ports:
            - containerPort: 8080
              name: http
          lifecycle:
            preStop:
              sleep:
                seconds: 5
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 256Mi
${serviceDocument(name)}---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${name}
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: ${name}
`;
}

const DEFAULT_DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
`;

/**
 * About `manifests` manifests that no rule reports on (three per service file, one policy per folder
 * of 100 services); returns how many it wrote.
 */
export function writeCleanLooseRepository(dir: string, manifests: number): number {
  const services = Math.max(1, Math.round((manifests * 100) / 301));
  for (let i = 0; i < services; i++) {
    const name = `svc-${String(i).padStart(6, '0')}`;
    const folder = path.join(dir, 'apps', `team-${String(Math.floor(i / 100)).padStart(4, '0')}`);
    if (i % 100 === 0) {
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, 'network-policy.yaml'), DEFAULT_DENY);
    }
    fs.writeFileSync(path.join(folder, `${name}.yaml`), cleanServiceFile(name));
  }
  return services * 3 + Math.ceil(services / 100);
}

export interface ProcessResult {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A child's CPU time and peak memory, written by the child itself as it exits (no /usr/bin/time needed). */
const REPORT_ON_EXIT = `data:text/javascript,${encodeURIComponent(
  `import { writeFileSync } from 'node:fs';
  const file = process.env.GITOPS_BENCH_STATS;
  if (file) process.on('exit', () => { const u = process.resourceUsage(); writeFileSync(file, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMb: u.maxRSS / 1024 })); });`,
)}`;

export function measure(args: string[], cwd = repoRoot): ProcessResult {
  const statsFile = path.join(os.tmpdir(), `gitops-bench-stats-${process.pid}-${Date.now()}.json`);
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', REPORT_ON_EXIT, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, GITOPS_BENCH_STATS: statsFile, NO_COLOR: '1' },
  });
  const wallMs = performance.now() - started;
  let stats = { cpuMs: NaN, maxRssMb: NaN };
  try {
    stats = JSON.parse(fs.readFileSync(statsFile, 'utf8')) as typeof stats;
    fs.rmSync(statsFile, { force: true });
  } catch {
    // the child died before its exit handler: the row shows NaN and the status says why
  }
  if (child.error) throw child.error;
  return { wallMs, ...stats, status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** The floor: read every file and js-yaml-parse it, in one plain Node process (no TypeScript loader). */
const FLOOR_SCRIPT = `
import fs from 'node:fs';
import path from 'node:path';
import { loadAll } from 'js-yaml';
let documents = 0;
const walk = (folder) => {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) walk(file);
    else loadAll(fs.readFileSync(file, 'utf8'), () => documents++);
  }
};
walk(process.argv.at(-1));
process.stdout.write(String(documents));
`;

export const round = (n: number) => (Number.isFinite(n) ? Math.round(n) : 'n/a');
export const ratio = (a: number, b: number) => (Number.isFinite(a) && b > 0 ? (a / b).toFixed(2) : 'n/a');

function floor(dir: string): ProcessResult {
  return measure(['--input-type=module', '-e', FLOOR_SCRIPT, dir]);
}

/** Wall time of `copies` floor processes started together, until the last one ends. */
async function floorsAtOnce(dir: string, copies: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from(
      { length: copies },
      () =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', FLOOR_SCRIPT, dir], { stdio: 'ignore' });
          child.on('error', reject);
          child.on('close', () => resolve());
        }),
    ),
  );
  return performance.now() - started;
}

/**
 * What a second core gives here: the floor twice at once against once alone (best of three each).
 * 2.00x would be two full cores; worker threads can gain at most this over one thread, less the
 * share of the second core one run already uses (V8's GC and compiler threads).
 */
export async function bothCoresNote(dir: string): Promise<string> {
  let alone = Infinity;
  let together = Infinity;
  for (let i = 0; i < 3; i++) {
    alone = Math.min(alone, await floorsAtOnce(dir, 1));
    together = Math.min(together, await floorsAtOnce(dir, 2));
  }
  return `both cores: two floors at once take ${Math.round(together)} ms against ${Math.round(alone)} ms for one, ${((2 * alone) / together).toFixed(2)}x the throughput of one (what independent runs gain; one run split across two threads or processes measured slower here: docs/architecture.md, "Twelfth round")`;
}

/** The stage rows of `gitops validate --timing`'s first table (cli/validate.ts `stageTable`), total left out. */
export function stageRows(stderr: string): { stage: string; ms: number }[] {
  const start = stderr.indexOf('Stage ');
  if (start === -1) return [];
  const rows: { stage: string; ms: number }[] = [];
  for (const line of stderr.slice(start).split('\n').slice(1)) {
    const match = /^(.+?)\s+(\d+\.\d)\s+\d+\.\d%$/.exec(line);
    if (!match) break;
    if (match[1] !== 'total') rows.push({ stage: match[1], ms: Number(match[2]) });
  }
  return rows;
}

/**
 * Where one run's time goes, stage by stage (`--timing`, a run of its own: timing each rule call
 * adds 5-10%), so the bench says what to work on next, not only how far the target is.
 */
function stagesNote(dir: string, manifests: number): string {
  const run = measure([gitopsBin, 'validate', dir, '--format', 'json', '--no-cache', '--timing']);
  const rows = stageRows(run.stderr);
  if (rows.length === 0)
    return `stages at ${manifests.toLocaleString('en-US')}: --timing printed no stage table (exit ${run.status})`;
  const total = rows.reduce((sum, row) => sum + row.ms, 0);
  const parts = rows.map((row) => `${row.stage} ${Math.round(row.ms)} ms (${Math.round((100 * row.ms) / total)}%)`);
  return `where a run of ${manifests.toLocaleString('en-US')} goes (--timing, one more run): ${parts.join(', ')}`;
}

export const section: BenchSection = {
  name: 'loose',
  async run({ quick }) {
    const sizes = quick ? [1_000, 5_000] : [1_000, 10_000, 50_000, 100_000];
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-loose-'));
    try {
      const rows: (string | number)[][] = [];
      const notes: string[] = [];
      const formatRows: (string | number)[][] = [];
      // The other formats at one size: stylish is what a person or a CI log gets by default, SARIF what
      // code scanning uploads; each must stay as lean as json (stylish once took twice its memory).
      const formatsAt = quick ? sizes[sizes.length - 1] : 50_000;
      for (const size of sizes) {
        const dir = path.join(work, String(size));
        writeLooseRepository(dir, size);
        const { row, validate } = validateAgainstFloor(dir, size, notes);
        if (size === 10_000 || (quick && size === sizes[sizes.length - 1])) {
          notes.push(await bothCoresNote(dir));
          notes.push(stagesNote(dir, size));
        }
        if (size === formatsAt) appendAll(formatRows, formatComparison(dir, validate));
        rows.push(row);
        fs.rmSync(dir, { recursive: true, force: true });
      }
      const loose: BenchTable = {
        title: 'Loose manifests: whole `gitops validate` against reading + js-yaml parsing the same files',
        columns: [
          'manifests',
          'floor wall ms',
          'floor CPU ms',
          'validate wall ms',
          'validate CPU ms',
          'wall ratio',
          'CPU ratio',
          'validate peak RSS MB',
          'exit',
          'findings',
        ],
        rows,
        notes: [
          'target: wall ratio ≤ 2.5 at every size (CPU ratio: the steadier figure on a loaded machine), peak RSS < 300 MB at 50,000, exit 1 (findings), never 2',
          'floor: one Node process that reads every file and js-yaml-parses it (process start included on both sides)',
          ...notes,
          loadNote(),
        ],
      };
      const formats: BenchTable = {
        title: `Report formats: the same \`gitops validate\` of ${formatsAt.toLocaleString('en-US')} loose manifests, each format against json`,
        columns: ['format', 'wall ms', 'CPU ms', 'peak RSS MB', 'CPU vs json', 'peak RSS vs json', 'report MB', 'exit'],
        rows: formatRows,
        notes: [
          'json is the row of the table above; SARIF holds at most 25,000 results (GitHub refuses more), stylish every finding',
        ],
      };
      const cleanRows: (string | number)[][] = [];
      const cleanNotes: string[] = [];
      for (const size of quick ? [sizes[sizes.length - 1]] : [10_000, 50_000]) {
        const dir = path.join(work, `clean-${size}`);
        const written = writeCleanLooseRepository(dir, size);
        cleanRows.push(validateAgainstFloor(dir, written, cleanNotes).row);
        fs.rmSync(dir, { recursive: true, force: true });
      }
      const clean: BenchTable = {
        title:
          'Clean loose manifests: the same services written so that no rule fires (the cost of checking without the findings)',
        columns: loose.columns,
        rows: cleanRows,
        notes: [
          'each service a file of a Deployment, its Service and its PodDisruptionBudget, each folder a default-deny NetworkPolicy; findings should be 0 (exit 0)',
          'the target applies to the table above; this one shows what the findings and their report cost there',
          ...cleanNotes,
        ],
      };
      return [loose, clean, formats];
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
};

/** One row of a loose table: `gitops validate --format json` of `dir` against the floor on the same files. */
function validateAgainstFloor(dir: string, manifests: number, notes: string[]) {
  // The floor runs before and after validate and the cheaper run counts, so a burst of load during
  // one run does not flatter the ratio.
  const before = floor(dir);
  const validate = measure([gitopsBin, 'validate', dir, '--format', 'json', '--no-cache']);
  const after = floor(dir);
  const base = before.wallMs <= after.wallMs ? before : after;
  let findings: number | string = 'crashed';
  try {
    findings = (JSON.parse(validate.stdout) as { findings: unknown[] }).findings.length;
  } catch {
    notes.push(`${manifests}: validate exited ${validate.status} without a JSON report`);
  }
  const row = [
    manifests.toLocaleString('en-US'),
    round(base.wallMs),
    round(base.cpuMs),
    round(validate.wallMs),
    round(validate.cpuMs),
    ratio(validate.wallMs, base.wallMs),
    ratio(validate.cpuMs, base.cpuMs),
    round(validate.maxRssMb),
    validate.status ?? 'killed',
    findings,
  ];
  return { row, validate };
}

/** The json run of the loose table beside stylish and SARIF runs of the same repository. */
function formatComparison(dir: string, json: ProcessResult): (string | number)[][] {
  const row = (format: string, run: ProcessResult) => [
    format,
    round(run.wallMs),
    round(run.cpuMs),
    round(run.maxRssMb),
    ratio(run.cpuMs, json.cpuMs),
    ratio(run.maxRssMb, json.maxRssMb),
    (Buffer.byteLength(run.stdout) / 1024 / 1024).toFixed(1),
    run.status ?? 'killed',
  ];
  const rows = [row('json', json)];
  for (const format of ['stylish', 'sarif'])
    rows.push(row(format, measure([gitopsBin, 'validate', dir, '--format', format, '--no-cache'])));
  return rows;
}

export function loadNote(): string {
  return `load average during the run: ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(', ')} on ${os.availableParallelism()} cores (a busy machine inflates every row alike)`;
}

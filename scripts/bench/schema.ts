// Schema benchmark: 10,000 rendered resources (Deployments and Services) parsed and validated.
// Each measurement runs in a fresh child process, so its time includes loading the validators and
// its peak memory (maxRSS) is its own. Baselines in the same run: js-yaml and the `yaml` package's
// parser in place of the fast path. Validators are compiled in memory in every run (there is no disk
// cache of compiled code: see docs/architecture.md); a second validation pass shows the compile's share.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchSection } from './sections.ts';
import type { BenchTable } from './table.ts';

const thisFile = fileURLToPath(import.meta.url);

/** A rendered stream like kustomize's output for the generated services: half Deployments, half Services. */
export function renderedStream(resources: number): string {
  const docs: string[] = [];
  for (let i = 0; i < resources / 2; i++) {
    const name = `svc-${String(i).padStart(5, '0')}`;
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/part-of: shop
  name: ${name}
  namespace: microservices
spec:
  replicas: 2
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
    type: RollingUpdate
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
        app.kubernetes.io/part-of: shop
    spec:
      containers:
      - env:
        - name: LOG_LEVEL
          value: info
        - name: DATABASE_PASSWORD
          valueFrom:
            secretKeyRef:
              key: password
              name: ${name}-db
        image: registry.example.com/shop/${name}:1.4.2
        lifecycle:
          preStop:
            exec:
              command:
              - sh
              - -c
              - sleep 10
        livenessProbe:
          httpGet:
            path: /healthz
            port: http
          periodSeconds: 10
        name: app
        ports:
        - containerPort: 8080
          name: http
          protocol: TCP
        readinessProbe:
          httpGet:
            path: /ready
            port: http
        resources:
          limits:
            cpu: "1"
            memory: 512Mi
          requests:
            cpu: 100m
            memory: 256Mi
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop:
            - ALL
          readOnlyRootFilesystem: true
          runAsNonRoot: true
      terminationGracePeriodSeconds: 30
`);
    docs.push(`apiVersion: v1
kind: Service
metadata:
  labels:
    app.kubernetes.io/name: ${name}
  name: ${name}
  namespace: microservices
spec:
  ports:
  - name: http
    port: 80
    protocol: TCP
    targetPort: http
  selector:
    app.kubernetes.io/name: ${name}
`);
  }
  return docs.join('---\n');
}

interface ChildResult {
  parseMs: number;
  /** The first pass: compiling each kind's validator, then validating. */
  validateMs: number;
  /** The same objects again with the compiled validators: validation alone. */
  revalidateMs: number;
  totalMs: number;
  resources: number;
  invalid: number;
  maxRssMb: number;
}

type Mode = 'fast' | 'js-yaml' | 'yaml-parser';

/** Runs in the child: parse + validate the stream, print timings as JSON. */
async function child(mode: Mode, streamFile: string): Promise<void> {
  const started = performance.now();
  const { SchemaValidator } = await import('../schema/validator.ts');
  const text = fs.readFileSync(streamFile, 'utf8');
  const parseStart = performance.now();
  let objects: unknown[];
  if (mode === 'yaml-parser') {
    const { parseAllDocuments } = await import('yaml');
    objects = parseAllDocuments(text).map((doc) => doc.toJS());
  } else if (mode === 'js-yaml') {
    const { CORE_SCHEMA, loadAll } = await import('js-yaml');
    objects = [];
    loadAll(text, (doc) => objects.push(doc), { schema: CORE_SCHEMA });
  } else {
    const { parseRenderedYaml } = await import('../manifest/rendered.ts');
    objects = parseRenderedYaml(text);
  }
  const parseMs = performance.now() - parseStart;
  const validateStart = performance.now();
  const validator = new SchemaValidator();
  let invalid = 0;
  for (const object of objects) if (validator.validateObject(object as never).status !== 'valid') invalid++;
  const validateMs = performance.now() - validateStart;
  const totalMs = performance.now() - started;
  const revalidateStart = performance.now();
  for (const object of objects) validator.validateObject(object as never);
  const revalidateMs = performance.now() - revalidateStart;
  const result: ChildResult = {
    parseMs,
    validateMs,
    revalidateMs,
    totalMs,
    resources: objects.length,
    invalid,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(result));
}

function runChild(mode: Mode, streamFile: string): ChildResult {
  const output = execFileSync(process.execPath, ['--import', 'tsx', thisFile, '--child', mode, streamFile], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output) as ChildResult;
}

const round = (n: number) => Math.round(n);

export const section: BenchSection = {
  name: 'schema',
  async run({ quick }) {
    const resources = quick ? 1000 : 10_000;
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-schema-'));
    try {
      const streamFile = path.join(work, 'rendered.yaml');
      fs.writeFileSync(streamFile, renderedStream(resources));
      const rows: [string, ChildResult][] = [
        ['the pipeline: kustomize-YAML fast path + validators compiled in memory', runChild('fast', streamFile)],
        ['baseline: js-yaml loadAll (CORE_SCHEMA)', runChild('js-yaml', streamFile)],
        ['baseline: yaml package parser', runChild('yaml-parser', streamFile)],
      ];
      const [fast, jsYaml, yamlParser] = rows.map(([, r]) => r);
      for (const [name, r] of rows)
        if (r.invalid !== 0) throw new Error(`${name}: ${r.invalid} resources did not validate`);
      const table: BenchTable = {
        title: `Schema validation: ${resources.toLocaleString('en')} rendered resources (Deployments and Services), one child process each`,
        columns: [
          'run',
          'parse ms',
          'compile + validate ms',
          'validate again ms',
          'total ms (incl. startup of the stage)',
          'peak RSS MB',
        ],
        rows: rows.map(([name, r]) => [
          name,
          round(r.parseMs),
          round(r.validateMs),
          round(r.revalidateMs),
          round(r.totalMs),
          round(r.maxRssMb),
        ]),
        notes: [
          `target: total under 1000 ms and peak memory under 400 MB for 10,000 resources (kubeconform v0.7.0 -strict: about 1800 ms here)`,
          `parse: the fast path is ${(jsYaml.parseMs / fast.parseMs).toFixed(1)}x faster than js-yaml and ${(yamlParser.parseMs / fast.parseMs).toFixed(1)}x faster than the yaml package`,
          `compile: ${round(fast.validateMs - fast.revalidateMs)} ms of the first pass is compiling (the first pass is ${(fast.validateMs / Math.max(1, fast.revalidateMs)).toFixed(1)}x the second)`,
          ...(quick
            ? []
            : [
                `total with the pipeline's choices: ${round(fast.totalMs)} ms = ${(fast.totalMs / 1800).toFixed(2)}x kubeconform's 1.8 s (measured on an idle machine)`,
              ]),
          `load average during the run: ${os
            .loadavg()
            .map((n) => n.toFixed(1))
            .join(', ')} on ${os.availableParallelism()} cores (a busy machine inflates every row alike)`,
        ],
      };
      return [table];
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
};

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url && process.argv[2] === '--child') {
  await child(process.argv[3] as Mode, process.argv[4]);
}

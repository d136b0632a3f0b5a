// Rendering benchmark: synthetic repositories of N services x 3 environments (base + overlays).
// Side by side in one run: the naive way (one `kustomize build` after another, then parse and
// check) and the pipeline cold (no cache), warm (cache) and --changed-since with one overlay changed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRules } from '../check/engine.ts';
import { builtinRules } from '../check/registry.ts';
import { parseRenderedYaml } from '../manifest/rendered.ts';
import { describeKustomize, resolveKustomize, type Kustomize } from '../render/index.ts';
import { runKustomize } from '../render/kustomize.ts';
import { runProgram } from '../safe/run.ts';
import type { App, RepoContext, Resource } from '../types.ts';
import { validateRepository } from '../validate/index.ts';
import type { BenchSection } from './sections.ts';
import { msSince, type BenchTable } from './table.ts';

const ENVS = ['dev', 'staging', 'prod'];

function write(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

/** A repository like the generator's: base/<svc>/ and overlays/<env>/<svc>/ with a patch and an image tag. */
export function syntheticRepository(services: number): string {
  const root = mkdtempSync(join(tmpdir(), 'gitops-bench-render-'));
  for (let i = 0; i < services; i++) {
    const name = `svc-${String(i).padStart(3, '0')}`;
    write(
      join(root, 'base', name, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nlabels:\n  - pairs:\n      app.kubernetes.io/name: ${name}\n    includeSelectors: true\nresources:\n  - deployment.yaml\n  - service.yaml\n  - pdb.yaml\nconfigMapGenerator:\n  - name: ${name}-config\n    literals:\n      - LOG_LEVEL=info\n`,
    );
    write(
      join(root, 'base', name, 'deployment.yaml'),
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
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
      securityContext:
        runAsNonRoot: true
      terminationGracePeriodSeconds: 30
      containers:
        - name: app
          image: registry.example.com/${name}:1.0.0
          ports:
            - name: http
              containerPort: 8080
          envFrom:
            - configMapRef:
                name: ${name}-config
          readinessProbe:
            httpGet: { path: /ready, port: http }
          livenessProbe:
            httpGet: { path: /live, port: http }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
`,
    );
    write(
      join(root, 'base', name, 'service.yaml'),
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n`,
    );
    write(
      join(root, 'base', name, 'pdb.yaml'),
      `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: ${name}\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: ${name}\n`,
    );
    ENVS.forEach((env, e) => {
      write(
        join(root, 'overlays', env, name, 'kustomization.yaml'),
        `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop-${env}\nresources:\n  - ../../../base/${name}\npatches:\n  - path: deployment-patch.yaml\nimages:\n  - name: registry.example.com/${name}\n    newTag: 1.0.${e}\n`,
      );
      write(
        join(root, 'overlays', env, name, 'deployment-patch.yaml'),
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${e + 2}\n  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            limits: { cpu: "${e + 1}", memory: 512Mi }\n`,
      );
    });
  }
  return root;
}

/** One `kustomize build` per app, one after another, then parse and run the same checks. */
async function naive(root: string, services: number, kustomize: Kustomize): Promise<number> {
  const started = performance.now();
  const apps: App[] = [];
  for (const env of ENVS) {
    for (let i = 0; i < services; i++) {
      const id = `overlays/${env}/svc-${String(i).padStart(3, '0')}`;
      const built = await runKustomize(kustomize, join(root, id));
      if (built.code !== 0) throw new Error(`naive build of ${id} failed: ${built.stderr}`);
      const resources: Resource[] = parseRenderedYaml(built.stdout).map((object) => ({
        object,
        origin: { app: id, env, file: `${id}/kustomization.yaml` },
        locate: () => ({ file: `${id}/kustomization.yaml` }),
      }));
      apps.push({ id, kind: 'kustomization', env, resources });
    }
  }
  const ctx: RepoContext = { root, kubernetesVersion: '1.32', apps, environments: ENVS, kustomizations: [] };
  await runRules(ctx, { rules: builtinRules });
  return msSince(started);
}

/** git on the bench's own synthetic repository (it writes one; scripts/safe/git.ts only reads). */
async function git(root: string, ...args: string[]): Promise<void> {
  const result = await runProgram(
    'git',
    ['-C', root, '-c', 'user.email=bench@example.com', '-c', 'user.name=bench', ...args],
    {
      env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
      isolateNetwork: false,
    },
  );
  if (result.code !== 0) throw new Error(`git ${args[0]} failed: ${result.stderr}`);
}

const ratio = (baseline: number, ours: number) => (ours > 0 ? `${(baseline / ours).toFixed(1)}x` : '-');

export const section: BenchSection = {
  name: 'render',
  async run({ quick }) {
    const kustomize = await resolveKustomize();
    const sizes = quick ? [10] : [10, 100, 300];
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    for (const services of sizes) {
      const root = syntheticRepository(services);
      const cacheDir = mkdtempSync(join(tmpdir(), 'gitops-bench-cache-'));
      try {
        await git(root, 'init', '-q');
        await git(root, 'add', '.');
        await git(root, 'commit', '-qm', 'synthetic');
        const naiveMs = await naive(root, services, kustomize);

        let started = performance.now();
        const cold = await validateRepository(root, { cacheDir });
        const coldMs = msSince(started);
        started = performance.now();
        const warm = await validateRepository(root, { cacheDir });
        const warmMs = msSince(started);
        if (warm.load.stats.rendered !== 0)
          notes.push(`${services} services: warm run rendered ${warm.load.stats.rendered} apps (expected 0)`);

        write(
          join(root, 'overlays', 'staging', 'svc-000', 'deployment-patch.yaml'),
          `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-000\nspec:\n  replicas: 7\n`,
        );
        started = performance.now();
        const changed = await validateRepository(root, { cache: false, changedSince: 'HEAD' });
        const changedMs = msSince(started);
        rows.push([
          `${services} x 3 = ${services * 3}`,
          naiveMs,
          coldMs,
          ratio(naiveMs, coldMs),
          warmMs,
          ratio(naiveMs, warmMs),
          changedMs,
          `${changed.ctx.apps.length} app`,
          `${cold.load.stats.invocations}`,
        ]);
      } finally {
        rmSync(root, { recursive: true, force: true });
        rmSync(cacheDir, { recursive: true, force: true });
      }
    }
    const table: BenchTable = {
      title: `render: naive (one kustomize build after another, then parse and check) vs the pipeline — ${describeKustomize(kustomize)}`,
      columns: [
        'apps',
        'naive ms',
        'cold ms',
        'cold vs naive',
        'warm ms',
        'warm vs naive',
        'changed-since ms',
        'checked',
        'kustomize runs (cold)',
      ],
      rows,
      notes: [
        'targets: cold >= 1.8x faster than naive, warm >= 20x, one changed overlay in a 300-app repository under 1 s',
        'cold/warm/changed-since = validateRepository (discover, render, parse, all checks, filter) in this process',
        ...notes,
      ],
    };
    return [table];
  },
};

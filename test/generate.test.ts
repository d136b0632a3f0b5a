// The generator's writing rules: idempotent and deterministic output, --check with a diff, ownership
// (people's overlays and un-headed files survive), stale owned files removed.
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../scripts/cli/main.ts';
import { loadConfigFile } from '../scripts/config/index.ts';
import { generate, isOwned, OWNED_HEADER, planRepository } from '../scripts/generate/index.ts';
import { parseRenderedYaml } from '../scripts/manifest/rendered.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const fixtures = resolve(import.meta.dirname, 'fixtures', 'generate');
const temp = mkdtempSync(join(tmpdir(), 'gitops-generate-'));
after(() => rmSync(temp, { recursive: true, force: true }));

function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative))) {
      const path = relative ? `${relative}/${entry}` : entry;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else files.set(path, readFileSync(join(root, path), 'utf8'));
    }
  };
  walk('');
  return files;
}

/** A fresh copy of a fixture config in its own folder, so the output lands next to it. */
function workspace(name: string, config = join(fixtures, 'small.yaml')): string {
  const dir = mkdtempSync(join(temp, `${name}-`));
  copyFileSync(config, join(dir, 'gitops.yaml'));
  return dir;
}

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { log: console.log, error: console.error };
  console.log = (...parts: unknown[]) => out.push(parts.join(' '));
  console.error = (...parts: unknown[]) => err.push(parts.join(' '));
  try {
    return { code: await main(args), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    console.log = saved.log;
    console.error = saved.error;
  }
}

test('the built-in example: a second run changes nothing, byte for byte, and two outputs are identical', () => {
  const first = mkdtempSync(join(temp, 'idem-a-'));
  const second = mkdtempSync(join(temp, 'idem-b-'));
  const configFile = join(repoRoot, 'gitops.yaml');
  const created = generate(configFile, first);
  assert.ok(created.changed.length > 100, 'the example is a whole repository');
  const before = snapshot(first);
  const rerun = generate(configFile, first);
  assert.equal(rerun.changed.length, 0);
  assert.deepEqual(snapshot(first), before);
  generate(configFile, second);
  assert.deepEqual(snapshot(second), before, 'deterministic: the same input gives the same files');
});

test('the committed base/, overlays/ and argocd/ are what gitops.yaml generates (--check exits 0)', async () => {
  const { code, stdout } = await runCli(['generate', '--check', '--config', join(repoRoot, 'gitops.yaml')]);
  assert.equal(code, 0, stdout);
});

test('--check: clean exits 0; a tampered owned file exits 1 with a unified diff and is not rewritten', async () => {
  const dir = workspace('check');
  const config = join(dir, 'gitops.yaml');
  assert.equal((await runCli(['generate', '--config', config])).code, 0);
  assert.equal((await runCli(['generate', '--check', '--config', config])).code, 0);

  const owned = join(dir, 'base', 'web', 'deployment.yaml');
  const tampered = readFileSync(owned, 'utf8').replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: 50');
  writeFileSync(owned, tampered);
  const { code, stdout } = await runCli(['generate', '--check', '--config', config]);
  assert.equal(code, 1);
  assert.match(stdout, /^--- a\/base\/web\/deployment\.yaml$/m);
  assert.match(stdout, /^\+\+\+ b\/base\/web\/deployment\.yaml$/m);
  assert.match(stdout, /^- {2}revisionHistoryLimit: 50$/m);
  assert.match(stdout, /^\+ {2}revisionHistoryLimit: 5$/m);
  assert.match(stdout, /^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
  assert.equal(readFileSync(owned, 'utf8'), tampered, '--check writes nothing');

  assert.equal((await runCli(['generate', '--config', config])).code, 0);
  assert.notEqual(readFileSync(owned, 'utf8'), tampered, 'a normal run restores the owned file');
});

test('ownership: an edited overlay survives regeneration; a deleted one is scaffolded again', () => {
  const dir = workspace('overlay');
  const config = join(dir, 'gitops.yaml');
  generate(config, dir);
  const overlay = join(dir, 'overlays', 'prod', 'web', 'kustomization.yaml');
  const edited = `${readFileSync(overlay, 'utf8')}# reviewed in PR 42\n`.replace('newTag: 1.0.0', 'newTag: 1.0.7');
  writeFileSync(overlay, edited);
  const result = generate(config, dir);
  assert.equal(readFileSync(overlay, 'utf8'), edited);
  assert.equal(result.changed.length, 0);

  rmSync(join(dir, 'overlays', 'prod', 'web', 'hpa.yaml'));
  generate(config, dir);
  assert.ok(existsSync(join(dir, 'overlays', 'prod', 'web', 'hpa.yaml')), 'missing scaffolding is created');
});

test('ownership: a file without the header at an owned path is not overwritten, and is reported', async () => {
  const dir = workspace('unheaded');
  const config = join(dir, 'gitops.yaml');
  generate(config, dir);
  const path = join(dir, 'base', 'web', 'service.yaml');
  const personal = readFileSync(path, 'utf8')
    .replace(/^# Generated by.*\n/, '# Taken over by the platform team.\n')
    .replace('type: ClusterIP', 'type: NodePort');
  writeFileSync(path, personal);
  const { code, stderr } = await runCli(['generate', '--config', config]);
  assert.equal(code, 0);
  assert.equal(readFileSync(path, 'utf8'), personal);
  assert.match(stderr, /base\/web\/service\.yaml: left alone: it has no "Generated by gitops generate" header/);
});

test('stale owned files of a removed service are deleted; its people-owned overlays are kept', () => {
  const dir = workspace('stale');
  const config = join(dir, 'gitops.yaml');
  generate(config, dir);
  assert.ok(existsSync(join(dir, 'base', 'worker')));
  writeFileSync(config, readFileSync(join(fixtures, 'small-without-worker.yaml'), 'utf8'));
  const result = generate(config, dir);
  assert.ok(result.changed.some((file) => file.action === 'remove' && file.path === 'base/worker/deployment.yaml'));
  assert.equal(existsSync(join(dir, 'base', 'worker')), false, 'the empty base folder goes too');
  assert.ok(
    existsSync(join(dir, 'overlays', 'dev', 'worker', 'kustomization.yaml')),
    'people own overlays: never deleted',
  );
  assert.doesNotMatch(readFileSync(join(dir, 'argocd', 'applicationset-dev.yaml'), 'utf8'), /overlays\/dev\/worker/);
});

test('every owned file carries the header; every scaffold does not', () => {
  const plan = planRepository(loadConfigFile(join(repoRoot, 'gitops.yaml')));
  for (const file of plan) {
    assert.equal(isOwned(file.content), file.ownership === 'owned', file.path);
    if (file.ownership === 'owned') assert.ok(file.content.startsWith(OWNED_HEADER), file.path);
  }
});

test('the built-in example follows the standard: no replicas under an HPA, no Secret, every container limited and locked down', () => {
  const plan = planRepository(loadConfigFile(join(repoRoot, 'gitops.yaml')));
  const objects = plan
    .filter((file) => file.path.startsWith('base/') && !file.path.endsWith('kustomization.yaml'))
    .flatMap((file) => parseRenderedYaml(file.content));
  const kinds = new Set(objects.map((object) => object.kind));
  for (const kind of [
    'Deployment',
    'StatefulSet',
    'HorizontalPodAutoscaler',
    'PodDisruptionBudget',
    'ExternalSecret',
    'ServiceMonitor',
    'Ingress',
    'NetworkPolicy',
    'ServiceAccount',
  ]) {
    assert.ok(kinds.has(kind), `generates a ${kind}`);
  }
  assert.equal(kinds.has('Secret'), false);
  const hpaTargets = new Set(
    objects
      .filter((object) => object.kind === 'HorizontalPodAutoscaler')
      .map((object) => (object.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name),
  );
  for (const workload of objects.filter((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet')) {
    const spec = workload.spec as {
      replicas?: number;
      template: {
        spec: {
          containers: {
            name: string;
            image: string;
            resources: { requests: { cpu?: string }; limits: { memory?: string } };
            securityContext: { capabilities: { drop: string[] }; readOnlyRootFilesystem: boolean };
            livenessProbe: unknown;
            readinessProbe: unknown;
            lifecycle: { preStop: { sleep: { seconds: number } } };
          }[];
          automountServiceAccountToken: boolean;
          terminationGracePeriodSeconds: number;
        };
      };
    };
    const name = workload.metadata?.name as string;
    assert.equal(hpaTargets.has(name), spec.replicas === undefined, `${name}: replicas only where no HPA`);
    assert.equal(spec.template.spec.automountServiceAccountToken, false);
    for (const container of spec.template.spec.containers) {
      assert.ok(
        container.resources.requests.cpu && container.resources.limits.memory,
        `${name}/${container.name} resources`,
      );
      assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
      assert.equal(container.securityContext.readOnlyRootFilesystem, true);
      assert.notDeepEqual(container.livenessProbe, container.readinessProbe, `${name}/${container.name} probes differ`);
      assert.ok(container.lifecycle.preStop.sleep.seconds < spec.template.spec.terminationGracePeriodSeconds);
      assert.doesNotMatch(container.image, /:latest$/);
    }
  }
});

test('the oms example declares 17 channel consumers, 10 APIs and 3 web front ends without repetition', () => {
  const file = join(repoRoot, 'examples', 'oms', 'gitops.yaml');
  const config = loadConfigFile(file);
  const count = (namespace: string) => config.services.filter((service) => service.namespace === namespace).length;
  assert.equal(count('oms-channels'), 17);
  assert.equal(count('oms-api'), 10);
  assert.equal(count('oms-web'), 3);
  assert.ok(
    config.services
      .filter((service) => service.namespace === 'oms-channels')
      .every((service) => service.workload === 'Worker'),
  );
  const lines = readFileSync(file, 'utf8').split('\n').length;
  assert.ok(lines < 200, `a few lines per service, not copies (${lines} lines for ${config.services.length} services)`);
});

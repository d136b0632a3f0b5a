// The generator's writing rules: idempotent and deterministic output, --check with a diff, ownership
// (people's overlays and un-headed files survive), stale owned files removed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../cli-helpers.ts';
import { loadConfigFile } from '../../scripts/config/index.ts';
import {
  generate,
  isOwned,
  LOCK_FILE,
  MANIFEST_FILE,
  OWNED_HEADER,
  planRepository,
} from '../../scripts/generate/index.ts';
import { parseRenderedYaml } from '../../scripts/manifest/rendered.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const fixtures = resolve(import.meta.dirname, '..', 'fixtures', 'generate');
const temp = mkdtempSync(join(tmpdir(), 'gitops-generate-'));
after(() => rmSync(temp, { recursive: true, force: true }));

function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative))) {
      const path = relative ? `${relative}/${entry}` : entry;
      const stat = lstatSync(join(root, path));
      if (stat.isDirectory()) walk(path);
      else if (stat.isSymbolicLink()) files.set(path, `-> ${readlinkSync(join(root, path))}`);
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
  const edited = `${readFileSync(overlay, 'utf8')}# reviewed in PR 42\ncommonAnnotations:\n  team: web\n`;
  writeFileSync(overlay, edited);
  const result = generate(config, dir);
  assert.equal(readFileSync(overlay, 'utf8'), edited);
  assert.equal(result.changed.length, 0);
  assert.deepEqual(result.overrides, [], 'an annotation is not a value gitops.yaml owns');

  rmSync(overlay);
  rmSync(join(dir, 'overlays', 'prod', 'web', 'generated', 'hpa.yaml'));
  generate(config, dir);
  assert.ok(existsSync(overlay), 'missing scaffolding is created');
  assert.ok(existsSync(join(dir, 'overlays', 'prod', 'web', 'generated', 'hpa.yaml')), 'and missing owned files');
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

test('a removed service: its owned files go; its overlays go only when untouched, else are reported until --prune', async () => {
  const dir = workspace('stale');
  const config = join(dir, 'gitops.yaml');
  generate(config, dir);
  assert.ok(existsSync(join(dir, 'base', 'worker')));
  const edited = join(dir, 'overlays', 'prod', 'worker', 'kustomization.yaml');
  writeFileSync(edited, `${readFileSync(edited, 'utf8')}# reviewed by the on-call team\n`);
  writeFileSync(config, readFileSync(join(fixtures, 'small-without-worker.yaml'), 'utf8'));

  const check = await runCli(['generate', '--check', '--config', config]);
  assert.equal(check.code, 1, '--check fails while a removed service overlay is left');
  assert.match(
    check.stderr,
    /overlays\/prod\/worker\/: its service no longer runs in this environment .* people changed overlays\/prod\/worker\/kustomization\.yaml: kept\. Run `gitops generate --prune`/,
  );

  const result = generate(config, dir);
  assert.ok(result.changed.some((file) => file.action === 'remove' && file.path === 'base/worker/deployment.yaml'));
  assert.equal(existsSync(join(dir, 'base', 'worker')), false, 'the empty base folder goes too');
  assert.equal(
    existsSync(join(dir, 'overlays', 'dev', 'worker')),
    false,
    "an untouched overlay is the generator's: removed",
  );
  assert.ok(existsSync(edited), 'an overlay a person changed is kept');
  assert.deepEqual(
    result.leftovers.map((leftover) => leftover.folder),
    ['overlays/prod/worker'],
  );
  assert.doesNotMatch(readFileSync(join(dir, 'argocd', 'applicationset-dev.yaml'), 'utf8'), /overlays\/dev\/worker/);

  const pruned = await runCli(['generate', '--prune', '--config', config]);
  assert.equal(pruned.code, 0);
  assert.match(pruned.stdout, /^remove overlays\/prod\/worker\/kustomization\.yaml$/m, 'prune says what it removes');
  assert.equal(existsSync(join(dir, 'overlays', 'prod', 'worker')), false);
  assert.equal((await runCli(['generate', '--check', '--config', config])).code, 0);
});

test('a removed service in a repository generated before the record: its overlays are reported, not silently kept', async () => {
  const dir = workspace('legacy-removed');
  const config = join(dir, 'gitops.yaml');
  generate(config, dir);
  rmSync(join(dir, MANIFEST_FILE));
  writeFileSync(config, readFileSync(join(fixtures, 'small-without-worker.yaml'), 'utf8'));
  const { code, stderr } = await runCli(['generate', '--check', '--config', config]);
  assert.equal(code, 1);
  assert.match(stderr, /overlays\/dev\/worker\/: its service no longer runs in this environment/);
  assert.equal((await runCli(['generate', '--prune', '--config', config])).code, 0);
  assert.equal(existsSync(join(dir, 'overlays', 'dev', 'worker')), false);
});

test('--check into a folder that does not exist creates nothing', async () => {
  const out = join(temp, 'never-created');
  const { code } = await runCli(['generate', '--check', '--config', join(fixtures, 'small.yaml'), '--out', out]);
  assert.equal(code, 1);
  assert.equal(existsSync(out), false);
});

test('a same-config run never removes a file the generator did not write, even one carrying its header', async () => {
  const dir = workspace('copied');
  const config = join(dir, 'gitops.yaml');
  generate(config, dir);
  const base = readFileSync(join(dir, 'base', 'web', 'deployment.yaml'), 'utf8');
  // A person copies a generated base file into their overlay, and a folder of them.
  const copies = [
    join(dir, 'overlays', 'prod', 'web', 'deployment.yaml'),
    join(dir, 'overlays', 'prod', 'web', 'extra', 'deployment.yaml'),
    join(dir, 'base', 'web', 'notes', 'copy.yaml'),
  ];
  for (const copy of copies) {
    mkdirSync(dirname(copy), { recursive: true });
    writeFileSync(copy, base);
  }
  const { code, stderr } = await runCli(['generate', '--config', config]);
  assert.equal(code, 0);
  for (const copy of copies) assert.equal(readFileSync(copy, 'utf8'), base, `${copy} is kept`);
  assert.match(
    stderr,
    /overlays\/prod\/web\/deployment\.yaml: left alone: it carries the generator's header, but \.gitops-generated\.json has no record/,
  );
  // A record edited to claim files outside the generated roots is ignored, never acted on.
  writeFileSync(join(temp, 'outside.yaml'), `${OWNED_HEADER}\n`);
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { owned: string[] };
  manifest.owned.push('gitops.yaml', '../outside.yaml', 'base/../../outside.yaml', '/etc/hostname');
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  writeFileSync(join(dir, 'gitops.yaml'), `${OWNED_HEADER}\n${readFileSync(config, 'utf8')}`);
  assert.equal((await runCli(['generate', '--config', config])).code, 0);
  assert.ok(existsSync(config));
  assert.ok(existsSync(join(temp, 'outside.yaml')));
});

test('an owned folder that is a symbolic link out of --out: exit 2, nothing written or removed there', async () => {
  const dir = workspace('symlink');
  const config = join(dir, 'gitops.yaml');
  generate(config, dir);
  const outside = mkdtempSync(join(temp, 'outside-'));
  writeFileSync(join(outside, 'deployment.yaml'), `${OWNED_HEADER}\nkind: Deployment\n`);
  writeFileSync(join(outside, 'hpa.yaml'), 'kind: HorizontalPodAutoscaler\n');
  rmSync(join(dir, 'base', 'web'), { recursive: true });
  symlinkSync(outside, join(dir, 'base', 'web'));
  const before = snapshot(outside);
  for (const args of [[], ['--check']]) {
    const { code, stderr } = await runCli(['generate', ...args, '--config', config]);
    assert.equal(code, 2, stderr);
    assert.match(
      stderr,
      /base\/web: is a symbolic link \(to .*\)\. The generator writes only real files and folders inside --out/,
    );
  }
  assert.deepEqual(snapshot(outside), before, 'the folder the link points to is untouched');
  assert.equal(readFileSync(join(dir, 'overlays', 'dev', 'web', 'kustomization.yaml'), 'utf8').length > 0, true);
});

test("temp files of a killed run are removed; a dead run's lock is taken over", async () => {
  const dir = workspace('temp');
  const config = join(dir, 'gitops.yaml');
  generate(config, dir);
  const dead = 2 ** 22 + 12345; // above pid_max on Linux by default: no such process
  const leftover = join(dir, 'base', 'web', `deployment.yaml.tmp-${dead}`);
  writeFileSync(leftover, '');
  const unrelated = join(dir, 'base', 'web', `notes.txt.tmp-${dead}`);
  writeFileSync(unrelated, "a person's file that merely looks like a temp name");
  writeFileSync(join(dir, LOCK_FILE), `${dead}\n`);
  const { code, stderr } = await runCli(['generate', '--config', config]);
  assert.equal(code, 0, stderr);
  assert.equal(existsSync(leftover), false);
  assert.match(stderr, /deployment\.yaml\.tmp-\d+: removed, a temp file left by an interrupted run/);
  assert.ok(existsSync(unrelated), 'only temp names of files the generator writes');
  assert.equal(existsSync(join(dir, LOCK_FILE)), false, 'the lock is released');
});

test('two concurrent generates of one output both succeed and leave the full output', async () => {
  const dir = workspace('concurrent');
  const config = join(dir, 'gitops.yaml');
  const bin = join(repoRoot, 'bin', 'gitops.js');
  const runs = await Promise.all(
    [0, 1, 2].map(
      () =>
        new Promise<{ code: number | null; stderr: string }>((done) => {
          const child = spawn(process.execPath, [bin, 'generate', '--quiet', '--config', config], { cwd: dir });
          let stderr = '';
          child.stderr.on('data', (chunk) => (stderr += chunk));
          child.on('close', (code) => done({ code, stderr }));
        }),
    ),
  );
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  assert.equal((await runCli(['generate', '--check', '--config', config])).code, 0);
  assert.deepEqual(
    [...snapshot(dir).keys()].filter((path) => /\.tmp-\d+$|\.lock$/.test(path)),
    [],
    'no temp file or lock is left',
  );
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
            lifecycle: { preStop: { sleep?: { seconds: number }; httpGet?: unknown; exec?: unknown } };
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
      const { sleep, httpGet, exec } = container.lifecycle.preStop;
      assert.ok(sleep || httpGet || exec, `${name}/${container.name} has a preStop hook`);
      if (sleep) assert.ok(sleep.seconds < spec.template.spec.terminationGracePeriodSeconds);
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
  assert.ok(
    lines < config.services.length * 8,
    `a few lines per service, not copies (${lines} lines for ${config.services.length} services)`,
  );
});

// One owner per per-environment value: gitops.yaml declares it, the overlay's generated/ layer carries it
// to what Argo CD renders, and a people's overlay that sets it again is reported (file, line, what to
// run) and fails --check, instead of silently winning.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../cli-helpers.ts';
import { generate } from '../../scripts/generate/index.ts';
import { parseRenderedYaml } from '../../scripts/manifest/rendered.ts';

const fixtures = resolve(import.meta.dirname, '..', 'fixtures', 'generate');
const temp = mkdtempSync(join(tmpdir(), 'gitops-ownership-'));
after(() => rmSync(temp, { recursive: true, force: true }));
const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0;

function workspace(name: string): { dir: string; config: string } {
  const dir = mkdtempSync(join(temp, `${name}-`));
  copyFileSync(join(fixtures, 'small.yaml'), join(dir, 'gitops.yaml'));
  return { dir, config: join(dir, 'gitops.yaml') };
}

function renderedImage(dir: string, env: string, service: string): string {
  const objects = parseRenderedYaml(
    execFileSync('kubectl', ['kustomize', join(dir, 'overlays', env, service)], { encoding: 'utf8' }),
  );
  const workload = objects.find((object) => object.kind === 'Deployment' && object.metadata?.name === service);
  return (workload?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]
    .image;
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

test(
  'gitops.yaml keeps driving every environment after the first generate: tag changes reach the rendered overlays',
  { skip: kubectlMissing && 'kubectl is not installed' },
  () => {
    const { dir, config } = workspace('tags');
    generate(config, dir);
    assert.equal(renderedImage(dir, 'prod', 'web'), 'ghcr.io/example/web:1.0.0');

    const text = readFileSync(config, 'utf8');
    // A prod-only tag, then a new tag for every other environment.
    writeFileSync(
      config,
      text
        .replace(
          'ingress: { host: web.example.com',
          'overrides: { prod: { imageTag: 1.0.9 } }\n    ingress: { host: web.example.com',
        )
        .replace('repository: ghcr.io/example/web, tag: 1.0.0', 'repository: ghcr.io/example/web, tag: 1.1.0'),
    );
    const result = generate(config, dir);
    assert.deepEqual(result.overrides, []);
    assert.equal(renderedImage(dir, 'prod', 'web'), 'ghcr.io/example/web:1.0.9');
    assert.equal(renderedImage(dir, 'dev', 'web'), 'ghcr.io/example/web:1.1.0');
  },
);

test('a people overlay setting values gitops.yaml owns: each reported with file, line and what to run; --check fails', async () => {
  const { dir, config } = workspace('overrides');
  generate(config, dir);
  const folder = join(dir, 'overlays', 'prod', 'web');
  const kustomization = `${readFileSync(join(folder, 'kustomization.yaml'), 'utf8')}# hotfix, PR 311
images:
  - name: ghcr.io/example/web
    newTag: 1.0.7 # pinned during the incident
configMapGenerator:
  - name: web-config
    behavior: merge
    literals:
      - EXTRA=fine # not declared by gitops.yaml: the overlay's own
      - GREETING=hi
patches:
  - path: more-memory.yaml
  - target: { kind: HorizontalPodAutoscaler, name: web }
    patch: |-
      - op: replace
        path: /spec/minReplicas
        value: 5
`;
  writeFileSync(join(folder, 'kustomization.yaml'), kustomization);
  const patch = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          resources:
            limits: { memory: 1Gi }
`;
  writeFileSync(join(folder, 'more-memory.yaml'), patch);

  const check = await runCli(['generate', '--check', '--config', config]);
  assert.equal(check.code, 1);
  const at = (file: string, line: number) => new RegExp(`${file.replace(/[./]/g, '\\$&')}:${line}:\\d+: `, 'm');
  const file = 'overlays/prod/web/kustomization.yaml';
  assert.match(check.stderr, at(file, lineOf(kustomization, '- name: ghcr.io/example/web')));
  assert.match(
    check.stderr,
    /sets the image ghcr\.io\/example\/web to 1\.0\.7, which gitops\.yaml owns .* Remove this entry and run `gitops set-image web 1\.0\.7 --env prod`/,
  );
  assert.match(check.stderr, at(file, lineOf(kustomization, 'GREETING=hi')));
  assert.match(
    check.stderr,
    /sets config GREETING, which gitops\.yaml declares for web\. Set services "web" overrides\.prod\.config\.GREETING/,
  );
  assert.doesNotMatch(check.stderr, /config EXTRA/);
  assert.match(check.stderr, at(file, lineOf(kustomization, '- target: { kind: HorizontalPodAutoscaler')));
  assert.match(check.stderr, /sets the replicas of web, which gitops\.yaml owns \(min 2, max 4 in prod\)/);
  assert.match(check.stderr, at('overlays/prod/web/more-memory.yaml', lineOf(patch, 'resources:')));
  assert.match(
    check.stderr,
    /sets resources of web, which gitops\.yaml owns\. Set services "web" overrides\.prod\.resources/,
  );
  assert.match(check.stderr, /4 overlay value\(s\) override what gitops\.yaml declares/);

  const run = await runCli(['generate', '--config', config]);
  assert.equal(run.code, 0, 'generate itself reports and carries on');
  assert.match(run.stderr, /sets the image ghcr\.io\/example\/web to 1\.0\.7/);
  assert.equal(readFileSync(join(folder, 'kustomization.yaml'), 'utf8'), kustomization, 'never rewritten');
});

test('an overlay scaffolded before generated/ existed: reported as not reached by gitops.yaml', async () => {
  const { dir, config } = workspace('legacy');
  generate(config, dir);
  const legacy = `# Scaffolded once by gitops generate. This file is yours: the generator never changes or deletes it.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../base/web
images:
  - name: ghcr.io/example/web
    newTag: 1.0.0
`;
  writeFileSync(join(dir, 'overlays', 'dev', 'web', 'kustomization.yaml'), legacy);
  const { code, stderr } = await runCli(['generate', '--check', '--config', config]);
  assert.equal(code, 1);
  assert.match(
    stderr,
    /overlays\/dev\/web\/kustomization\.yaml:4:1: does not include generated\/, so what gitops\.yaml declares for web in dev does not reach this overlay/,
  );
  assert.match(stderr, /overlays\/dev\/web\/kustomization\.yaml:5:\d+: includes the base of web directly/);
  assert.match(
    stderr,
    /overlays\/dev\/web\/kustomization\.yaml:7:\d+: sets the image ghcr\.io\/example\/web to 1\.0\.0/,
  );
});

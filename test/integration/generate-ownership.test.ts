// One owner per per-environment value: gitops.yaml declares it, the overlay's generated/ layer carries it
// to what Argo CD renders, and a people's overlay that sets it again is reported (file, line, what to
// run) and fails --check, instead of silently winning.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

function rendered(dir: string, env: string, service: string): Record<string, unknown>[] {
  return parseRenderedYaml(
    execFileSync('kubectl', ['kustomize', join(dir, 'overlays', env, service)], { encoding: 'utf8' }),
  ) as Record<string, unknown>[];
}

function ofKind(objects: Record<string, unknown>[], kind: string, name: string): Record<string, unknown> {
  const found = objects.find(
    (object) => object.kind === kind && (object.metadata as { name?: string } | undefined)?.name === name,
  );
  assert.ok(found, `${kind} ${name} is rendered`);
  return found;
}

test(
  "gitops.yaml keeps driving after the first generate: an environment and a service added then removed, values changed, a person's file never touched",
  { skip: kubectlMissing && 'kubectl is not installed' },
  () => {
    const { dir, config } = workspace('lifecycle');
    const first = readFileSync(config, 'utf8');
    generate(config, dir);
    // A person's edit to their overlay: a comment and a label of their own (not a value gitops.yaml owns).
    const peoples = join(dir, 'overlays', 'prod', 'web', 'kustomization.yaml');
    const edited = `${readFileSync(peoples, 'utf8')}# reviewed by the platform team\nlabels:\n  - pairs: { team: shop }\n`;
    writeFileSync(peoples, edited);

    const staging = `  - name: staging
    cluster: { name: staging, server: https://staging.example.com }
    syncPolicy: { automated: true, prune: true, selfHeal: true }
    defaults: { replicas: { min: 1, max: 3 } }
    secretStore: { name: vault-staging, vault: { server: https://vault.staging.example.com, path: secret, role: demo-staging } }
`;
    const api = `  - name: api
    namespace: apps
    image: { repository: ghcr.io/example/api, tag: 2.0.0 }
    ports: [{ name: http, port: 8080 }]
    probes:
      liveness: { http: { path: /live, port: http } }
      readiness: { http: { path: /ready, port: http } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 200m, memory: 256Mi }
`;
    const grown = first
      .replace('  - name: prod\n', `${staging}  - name: prod\n`)
      .replace('services:\n', `services:\n${api}`)
      .replace('config: { GREETING: hello }', 'config: { GREETING: bonjour }')
      .replace(
        'ingress: { host: web.example.com',
        'overrides: { prod: { replicas: { min: 3, max: 6 }, resources: { requests: { cpu: 150m, memory: 128Mi }, limits: { cpu: 300m, memory: 512Mi } } } }\n    ingress: { host: web.example.com',
      );
    assert.notEqual(grown, first);
    writeFileSync(config, grown);
    const second = generate(config, dir);
    assert.deepEqual(second.overrides, []);
    assert.deepEqual(second.notOwned, []);

    // The new environment and the new service render, in every environment.
    for (const env of ['dev', 'staging', 'prod']) {
      const objects = rendered(dir, env, 'api');
      const image = (
        ofKind(objects, 'Deployment', 'api').spec as { template: { spec: { containers: { image: string }[] } } }
      ).template.spec.containers[0].image;
      assert.equal(image, 'ghcr.io/example/api:2.0.0', `${env}: the added service`);
    }
    assert.equal(renderedImage(dir, 'staging', 'web'), 'ghcr.io/example/web:1.0.0');
    assert.ok(existsSync(join(dir, 'argocd')), 'argocd/ is generated');
    assert.match(
      readdirSync(join(dir, 'argocd'), { recursive: true }).map(String).join('\n'),
      /staging/,
      'argocd/ has the staging environment',
    );
    // Changed values reach what Argo CD renders: config everywhere, replicas and resources in prod only.
    const prod = rendered(dir, 'prod', 'web');
    const configMap = (objects: Record<string, unknown>[]) =>
      objects.find((object) => object.kind === 'ConfigMap' && JSON.stringify(object).includes('GREETING')) as
        { data: Record<string, string> } | undefined;
    assert.equal(configMap(prod)?.data.GREETING, 'bonjour');
    assert.equal(configMap(rendered(dir, 'dev', 'web'))?.data.GREETING, 'bonjour');
    assert.equal((ofKind(prod, 'HorizontalPodAutoscaler', 'web').spec as { minReplicas: number }).minReplicas, 3);
    assert.equal(
      (ofKind(rendered(dir, 'dev', 'web'), 'HorizontalPodAutoscaler', 'web').spec as { minReplicas: number })
        .minReplicas,
      1,
    );
    const limits = (
      ofKind(prod, 'Deployment', 'web').spec as {
        template: { spec: { containers: { resources: { limits: { memory: string } } }[] } };
      }
    ).template.spec.containers[0].resources.limits;
    assert.equal(limits.memory, '512Mi');
    // The person's file: byte for byte, and its label still applies.
    assert.equal(readFileSync(peoples, 'utf8'), edited);
    assert.equal(
      (ofKind(prod, 'Deployment', 'web').metadata as { labels: Record<string, string> }).labels.team,
      'shop',
    );

    // Back to the first gitops.yaml: the added environment's and service's untouched overlays go, the
    // person's file stays, and the values follow.
    writeFileSync(config, first);
    const third = generate(config, dir);
    assert.deepEqual(third.leftovers, []);
    assert.ok(!existsSync(join(dir, 'overlays', 'staging')), 'the removed environment leaves no overlay');
    assert.doesNotMatch(
      readdirSync(join(dir, 'argocd'), { recursive: true }).map(String).join('\n'),
      /staging/,
      'nor an Argo CD object',
    );
    for (const env of ['dev', 'prod']) assert.ok(!existsSync(join(dir, 'overlays', env, 'api')), `${env}: api removed`);
    assert.equal(configMap(rendered(dir, 'prod', 'web'))?.data.GREETING, 'hello');
    assert.equal(
      (ofKind(rendered(dir, 'prod', 'web'), 'HorizontalPodAutoscaler', 'web').spec as { minReplicas: number })
        .minReplicas,
      2,
    );
    assert.equal(readFileSync(peoples, 'utf8'), edited);
    const check = generate(config, dir, { check: true });
    assert.deepEqual(check.changed, [], 'regenerating changes nothing more');
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

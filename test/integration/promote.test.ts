// set-image and promote edit the file that owns the value and nothing else: golden byte comparisons on
// files full of comments (gitops.yaml, and kustomize overlays in a repository gitops.yaml does not
// describe), the rendered image following, --dry-run writing nothing, a new error exiting 1, and a clear
// refusal where an edit cannot be made safely.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../cli-helpers.ts';
import { generate } from '../../scripts/generate/index.ts';
import { parseRenderedYaml } from '../../scripts/manifest/rendered.ts';
import { EditRefused, YamlEditor } from '../../scripts/promote/yaml-edit.ts';

const fixtures = resolve(import.meta.dirname, '..', 'fixtures', 'promote');
const expected = (name: string) => readFileSync(join(fixtures, 'expected', name), 'utf8');
const temp = mkdtempSync(join(tmpdir(), 'gitops-promote-'));
after(() => rmSync(temp, { recursive: true, force: true }));
const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0;

function copy(name: 'gitops' | 'overlays'): string {
  const dir = mkdtempSync(join(temp, `${name}-`));
  cpSync(join(fixtures, name), dir, { recursive: true });
  if (name === 'gitops') generate(join(dir, 'gitops.yaml'), dir);
  return dir;
}

function renderedImage(folder: string): string {
  const objects = parseRenderedYaml(execFileSync('kubectl', ['kustomize', folder], { encoding: 'utf8' }));
  const workload = objects.find((object) => object.kind === 'Deployment');
  return (workload?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]
    .image;
}

test('set-image on gitops.yaml: one value changes, every other byte stays; the generated overlay and the render follow', async () => {
  const dir = copy('gitops');
  const config = join(dir, 'gitops.yaml');
  const { code, stdout, stderr } = await runCli(['set-image', 'web', '1.0.7', '--env', 'prod', '--config', config]);
  assert.equal(code, 0, stderr);
  assert.equal(readFileSync(config, 'utf8'), expected('gitops.set-image.yaml'));
  assert.match(stdout, /^\| web \| prod \| image \| `1\.0\.0` \| `1\.0\.7` \|$/m, 'the PR summary');
  assert.match(readFileSync(join(dir, 'overlays/prod/web/generated/kustomization.yaml'), 'utf8'), /newTag: 1\.0\.7/);
  assert.equal((await runCli(['generate', '--check', '--config', config])).code, 0, 'regenerated');
  if (!kubectlMissing) assert.equal(renderedImage(join(dir, 'overlays/prod/web')), 'ghcr.io/example/web:1.0.7');
});

test('promote staging to prod on gitops.yaml: images, replicas and config copied in place, with the PR summary', async () => {
  const dir = copy('gitops');
  const config = join(dir, 'gitops.yaml');
  assert.equal(
    (await runCli(['set-image', 'web', '1.0.7', '--env', 'prod', '--config', config, '--no-validate'])).code,
    0,
  );
  const result = await runCli([
    'promote',
    '--from',
    'staging',
    '--to',
    'prod',
    '--what',
    'image,replicas,config',
    '--config',
    config,
    '--no-validate',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(readFileSync(config, 'utf8'), expected('gitops.promote.yaml'));
  assert.equal(`${result.stdout}\n`, expected('gitops.promote.summary.md'));
});

test('set-image and promote on kustomize overlays full of comments (no gitops.yaml): golden bytes', async () => {
  const dir = copy('overlays');
  const staging = join(dir, 'overlays/staging/web/kustomization.yaml');
  const prod = join(dir, 'overlays/prod/web/kustomization.yaml');
  const set = await runCli(['set-image', 'web', '1.4.1', '--env', 'staging', '--root', dir]);
  assert.equal(set.code, 0, set.stderr);
  assert.equal(readFileSync(staging, 'utf8'), expected('overlay.set-image.staging.yaml'));
  if (!kubectlMissing)
    assert.equal(renderedImage(join(dir, 'overlays/staging/web')), 'registry.example.com/shop/web:1.4.1');

  const promoted = await runCli([
    'promote',
    '--from',
    'staging',
    '--to',
    'prod',
    'web',
    '--what',
    'image,replicas',
    '--root',
    dir,
  ]);
  assert.equal(promoted.code, 0, promoted.stderr);
  assert.equal(readFileSync(prod, 'utf8'), expected('overlay.promote.prod.yaml'));
  assert.match(promoted.stdout, /^\| web \| prod \| image \| `1\.3\.0` \| `1\.4\.1` \|$/m);
  assert.match(promoted.stdout, /^\| web \| prod \| replicas \| `4` \| `3` \|$/m);
});

test('set-image never edits through a link: an overlay in a folder that links out of the repository is refused, the file out there unchanged', async () => {
  const dir = copy('overlays');
  const outside = mkdtempSync(join(temp, 'outside-'));
  renameSync(join(dir, 'overlays/staging'), join(outside, 'staging'));
  symlinkSync(join(outside, 'staging'), join(dir, 'overlays/staging'));
  const before = readFileSync(join(outside, 'staging/web/kustomization.yaml'), 'utf8');
  const set = await runCli(['set-image', 'web', '1.4.1', '--env', 'staging', '--root', dir]);
  assert.equal(set.code, 2, set.stdout);
  assert.match(set.stderr, /refused: found no overlay of web for staging/);
  const named = await runCli([
    'set-image',
    'web',
    '1.4.1',
    '--env',
    'staging',
    '--overlay',
    'overlays/staging/web',
    '--root',
    dir,
  ]);
  assert.equal(named.code, 2, named.stdout);
  assert.equal(readFileSync(join(outside, 'staging/web/kustomization.yaml'), 'utf8'), before);
});

test('--dry-run prints the diff (gitops.yaml and the regenerated files) and writes nothing', async () => {
  const dir = copy('gitops');
  const config = join(dir, 'gitops.yaml');
  const before = readFileSync(config, 'utf8');
  const { code, stdout } = await runCli([
    'set-image',
    'web',
    '1.0.7',
    '--env',
    'prod',
    '--config',
    config,
    '--dry-run',
  ]);
  assert.equal(code, 0);
  assert.match(stdout, /^- {6}prod: \{ replicas: \{ min: 2, max: 4 \} \} # the floor agreed with SRE$/m);
  assert.match(
    stdout,
    /^\+ {6}prod: \{ replicas: \{ min: 2, max: 4 \}, imageTag: 1\.0\.7 \} # the floor agreed with SRE$/m,
  );
  assert.match(stdout, /^\+\+\+ b\/overlays\/prod\/web\/generated\/kustomization\.yaml$/m);
  assert.equal(readFileSync(config, 'utf8'), before);
  assert.equal((await runCli(['generate', '--check', '--config', config])).code, 0);
});

test('a change that brings a new error into the environment exits 1 and names it', async () => {
  const dir = copy('overlays');
  const { code, stderr } = await runCli(['set-image', 'web', 'latest', '--env', 'prod', '--root', dir]);
  assert.equal(code, 1);
  assert.match(stderr, /new error in prod: overlays\/prod\/web\/kustomization\.yaml:\d+: image-tag-pinned: /);
  assert.match(stderr, /1 new error\(s\) in prod after the change/);
});

test('refusals: an anchored entry, a service shared by `names`, an overlay that pins the image itself, resources between overlays', async () => {
  const overlays = copy('overlays');
  const prod = join(overlays, 'overlays/prod/web/kustomization.yaml');
  writeFileSync(
    prod,
    readFileSync(prod, 'utf8').replace(
      '  - name: registry.example.com/shop/web   # the storefront',
      '  - &web\n    name: registry.example.com/shop/web   # the storefront',
    ),
  );
  const anchored = readFileSync(prod, 'utf8');
  const anchor = await runCli(['set-image', 'web', '1.5.0', '--env', 'prod', '--root', overlays]);
  assert.equal(anchor.code, 2);
  assert.match(anchor.stderr, /refused: overlays\/prod\/web\/kustomization\.yaml: images\[1\] is a YAML anchor/);
  assert.equal(readFileSync(prod, 'utf8'), anchored, 'nothing written');

  const resources = await runCli([
    'promote',
    '--from',
    'staging',
    '--to',
    'prod',
    'web',
    '--what',
    'resources',
    '--root',
    overlays,
  ]);
  assert.equal(resources.code, 2);
  assert.match(resources.stderr, /resources live in patches and generators in a kustomize overlay/);

  const gitops = copy('gitops');
  const config = join(gitops, 'gitops.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('  - name: api\n', '  - names: [api, jobs]\n'));
  const shared = await runCli(['set-image', 'jobs', '1.0.0', '--env', 'prod', '--config', config]);
  assert.equal(shared.code, 2);
  assert.match(shared.stderr, /service "jobs" is one of services\[1\]\.names, which share one entry/);

  const pinned = copy('gitops');
  const overlay = join(pinned, 'overlays/prod/web/kustomization.yaml');
  writeFileSync(overlay, `${readFileSync(overlay, 'utf8')}images:\n  - name: ghcr.io/example/web\n    newTag: 0.9.0\n`);
  const blocked = await runCli(['set-image', 'web', '1.0.7', '--env', 'prod', '--config', join(pinned, 'gitops.yaml')]);
  assert.equal(blocked.code, 2);
  assert.match(
    blocked.stderr,
    /overlays\/prod\/web\/kustomization\.yaml:\d+: sets the image ghcr\.io\/example\/web to 0\.9\.0.*a change in gitops\.yaml does not reach web in prod/,
  );
});

test('YamlEditor: quoting, flow and block styles, CRLF and trailing comments kept; an edit that would change more is refused', () => {
  const text = 'a: "1.0" # q\r\nb:\r\n  c: 1\r\n\r\n  d: [x]\r\ne: { f: 1 }\r\n';
  const editor = new YamlEditor(text, 't.yaml');
  editor.set(['a'], '1.10');
  editor.set(['b', 'g'], 'two words');
  editor.set(['e', 'h'], '1.20');
  assert.equal(
    editor.text,
    'a: "1.10" # q\r\nb:\r\n  c: 1\r\n\r\n  d: [x]\r\n  g: two words\r\ne: { f: 1, h: "1.20" }\r\n',
  );
  assert.deepEqual(editor.data(), { a: '1.10', b: { c: 1, d: ['x'], g: 'two words' }, e: { f: 1, h: '1.20' } });

  assert.throws(
    () => new YamlEditor('base: &b { tag: 1 }\nother: *b\n', 't.yaml').set(['base', 'tag'], '2'),
    EditRefused,
  );
  assert.throws(() => new YamlEditor('a: [1, 2\n', 't.yaml'), /does not parse as YAML/);
  assert.throws(() => new YamlEditor('<<: { a: 1 }\n', 't.yaml').set(['a'], 2), /merge key/);
});

// Hostile ApplicationSets stay within time and memory: template loops, huge matrices, alias bombs and
// catastrophic regexes end in an error finding on the ApplicationSet, never in a crashed process.
// Each case ran the process out of memory (exit 134) or hung before the budgets and RE2.
import { buildFinding } from '../scripts/check/finding.ts';
import applicationsetExpands from '../scripts/argocd/rules/applicationset-expands.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { expandApplicationSet, type ExpandOptions } from '../scripts/argocd/expand.ts';
import { argoModel } from '../scripts/argocd/index.ts';
import { globMatch } from '../scripts/argocd/glob.ts';
import { repoViewFromFileList, repoViewFromFiles } from '../scripts/argocd/repo-view.ts';
import type { KubeObject } from '../scripts/types.ts';
import { contextFromDir, copyToTemp, fixturesDir } from './argocd-helpers.ts';

const REPO = 'https://github.com/acme/gitops.git';
const longName = 'a'.repeat(60);
const options: ExpandOptions = {
  repo: repoViewFromFiles({ [`apps/${longName}/kustomization.yaml`]: '' }),
  clusters: [],
  isLocalRepo: (url) => url === REPO,
};
const TIMEOUT = { timeout: 120_000 };

function expand(spec: string) {
  const appSet: KubeObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'hostile', namespace: 'argocd' },
    spec: yaml.load(spec) as Record<string, unknown>,
  };
  return expandApplicationSet(appSet, options);
}
const goSet = (name: string, generators = '[{list: {elements: [{n: a}]}}]') => `
goTemplate: true
generators: ${generators}
template:
  metadata: {name: '${name.replace(/'/g, "''")}'}
  spec: {project: default, destination: {server: https://kubernetes.default.svc, namespace: x}}`;
const onlyError = (result: ReturnType<typeof expand>) => {
  assert.deepEqual(result.applications, []);
  const errors = result.problems.filter((p) => p.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(result.problems));
  return errors[0];
};

test('range until 100000000 stops at the iteration budget', TIMEOUT, () => {
  const error = onlyError(expand(goSet('{{ range until 100000000 }}x{{ end }}')));
  assert.match(error.message, /expansion stopped at more than 1000000 list elements from until/);
  assert.deepEqual(error.path, ['spec', 'template']);
});

test('range 1000000000 (Go 1.22 range over an integer) stops at the iteration budget', TIMEOUT, () => {
  const error = onlyError(expand(goSet('{{ range 1000000000 }}{{ end }}')));
  assert.match(error.message, /expansion stopped at more than 1000000 template iterations/);
});

test('a string doubled in a loop stops at the output budget', TIMEOUT, () => {
  const error = onlyError(
    expand(goSet('{{ $s := "0123456789" }}{{ range until 40 }}{{ $s = printf "%s%s" $s $s }}{{ end }}{{ $s }}')),
  );
  assert.match(error.message, /characters of template output/);
});

test('a 1000 x 1000 matrix stops at the parameter-set budget, on the matrix', TIMEOUT, () => {
  const thousand = JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ [`k${i % 2}`]: `v${i}` })));
  const error = onlyError(
    expand(
      goSet(
        '{{ .k0 }}',
        `[{matrix: {generators: [{list: {elements: ${thousand}}}, {list: {elements: ${thousand}}}]}}]`,
      ),
    ),
  );
  assert.match(error.message, /more than 10000 parameter sets/);
  assert.deepEqual(error.path, ['spec', 'generators', 0]);
});

test('fromYaml of an alias bomb is go-yaml\'s "excessive aliasing" error, not gigabytes', TIMEOUT, () => {
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++)
    levels.push(
      `l${i}: &l${i} [${Array(9)
        .fill(i === 1 ? '*a' : `*l${i - 1}`)
        .join(', ')}]`,
    );
  const bomb = levels.join('\n');
  const result = expand(`
goTemplate: true
generators: [{list: {elements: [{doc: ${JSON.stringify(bomb)}}]}}]
template:
  metadata: {name: 'x{{ (fromYaml .doc).l8 | len }}'}
  spec: {project: default}`);
  const error = onlyError(result);
  assert.match(error.message, /error calling fromYaml: yaml: document contains excessive aliasing/);
});

test('regexMatch & co. run on RE2: a catastrophic pattern answers at once, with Go semantics', TIMEOUT, () => {
  const evil = `${'a'.repeat(40)}!`;
  const result = expand(goSet(`{{ if regexMatch "^(a+)+$" "${evil}" }}yes{{ else }}no{{ end }}`));
  assert.deepEqual(
    result.applications.map((app) => app.object.metadata?.name),
    ['no'],
  );
  // Go's expansion: $1W is the group named "1W" (empty), ${1}W is group 1 then W.
  const replaced = expand(
    goSet('{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}'),
  );
  assert.equal(replaced.applications[0].object.metadata?.name, '---|-W-xxW-');
  // RE2 has no backreferences: Go fails to compile the pattern, and so does this.
  const backref = expand(goSet('{{ regexFind "(a)\\\\1" "aa" }}'));
  assert.match(
    onlyError(backref).message,
    /error calling regexFind: invalid regular expression .*error parsing regexp/,
  );
});

test('git directory patterns and AppProject globs compile to RE2: no catastrophic backtracking', TIMEOUT, () => {
  const pattern = `apps/${'*a'.repeat(20)}*b`;
  const result = expand(`
generators: [{git: {repoURL: ${REPO}, revision: HEAD, directories: [{path: '${pattern}'}]}}]
template:
  metadata: {name: x}
  spec: {project: default}`);
  assert.deepEqual(result.applications, []);
  assert.equal(result.problems[0].severity, 'warning');
  assert.equal(globMatch(`${'*a'.repeat(20)}*b`, longName), false);
});

test('the budget finding lands on the ApplicationSet line through the model', TIMEOUT, () => {
  const root = copyToTemp(path.join(fixturesDir, 'good'));
  mkdirSync(path.join(root, 'hostile'), { recursive: true });
  writeFileSync(
    path.join(root, 'hostile', 'appset.yaml'),
    [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: ApplicationSet',
      'metadata: {name: hostile, namespace: argocd}',
      'spec:',
      '  goTemplate: true',
      '  generators: [{list: {elements: [{n: a}]}}]',
      '  template:',
      "    metadata: {name: '{{ range until 100000000 }}x{{ end }}'}",
      '    spec: {project: default}',
      '',
    ].join('\n'),
  );
  const model = argoModel(contextFromDir(root));
  const finding = model.expansionProblems
    .map((problem) => buildFinding(applicationsetExpands.meta, problem))
    .find((f) => f.file === 'hostile/appset.yaml');
  assert.equal(finding?.severity, 'error');
  assert.equal(finding?.line, 7);
  assert.match(finding?.message ?? '', /expansion stopped/);
});

test('a git generator file that is a link to /dev/urandom is an error, not a read of gigabytes', TIMEOUT, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'gitops-argocd-dev-'));
  mkdirSync(path.join(root, 'envs'));
  writeFileSync(path.join(root, 'envs/dev.json'), '{"env": "dev"}');
  symlinkSync('/dev/urandom', path.join(root, 'envs/random.json'));
  const result = expandApplicationSet(
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'files', namespace: 'argocd' },
      spec: yaml.load(`
generators: [{git: {repoURL: ${REPO}, revision: HEAD, files: [{path: 'envs/*.json'}]}}]
template:
  metadata: {name: 'cfg-{{path.filename}}'}
  spec: {project: default}`) as Record<string, unknown>,
    },
    { ...options, repo: repoViewFromFileList(root, ['envs/dev.json', 'envs/random.json']) },
  );
  assert.deepEqual(result.applications, []);
  assert.match(onlyError(result).message, /unable to read 'envs\/random\.json'/);
});

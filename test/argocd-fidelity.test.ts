// Issue 18's table: each row is a case where the expansion differed from what Argo CD's Go code does
// (argoproj/argo-cd applicationset/), asserted here with Argo CD's result. Minimal cases, each naming
// the Go code that decides it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import { expandApplicationSet, type ExpandOptions } from '../scripts/argocd/expand.ts';
import { repoViewFromFiles } from '../scripts/argocd/repo-view.ts';
import type { KubeObject } from '../scripts/types.ts';

const REPO = 'https://github.com/acme/gitops.git';
const options: ExpandOptions = {
  repo: repoViewFromFiles({
    'apps/api/kustomization.yaml': '',
    'apps/api/envs/dev/kustomization.yaml': '',
    'apps/web/kustomization.yaml': '',
    'svc/x/kustomization.yaml': '',
    'svc/y/kustomization.yaml': '',
    'envs/prod.yaml': 'env: prod\n',
    'envs/dev/config.yaml': 'env: dev\n',
    'envs/dev/notes.txt': 'not yaml\n',
    'ids/app.json': '{"id": 1000000, "ratio": 0.00001, "small": 123456}',
  }),
  clusters: [
    { name: 'dev', server: 'https://dev.example:6443', labels: { env: 'dev' } },
    { name: 'prod', server: 'https://prod.example:6443', labels: { env: 'prod' } },
  ],
  isLocalRepo: (url) => url === REPO,
};

function expand(spec: string, namespace = 'argocd') {
  const appSet: KubeObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'set', namespace },
    spec: yaml.load(spec) as Record<string, unknown>,
  };
  return expandApplicationSet(appSet, options);
}
const names = (result: ReturnType<typeof expand>) => result.applications.map((app) => app.object.metadata?.name);
const errors = (result: ReturnType<typeof expand>) => result.problems.filter((p) => p.severity === 'error');
const template = (name: string) => `
template:
  metadata: {name: '${name}'}
  spec:
    project: default
    source: {repoURL: ${REPO}, path: apps/api}
    destination: {server: https://kubernetes.default.svc, namespace: x}`;

test('D1: a number in a fasttemplate list element is "error parsing value as string": no Applications (list.go)', () => {
  const result = expand(`
generators:
- list:
    elements:
    - {cluster: dev, replicas: 3}
${template('ns-{{replicas}}')}`);
  assert.deepEqual(names(result), []);
  assert.equal(errors(result).length, 1);
  assert.match(errors(result)[0].message, /error parsing value as string: list element key "replicas" is a number/);
  assert.deepEqual(errors(result)[0].path, ['spec', 'generators', 0, 'list', 'elements', 0, 'replicas']);
  // The same element quoted renders.
  assert.deepEqual(
    names(expand(`generators: [{list: {elements: [{replicas: '3'}]}}]\n${template('ns-{{replicas}}')}`)),
    ['ns-3'],
  );
});

test('D2: elements and elementsYaml together give both, elementsYaml appended (list.go)', () => {
  const result = expand(`
goTemplate: true
generators:
- list:
    elements: [{name: a}]
    elementsYaml: |
      - name: b
      - name: c
${template('{{ .name }}')}`);
  assert.deepEqual(names(result), ['a', 'b', 'c']);
});

test('D3: elementsYaml with fasttemplate is appended raw: a map or a number stays a {{tag}} (list.go, utils.go Replace)', () => {
  const result = expand(`
generators:
- list:
    elementsYaml: |
      - {name: api, replicas: 3, values: {team: blue}}
${template('{{name}}-{{values.team}}-{{replicas}}')}`);
  assert.deepEqual(names(result), ['api-{{values.team}}-{{replicas}}']);
  const messages = result.problems.map((p) => p.message).join('\n');
  assert.match(messages, /\{\{values\.team\}\} in template metadata\.name has no parameter/);
  assert.match(messages, /\{\{replicas\}\} in template metadata\.name is not a string parameter/);
});

test('D4: git directories match with Go path.Match: ** stays in one segment, no {a,b} (git.go filterApps)', () => {
  const dirs = (pattern: string) =>
    names(
      expand(`
goTemplate: true
generators:
- git: {repoURL: ${REPO}, revision: HEAD, directories: [{path: '${pattern}'}]}
${template('{{ .path.path | replace "/" "-" }}')}`),
    );
  assert.deepEqual(dirs('apps/**'), ['apps-api', 'apps-web']);
  assert.deepEqual(dirs('svc/{x,y}'), []);
  assert.deepEqual(dirs('svc/[xy]'), ['svc-x', 'svc-y']);
  assert.deepEqual(dirs('svc/[^x]'), ['svc-y']);
  assert.deepEqual(dirs('./apps/*'), []);
  const hint = expand(`
generators:
- git: {repoURL: ${REPO}, revision: HEAD, directories: [{path: 'apps/**/dev'}]}
${template('{{path.basename}}')}`).problems;
  assert.match(hint[0].message, /path\.Match: "\*\*" is "\*" and does not cross "\/"/);
});

test('D5: git files match with git ls-files pathspecs: * crosses / (git.go, util/git/client.go LsFiles)', () => {
  const files = (pattern: string, newGlobbing = false) =>
    expandApplicationSet(
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: 'set', namespace: 'argocd' },
        spec: yaml.load(`
goTemplate: true
generators:
- git: {repoURL: ${REPO}, revision: HEAD, files: [{path: '${pattern}'}]}
${template('{{ .env }}')}`) as Record<string, unknown>,
      },
      { ...options, newGitFileGlobbing: newGlobbing },
    ).applications.map((app) => app.object.metadata?.name);
  assert.deepEqual(files('envs/*.yaml'), ['dev', 'prod']);
  assert.deepEqual(files('envs/*.yaml', true), ['prod'], 'doublestar only with the opt-in flag');
  assert.deepEqual(files('envs/**/*.yaml', true), ['dev', 'prod']);
  assert.deepEqual(files('envs/dev'), [], 'a folder pathspec lists notes.txt too, which is not YAML: an error');
  assert.deepEqual(files(':(glob)envs/*.yaml'), ['prod']);
});

test('D6: a goTemplate matrix whose children both set name: the first child wins (matrix.go, mergo)', () => {
  const result = expand(`
goTemplate: true
generators:
- matrix:
    generators:
    - list: {elements: [{name: first, labels: {a: '1'}}]}
    - list: {elements: [{name: second, labels: {b: '2'}}]}
template:
  metadata: {name: '{{ .name }}', labels: '{{ .labels | toJson }}'}
  spec: {project: default, destination: {server: https://kubernetes.default.svc, namespace: x}}`);
  assert.deepEqual(names(result), ['first']);
  // Nested maps merge key by key.
  assert.deepEqual(result.applications[0].params.labels, { a: '1', b: '2' });
});

test('D7: a fasttemplate matrix whose children set name differently is an error (utils.CombineStringMaps)', () => {
  const result = expand(`
generators:
- matrix:
    generators:
    - list: {elements: [{name: first}]}
    - list: {elements: [{name: second}]}
${template('{{name}}')}`);
  assert.deepEqual(names(result), []);
  assert.match(errors(result)[0].message, /found duplicate key name with different value/);
  // The same value on both sides is fine.
  assert.deepEqual(
    names(
      expand(`
generators:
- matrix:
    generators:
    - list: {elements: [{name: same, a: x}]}
    - list: {elements: [{name: same, b: y}]}
${template('{{name}}-{{a}}-{{b}}')}`),
    ),
    ['same-x-y'],
  );
});

test('D8: merge with two base param sets sharing the merge key is ErrNonUniqueParamSets (merge.go)', () => {
  const result = expand(`
generators:
- merge:
    mergeKeys: [cluster]
    generators:
    - list: {elements: [{cluster: dev, app: a}, {cluster: dev, app: b}]}
    - list: {elements: [{cluster: dev, extra: x}]}
${template('{{cluster}}-{{app}}')}`);
  assert.deepEqual(names(result), []);
  assert.match(errors(result)[0].message, /not unique by the given mergeKeys/);
  assert.deepEqual(errors(result)[0].path, ['spec', 'generators', 0, 'merge', 'generators', 0]);
});

test('D9: goTemplate mergeKeys are top-level names: values.region finds nothing, so the sets collide (merge.go)', () => {
  const result = expand(`
goTemplate: true
generators:
- merge:
    mergeKeys: [values.region]
    generators:
    - list: {elements: [{name: a, values: {region: eu}}, {name: b, values: {region: us}}]}
    - list: {elements: [{name: c, values: {region: eu}}]}
${template('{{ .name }}')}`);
  assert.deepEqual(names(result), []);
  assert.match(errors(result)[0].message, /a merge key is a top-level parameter name, not a path/);
});

test("D10: generated Applications live in the ApplicationSet's namespace, whatever the template says (template.go)", () => {
  const result = expand(`
generators: [{list: {elements: [{n: a}]}}]
template:
  metadata: {name: '{{n}}', namespace: team-a}
  spec: {project: default, destination: {server: https://kubernetes.default.svc, namespace: x}}`);
  assert.equal(result.applications[0].object.metadata?.namespace, 'argocd');
  assert.match(result.problems[0].message, /metadata\.namespace team-a is ignored/);
  assert.deepEqual(result.problems[0].path, ['spec', 'template', 'metadata', 'namespace']);
});

test('D11: a templatePatch cannot change spec.project: Argo CD restores it (patch.go)', () => {
  const result = expand(`
goTemplate: true
generators: [{list: {elements: [{n: a}]}}]
${template('{{ .n }}')}
templatePatch: |
  spec:
    project: admin
    destination: {namespace: patched}`);
  const spec = result.applications[0].object.spec as { project: string; destination: { namespace: string } };
  assert.equal(spec.project, 'default');
  assert.equal(spec.destination.namespace, 'patched');
  assert.match(result.problems[0].message, /templatePatch sets spec\.project, which Argo CD ignores/);
});

test('D12: a templatePatch without goTemplate is rendered with fasttemplate and applied (template.go renderTemplatePatch)', () => {
  const result = expand(`
generators: [{list: {elements: [{n: a, auto: 'true'}]}}]
${template('{{n}}')}
templatePatch: |
  metadata:
    labels: {patched-by: '{{n}}'}
  spec:
    syncPolicy: {automated: {selfHeal: true}}`);
  assert.deepEqual(result.problems, []);
  const app = result.applications[0].object;
  assert.deepEqual(app.metadata?.labels, { 'patched-by': 'a' });
  assert.deepEqual((app.spec as { syncPolicy: unknown }).syncPolicy, { automated: { selfHeal: true } });
});

test('D13: fasttemplate git files print numbers as Go prints a float64: 1000000 is 1e+06 (git.go %v)', () => {
  const result = expand(`
generators:
- git: {repoURL: ${REPO}, revision: HEAD, files: [{path: ids/app.json}]}
${template('app-{{id}}-{{small}}-{{ratio}}')}`);
  assert.deepEqual(names(result), ['app-1e+06-123456-1e-05']);
});

test('D14: every cluster secret carries argocd.argoproj.io/secret-type: cluster, and selectors match it (cluster.go)', () => {
  const byLabel = (selector: string) =>
    names(
      expand(`
generators: [{clusters: {selector: ${selector}}}]
${template('{{name}}')}`),
    );
  assert.deepEqual(byLabel("{matchLabels: {'argocd.argoproj.io/secret-type': cluster}}"), ['dev', 'prod']);
  assert.deepEqual(byLabel('{matchLabels: {env: prod}}'), ['prod']);
  const go = expand(`
goTemplate: true
generators: [{clusters: {}}]
${template('{{ .name }}-{{ .metadata.labels.env }}')}`);
  // in-cluster has no secret here: Argo CD adds it last, with no metadata at all ("<no value>").
  assert.deepEqual(names(go), ['dev-dev', 'prod-prod', 'in-cluster-<no value>']);
  assert.deepEqual(go.applications[0].params.metadata, {
    labels: { env: 'dev', 'argocd.argoproj.io/secret-type': 'cluster' },
  });
  assert.equal(go.applications[2].params.metadata, undefined);
});

test('D15: generated Applications get resources-finalizer.argocd.argoproj.io unless preserveResourcesOnDeletion (utils.go)', () => {
  const finalizers = (extra: string, metadata = "name: '{{n}}'") =>
    expand(`
generators: [{list: {elements: [{n: a}]}}]
${extra}
template:
  metadata: {${metadata}}
  spec: {project: default, destination: {server: https://kubernetes.default.svc, namespace: x}}`).applications[0].object
      .metadata?.finalizers;
  assert.deepEqual(finalizers(''), ['resources-finalizer.argocd.argoproj.io']);
  assert.equal(finalizers('syncPolicy: {preserveResourcesOnDeletion: true}'), undefined);
  assert.deepEqual(finalizers('', "name: '{{n}}', finalizers: [mine]"), ['mine']);
});

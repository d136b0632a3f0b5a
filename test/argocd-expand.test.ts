// ApplicationSet expansion: every generator type, both template syntaxes, overrides and patches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import { expandApplicationSet, type ExpandOptions } from '../scripts/argocd/expand.ts';
import { repoViewFromFiles } from '../scripts/argocd/repo-view.ts';
import type { KubeObject } from '../scripts/types.ts';

const REPO = 'https://github.com/acme/gitops.git';
const repo = repoViewFromFiles({
  'apps/api/envs/dev/kustomization.yaml': '',
  'apps/api/envs/prod/kustomization.yaml': '',
  'apps/web/envs/dev/kustomization.yaml': '',
  'apps/web/envs/prod/kustomization.yaml': '',
  'apps/legacy/envs/dev/kustomization.yaml': '',
  'clusters/dev/config.json': JSON.stringify({
    cluster: { name: 'dev', server: 'https://dev.example:6443' },
    replicas: 1,
    zones: ['a', 'b'],
  }),
  'clusters/prod/config.yaml': 'cluster:\n  name: prod\n  server: https://prod.example:6443\nreplicas: 3\n',
  'clusters/multi/list.yaml':
    '- cluster: {name: edge-1, server: https://edge1:6443}\n- cluster: {name: edge-2, server: https://edge2:6443}\n',
});
const options: ExpandOptions = {
  repo,
  clusters: [
    { name: 'dev', server: 'https://dev.example:6443', labels: { env: 'dev' } },
    { name: 'prod', server: 'https://prod.example:6443', labels: { env: 'prod', tier: 'critical' } },
  ],
  isLocalRepo: (url) => url.replace(/\.git$/, '') === REPO.replace(/\.git$/, ''),
};

function appSet(spec: string): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'set', namespace: 'argocd' },
    spec: yaml.load(spec) as Record<string, unknown>,
  };
}
const expand = (spec: string) => expandApplicationSet(appSet(spec), options);
const summary = (spec: string) =>
  expand(spec).applications.map((app) => {
    const s = app.object.spec as {
      source?: { path?: string };
      destination?: { server?: string; name?: string; namespace?: string };
    };
    return [
      app.object.metadata?.name,
      s.source?.path,
      s.destination?.server ?? s.destination?.name,
      s.destination?.namespace,
    ].join(' ');
  });

test('list generator: fasttemplate and goTemplate, values, elementsYaml', () => {
  assert.deepEqual(
    summary(`
generators:
- list:
    elements:
    - {svc: api, env: dev, values: {ns: api-dev}}
    - {svc: web, env: prod, values: {ns: web-prod}}
template:
  metadata: {name: '{{svc}}-{{ env }}'}
  spec:
    project: shop
    source: {repoURL: ${REPO}, path: 'apps/{{svc}}/envs/{{env}}'}
    destination: {server: https://kubernetes.default.svc, namespace: '{{values.ns}}'}
`),
    [
      'api-dev apps/api/envs/dev https://kubernetes.default.svc api-dev',
      'web-prod apps/web/envs/prod https://kubernetes.default.svc web-prod',
    ],
  );
  assert.deepEqual(
    summary(`
goTemplate: true
goTemplateOptions: ["missingkey=error"]
generators:
- list:
    elementsYaml: |
      - {svc: api, env: dev, replicas: 2}
template:
  metadata: {name: '{{ .svc }}-{{ .env | upper | lower }}'}
  spec:
    project: shop
    source: {repoURL: ${REPO}, path: 'apps/{{ .svc }}/envs/{{ .env }}'}
    destination: {server: https://kubernetes.default.svc, namespace: '{{ if gt .replicas 1 }}ha{{ else }}single{{ end }}'}
`),
    ['api-dev apps/api/envs/dev https://kubernetes.default.svc ha'],
  );
});

test('git directories: globs, exclude entries, path params in both syntaxes', () => {
  const fast = `
generators:
- git:
    repoURL: ${REPO}
    revision: HEAD
    directories:
    - path: apps/*/envs/*
    - path: apps/legacy/envs/*
      exclude: true
template:
  metadata: {name: '{{path[1]}}-{{path.basename}}'}
  spec:
    project: shop
    source: {repoURL: ${REPO}, path: '{{path}}'}
    destination: {server: https://kubernetes.default.svc, namespace: '{{path[1]}}-{{path.basenameNormalized}}'}
`;
  assert.deepEqual(summary(fast), [
    'api-dev apps/api/envs/dev https://kubernetes.default.svc api-dev',
    'api-prod apps/api/envs/prod https://kubernetes.default.svc api-prod',
    'web-dev apps/web/envs/dev https://kubernetes.default.svc web-dev',
    'web-prod apps/web/envs/prod https://kubernetes.default.svc web-prod',
  ]);
  const go = `
goTemplate: true
goTemplateOptions: ["missingkey=error"]
generators:
- git:
    repoURL: ${REPO}
    revision: HEAD
    directories:
    - path: 'apps/*/envs/prod'
template:
  metadata: {name: '{{ index .path.segments 1 }}-{{ .path.basename }}'}
  spec:
    project: shop
    source: {repoURL: ${REPO}, path: '{{ .path.path }}'}
    destination: {server: https://kubernetes.default.svc, namespace: '{{ index .path.segments 1 }}'}
`;
  assert.deepEqual(summary(go), [
    'api-prod apps/api/envs/prod https://kubernetes.default.svc api',
    'web-prod apps/web/envs/prod https://kubernetes.default.svc web',
  ]);
});

test('git files: JSON and YAML config files, lists of objects, flattened keys and path params', () => {
  const fast = `
generators:
- git:
    repoURL: ${REPO}
    revision: HEAD
    files:
    - path: 'clusters/**/config.*'
template:
  metadata: {name: '{{cluster.name}}-{{path.basename}}-{{replicas}}'}
  spec:
    project: shop
    source: {repoURL: ${REPO}, path: 'apps/api/envs/{{cluster.name}}'}
    destination: {server: '{{cluster.server}}', namespace: '{{path.filename}}'}
`;
  assert.deepEqual(summary(fast), [
    'dev-dev-1 apps/api/envs/dev https://dev.example:6443 config.json',
    'prod-prod-3 apps/api/envs/prod https://prod.example:6443 config.yaml',
  ]);
  const go = `
goTemplate: true
generators:
- git:
    repoURL: ${REPO}
    revision: HEAD
    files:
    - path: clusters/multi/list.yaml
template:
  metadata: {name: '{{ .cluster.name }}'}
  spec:
    project: shop
    source: {repoURL: ${REPO}, path: '{{ .path.path }}'}
    destination: {server: '{{ .cluster.server }}', namespace: '{{ .path.filenameNormalized }}'}
`;
  assert.deepEqual(summary(go), [
    'edge-1 clusters/multi https://edge1:6443 list.yaml',
    'edge-2 clusters/multi https://edge2:6443 list.yaml',
  ]);
});

test('clusters generator: gitops.yaml clusters plus in-cluster (last, as cluster.go adds it), label selectors', () => {
  const all = `
generators:
- clusters: {}
template:
  metadata: {name: '{{name}}-api'}
  spec:
    project: shop
    source: {repoURL: ${REPO}, path: apps/api/envs/dev}
    destination: {server: '{{server}}', namespace: api}
`;
  assert.deepEqual(summary(all), [
    'dev-api apps/api/envs/dev https://dev.example:6443 api',
    'prod-api apps/api/envs/dev https://prod.example:6443 api',
    'in-cluster-api apps/api/envs/dev https://kubernetes.default.svc api',
  ]);
  const selected = `
goTemplate: true
generators:
- clusters:
    selector:
      matchExpressions: [{key: tier, operator: In, values: [critical]}]
template:
  metadata: {name: '{{ .name }}-{{ .metadata.labels.env }}'}
  spec:
    project: shop
    source: {repoURL: ${REPO}, path: apps/api/envs/prod}
    destination: {name: '{{ .name }}', namespace: api}
`;
  assert.deepEqual(summary(selected), ['prod-prod apps/api/envs/prod prod api']);
  const none = expand(selected.replace('critical', 'nothing'));
  assert.equal(none.applications.length, 0);
  assert.equal(none.problems[0].severity, 'info');
  assert.deepEqual(none.problems[0].path, ['spec', 'generators', 0, 'clusters', 'selector']);
});

test("matrix: the second child uses the first one's params; merge joins on mergeKeys", () => {
  const matrix = `
goTemplate: true
goTemplateOptions: ["missingkey=error"]
generators:
- matrix:
    generators:
    - clusters: {selector: {matchLabels: {env: prod}}}
    - git:
        repoURL: ${REPO}
        revision: HEAD
        directories:
        - path: 'apps/*/envs/{{ .name }}'
template:
  metadata: {name: '{{ index .path.segments 1 }}-{{ .name }}'}
  spec:
    project: shop
    source: {repoURL: ${REPO}, path: '{{ .path.path }}'}
    destination: {server: '{{ .server }}', namespace: '{{ index .path.segments 1 }}'}
`;
  assert.deepEqual(summary(matrix), [
    'api-prod apps/api/envs/prod https://prod.example:6443 api',
    'web-prod apps/web/envs/prod https://prod.example:6443 web',
  ]);
  const merge = `
generators:
- merge:
    mergeKeys: [name]
    generators:
    - clusters: {values: {ns: default-ns}}
    - list:
        elements:
        - {name: prod, values.ns: prod-ns}
template:
  metadata: {name: '{{name}}-web'}
  spec:
    project: shop
    source: {repoURL: ${REPO}, path: apps/web/envs/dev}
    destination: {server: '{{server}}', namespace: '{{values.ns}}'}
`;
  assert.deepEqual(summary(merge), [
    'dev-web apps/web/envs/dev https://dev.example:6443 default-ns',
    'prod-web apps/web/envs/dev https://prod.example:6443 prod-ns',
    'in-cluster-web apps/web/envs/dev https://kubernetes.default.svc default-ns',
  ]);
});

test('generator template override, post selector and templatePatch', () => {
  const result = expand(`
goTemplate: true
goTemplateOptions: ["missingkey=error"]
generators:
- list:
    elements: [{svc: api, auto: true}, {svc: web, auto: false}, {svc: skip, auto: false}]
    template:
      metadata: {}
      spec:
        project: special
  selector:
    matchExpressions: [{key: svc, operator: NotIn, values: [skip]}]
template:
  metadata: {name: '{{ .svc }}'}
  spec:
    project: shop
    source: {repoURL: ${REPO}, path: 'apps/{{ .svc }}/envs/dev'}
    destination: {server: https://kubernetes.default.svc, namespace: '{{ .svc }}'}
templatePatch: |
  {{- if .auto }}
  spec:
    syncPolicy:
      automated: {selfHeal: true}
  {{- end }}
`);
  assert.deepEqual(result.problems, []);
  assert.deepEqual(
    result.applications.map((app) => app.object.metadata?.name),
    ['api', 'web'],
  );
  const [api, web] = result.applications.map((app) => app.object.spec as Record<string, unknown>);
  assert.equal(api.project, 'special');
  assert.deepEqual(api.syncPolicy, { automated: { selfHeal: true } });
  assert.equal(web.syncPolicy, undefined);
  // Fields come from where they are written: the override, the patch, or the template.
  const apiApp = result.applications[0];
  assert.deepEqual(apiApp.sourcePath(['spec', 'project']), [
    'spec',
    'generators',
    0,
    'list',
    'template',
    'spec',
    'project',
  ]);
  assert.deepEqual(apiApp.sourcePath(['spec', 'syncPolicy', 'automated']), ['spec', 'templatePatch']);
  assert.deepEqual(apiApp.sourcePath(['spec', 'destination', 'namespace']), [
    'spec',
    'template',
    'spec',
    'destination',
    'namespace',
  ]);
});

test('problems: missing keys, unknown tags, <no value>, live generators, other repositories', () => {
  const missing = expand(`
goTemplate: true
goTemplateOptions: ["missingkey=error"]
generators:
- list: {elements: [{svc: api}]}
template:
  metadata: {name: '{{ .svc }}-{{ .env }}'}
  spec: {project: shop, destination: {namespace: x}}
`);
  assert.equal(missing.applications.length, 0);
  assert.equal(missing.problems.length, 1);
  assert.match(missing.problems[0].message, /template metadata\.name fails .*no entry for key "env"/);
  assert.deepEqual(missing.problems[0].path, ['spec', 'template', 'metadata', 'name']);

  const noValue = expand(`
goTemplate: true
generators:
- list: {elements: [{svc: api}]}
template:
  metadata: {name: '{{ .svc }}'}
  spec: {project: shop, destination: {namespace: '{{ .env }}'}}
`);
  assert.equal(noValue.applications.length, 1);
  assert.match(noValue.problems[0].message, /renders "<no value>"/);

  const fast = expand(`
generators:
- list: {elements: [{svc: api}]}
template:
  metadata: {name: '{{svc}}'}
  spec: {project: shop, destination: {namespace: '{{ env }}'}}
`);
  assert.equal(
    (fast.applications[0].object.spec as { destination: { namespace: string } }).destination.namespace,
    '{{ env }}',
  );
  assert.match(fast.problems[0].message, /\{\{ env \}\} in template spec\.destination\.namespace has no parameter/);

  const live = expand(`
generators:
- pullRequest: {github: {owner: acme, repo: api}}
- scmProvider: {github: {organization: acme}}
- clusterDecisionResource: {configMapRef: ocm}
- plugin: {configMapRef: {name: p}}
- git: {repoURL: https://github.com/other/repo, revision: HEAD, directories: [{path: '*'}]}
template:
  metadata: {name: x}
  spec: {project: shop}
`);
  assert.equal(live.applications.length, 0);
  assert.deepEqual(
    live.problems.map((p) => [p.severity, p.path.join('.')]),
    [
      ['info', 'spec.generators.0.pullRequest'],
      ['info', 'spec.generators.1.scmProvider'],
      ['info', 'spec.generators.2.clusterDecisionResource'],
      ['info', 'spec.generators.3.plugin'],
      ['info', 'spec.generators.4.git.repoURL'],
    ],
  );
});

test('the repository on disk: files the root .gitignore lists are not seen by git generators', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { repoViewFromDisk } = await import('../scripts/argocd/repo-view.ts');
  const root = mkdtempSync(path.join(os.tmpdir(), 'gitops-argocd-view-'));
  for (const dir of ['apps/api', '.gitops-cache/render/apps', 'out/apps'])
    mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, '.gitignore'), '.gitops-cache/\n/out/\n');
  writeFileSync(path.join(root, 'apps/api/config.json'), '{}');
  writeFileSync(path.join(root, '.gitops-cache/render/apps/config.json'), '{}');
  writeFileSync(path.join(root, 'out/apps/config.json'), '{}');
  const view = repoViewFromDisk(root);
  assert.deepEqual(view.files(), ['.gitignore', 'apps/api/config.json']);
  assert.deepEqual(view.directories(), ['apps', 'apps/api']);
});

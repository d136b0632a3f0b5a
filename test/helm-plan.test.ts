// How an Application's helm block becomes `helm template` arguments (units/helm.ts, render/helm.ts),
// case by case against Argo CD's repo server (reposerver/repository/repository.go helmTemplate,
// getResolvedValueFiles; util/helm/cmd.go template; argoproj/argo-cd 37ee009). Pure: no helm runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanSetParameter, helmTemplateArgs, parseHelmVersion } from '../scripts/render/helm.ts';
import { locateInTemplate, splitHelmOutput, templateFile } from '../scripts/render/helm-output.ts';
import { envsubst, kubeVersionOf, planHelm, type HelmContext } from '../scripts/units/helm.ts';

const files = [
  'charts/web/Chart.yaml',
  'charts/web/values.yaml',
  'charts/web/values-prod.yaml',
  'charts/web/env/a.yaml',
  'charts/web/env/b.yaml',
  'charts/web/env/c.yaml',
  'envs/prod/values.yaml',
];

function context(extra: Partial<HelmContext> = {}): HelmContext {
  return {
    appName: 'web-prod',
    namespace: 'shop',
    project: 'shop',
    repoURL: 'https://example.com/acme/deploy.git',
    sourcePath: 'charts/web',
    targetRevision: 'main',
    kubernetesVersion: '1.32',
    refs: new Map([
      ['values', { local: true }],
      ['other', { local: false }],
    ]),
    hasFile: (rel) => files.includes(rel),
    files,
    ...extra,
  };
}

test('defaults: release name is the Application, namespace the destination, kube version the repository', () => {
  const plan = planHelm(undefined, 'charts/web', context());
  assert.equal(plan.releaseName, 'web-prod');
  assert.equal(plan.namespace, 'shop');
  assert.equal(plan.kubeVersion, '1.32.0');
  assert.equal(plan.skipCrds, false);
  assert.deepEqual(plan.valueFiles, []);
  assert.deepEqual(plan.problems, []);
  const overridden = planHelm(
    { releaseName: 'shop', namespace: 'other', kubeVersion: 'v1.29.4', apiVersions: ['monitoring.coreos.com/v1'] },
    'charts/web',
    context(),
  );
  assert.equal(overridden.releaseName, 'shop');
  assert.equal(overridden.namespace, 'other');
  assert.equal(overridden.kubeVersion, '1.29.4');
  assert.deepEqual(overridden.apiVersions, ['monitoring.coreos.com/v1']);
});

test('value files: relative to the chart, absolute from the root, $ref from the ref source, globs in lexical order', () => {
  const plan = planHelm(
    {
      valueFiles: [
        'values-prod.yaml',
        '/envs/prod/values.yaml',
        '$values/envs/prod/values.yaml',
        'env/*.yaml',
        'env/a.yaml',
      ],
    },
    'charts/web',
    context(),
  );
  assert.deepEqual(
    plan.valueFiles.map((entry) => entry.rel),
    // The same file twice is passed once; an explicit entry keeps its place over the glob that matches it.
    [
      'charts/web/values-prod.yaml',
      'envs/prod/values.yaml',
      'charts/web/env/b.yaml',
      'charts/web/env/c.yaml',
      'charts/web/env/a.yaml',
    ],
  );
  assert.deepEqual(plan.problems, []);
});

test('value files Argo CD cannot read offline are remote; ones it refuses are invalid', () => {
  const plan = planHelm(
    {
      valueFiles: [
        '$other/values.yaml',
        'https://example.com/values.yaml',
        'file:///etc/passwd',
        '../../../etc/passwd',
        'missing.yaml',
        'nothing/*.yaml',
      ],
    },
    'charts/web',
    context(),
  );
  assert.deepEqual(
    plan.problems.map((problem) => `${problem.kind} ${problem.at.join('.')}`),
    [
      'remote helm.valueFiles.0',
      'remote helm.valueFiles.1',
      'invalid helm.valueFiles.2',
      'invalid helm.valueFiles.3',
      'invalid helm.valueFiles.4',
      'invalid helm.valueFiles.5',
    ],
  );
  const ignored = planHelm(
    { valueFiles: ['missing.yaml', 'nothing/*.yaml'], ignoreMissingValueFiles: true },
    'charts/web',
    context(),
  );
  assert.deepEqual(ignored.problems, []);
  assert.deepEqual(ignored.valueFiles, []);
});

test('parameters, file parameters, values: --set, --set-string, --set-file and a values file passed last', () => {
  const plan = planHelm(
    {
      parameters: [
        { name: 'image.tag', value: '$ARGOCD_APP_NAME-1' },
        { name: 'port', value: '80', forceString: true },
        { name: 'list', value: 'a,b' },
      ],
      fileParameters: [{ name: 'config', path: 'values.yaml' }],
      values: 'a: 1\n',
      valuesObject: { b: 2 },
      skipCrds: true,
      skipTests: true,
    },
    'charts/web',
    context(),
  );
  assert.deepEqual(plan.set, [
    ['image.tag', 'web-prod-1'],
    ['list', 'a,b'],
  ]);
  assert.deepEqual(plan.setString, [['port', '80']]);
  assert.deepEqual(plan.setFile, [['config', 'charts/web/values.yaml']]);
  // valuesObject wins over values (ValuesYAML).
  assert.deepEqual(plan.inlineValues, { text: '{"b":2}', at: ['helm', 'valuesObject'] });
  const args = helmTemplateArgs({
    chartDir: '/tmp/chart',
    releaseName: plan.releaseName,
    namespace: plan.namespace,
    kubeVersion: plan.kubeVersion,
    apiVersions: ['v1'],
    valueFiles: ['/tmp/a.yaml', '/tmp/values.yaml'],
    set: plan.set,
    setString: plan.setString,
    setFile: [['config', '/tmp/config.yaml']],
    skipCrds: plan.skipCrds,
    skipTests: plan.skipTests,
  });
  assert.deepEqual(args, [
    'template',
    '/tmp/chart',
    '--name-template',
    'web-prod',
    '--namespace',
    'shop',
    '--kube-version',
    '1.32.0',
    '--set',
    'image.tag=web-prod-1',
    '--set',
    'list=a\\,b',
    '--set-string',
    'port=80',
    '--set-file',
    'config=/tmp/config.yaml',
    '--values',
    '/tmp/a.yaml',
    '--values',
    '/tmp/values.yaml',
    '--api-versions',
    'v1',
    '--skip-tests',
  ]);
  assert.ok(helmTemplateArgs({ ...emptyOptions(), skipCrds: false }).includes('--include-crds'));
});

function emptyOptions() {
  return {
    chartDir: '/c',
    releaseName: 'r',
    valueFiles: [],
    set: [],
    setString: [],
    setFile: [],
    skipCrds: true,
    skipTests: false,
  };
}

test('small pieces: Envsubst, cleanSetParameters, versions', () => {
  assert.equal(envsubst('$A-${B}-$$-$UNKNOWN.', { A: 'a', B: 'b' }), 'a-b-$-.');
  assert.equal(cleanSetParameter('a,b'), 'a\\,b');
  assert.equal(cleanSetParameter('a\\,b'), 'a\\,b');
  assert.equal(cleanSetParameter('{a,b}'), '{a,b}');
  assert.equal(kubeVersionOf('1.30'), '1.30.0');
  assert.equal(parseHelmVersion('v3.10.1+g9f88ccb'), 'v3.10.1');
});

test("helm's output: documents with their template, CRDs without the chart's name", () => {
  const docs = splitHelmOutput(
    '---\n# Source: crds/widget.yaml\nkind: CustomResourceDefinition\n---\n# Source: web/templates/a.yaml\nkind: A\n---\nkind: B\n',
  );
  assert.deepEqual(
    docs.map((doc) => `${doc.source}|${doc.text.trim()}`),
    ['crds/widget.yaml|kind: CustomResourceDefinition', 'web/templates/a.yaml|kind: A', 'web/templates/a.yaml|kind: B'],
  );
  const exists = (rel: string) => rel === 'charts/web/crds/widget.yaml';
  assert.equal(templateFile('charts/web', 'crds/widget.yaml', exists), 'charts/web/crds/widget.yaml');
  assert.equal(templateFile('charts/web', 'web/templates/a.yaml', exists), 'charts/web/templates/a.yaml');
  assert.equal(templateFile('.', 'web/templates/a.yaml', exists), 'templates/a.yaml');
});

test('the template line of a field follows the path by indentation', () => {
  const template = `spec:
  template:
    spec:
      {{- if .Values.init }}
      initContainers:
        - name: check
          image: busybox
      {{- end }}
      containers:
        - name: main
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
`;
  // The init container sets no resources: its own line, not the main container's resources.
  assert.equal(locateInTemplate(template, ['spec', 'template', 'spec', 'initContainers', 0, 'resources']), 5);
  assert.equal(locateInTemplate(template, ['spec', 'template', 'spec', 'containers', 0, 'resources']), 11);
  assert.equal(locateInTemplate(template, ['metadata', 'name']), undefined);
});

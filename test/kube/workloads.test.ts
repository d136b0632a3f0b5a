// The shared workload readers (scripts/kube/workloads.ts) know every kind that runs pods or names
// images: OpenShift DeploymentConfig is a workload, Tekton steps and the Jobs a TriggerTemplate or an
// OpenShift Template creates get the image rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { context, app, lineOf, runRule, single, where } from '../rules/helpers.ts';
import { runRulesSync } from '../../scripts/check/engine.ts';
import { builtinRulesIn } from '../../scripts/check/registry.ts';
import {
  containersOf,
  imageContainersOf,
  keyedAs,
  namedOfKind,
  podTemplateOf,
  pointingAt,
  relatedResources,
  FEW,
  selectedByService,
  workloadsMatching,
  workloadsSelectedBy,
} from '../../scripts/kube/workloads.ts';
import { resourcesFromYaml } from '../../scripts/manifest/source.ts';
import type { Resource } from '../../scripts/types.ts';

const deploymentConfig = `apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata: {name: legacy}
spec:
  replicas: 2
  selector: {app: legacy}
  template:
    metadata:
      labels: {app: legacy}
    spec:
      containers:
        - name: legacy
          image: quay.io/acme/legacy:latest
          ports: [{containerPort: 8080}]
          securityContext: {privileged: true}
`;
const service = `apiVersion: v1
kind: Service
metadata: {name: legacy}
spec:
  selector: {app: legacy}
  ports: [{port: 80, targetPort: 8080}]
`;

test('DeploymentConfig is a workload: a Service selects its pods, and the pod-spec and image rules apply', () => {
  const ctx = context([app({ files: { 'app/dc.yaml': deploymentConfig, 'app/service.yaml': service } })]);
  assert.deepEqual(runRule('service-selects-pods', ctx), []);
  assert.deepEqual(runRule('service-target-port-exists', ctx), []);
  assert.deepEqual(where(runRule('no-privileged', ctx)), [
    ['no-privileged', 'app/dc.yaml', lineOf(deploymentConfig, 'privileged: true')],
  ]);
  assert.deepEqual(where(runRule('image-tag-pinned', ctx)), [
    ['image-tag-pinned', 'app/dc.yaml', lineOf(deploymentConfig, 'image:')],
  ]);
  // A kind named DeploymentConfig in another group is not OpenShift's.
  const other = deploymentConfig.replace('apps.openshift.io/v1', 'example.com/v1');
  assert.deepEqual(runRule('image-tag-pinned', single(other)), []);
});

test('Tekton: Task steps, sidecars and step templates, Pipeline task specs and runs get the image rules', () => {
  const task = `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: build}
spec:
  params: [{name: builder}]
  stepTemplate:
    image: registry.example.com/base
  steps:
    - name: compile
      image: golang:latest
    - name: parameterised
      image: $(params.builder)
    - name: pinned
      image: golang:1.23@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
  sidecars:
    - name: docker
      image: docker:dind
`;
  const findings = runRule('image-tag-pinned', single(task, 'ci/task.yaml'));
  assert.deepEqual(where(findings), [
    ['image-tag-pinned', 'ci/task.yaml', lineOf(task, 'image: registry.example.com/base')],
    ['image-tag-pinned', 'ci/task.yaml', lineOf(task, 'image: golang:latest')],
    // "dind" names no version: it moves like latest
    ['image-tag-pinned', 'ci/task.yaml', lineOf(task, 'image: docker:dind')],
  ]);
  const pipeline = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: release}
spec:
  pipelineSpec:
    tasks:
      - name: test
        taskSpec:
          steps:
            - name: unit
              image: node:1.0
    finally:
      - name: notify
        taskSpec:
          steps:
            - name: slack
              image: curlimages/curl
`;
  assert.deepEqual(where(runRule('image-tag-pinned', single(pipeline, 'ci/run.yaml'))), [
    ['image-tag-pinned', 'ci/run.yaml', lineOf(pipeline, 'image: curlimages/curl')],
  ]);
  const registries = runRule(
    'image-registry-allowed',
    context([app({ files: { 'ci/task.yaml': task } })], { lint: { allowedRegistries: ['registry.example.com'] } }),
  );
  assert.deepEqual(
    registries.map((finding) => finding.line),
    [lineOf(task, 'image: golang:latest'), lineOf(task, 'golang:1.23'), lineOf(task, 'docker:dind')],
  );
});

test('Jobs and CronJobs a TriggerTemplate or an OpenShift Template creates get the image rules', () => {
  const triggerTemplate = `apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata: {name: nightly}
spec:
  resourcetemplates:
    - apiVersion: batch/v1
      kind: Job
      metadata: {generateName: nightly-}
      spec:
        template:
          spec:
            restartPolicy: Never
            containers:
              - name: run
                image: quay.io/acme/nightly:latest
`;
  assert.deepEqual(where(runRule('image-tag-pinned', single(triggerTemplate, 'ci/trigger.yaml'))), [
    ['image-tag-pinned', 'ci/trigger.yaml', lineOf(triggerTemplate, 'image:')],
  ]);
  const template = `apiVersion: template.openshift.io/v1
kind: Template
metadata: {name: cleanup}
parameters: [{name: IMAGE}]
objects:
  - apiVersion: batch/v1
    kind: CronJob
    metadata: {name: cleanup}
    spec:
      schedule: "@daily"
      jobTemplate:
        spec:
          template:
            spec:
              containers:
                - name: cleanup
                  image: ose-cli
                - name: parameterised
                  image: \${IMAGE}
`;
  assert.deepEqual(where(runRule('image-tag-pinned', single(template, 'ops/template.yaml'))), [
    ['image-tag-pinned', 'ops/template.yaml', lineOf(template, 'image: ose-cli')],
  ]);
});

test('imageContainersOf: StepAction, ClusterTask and TaskRun steps; kinds that hold no container give none', () => {
  const objects = resourcesFromYaml(
    `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata: {name: clone}
spec: {image: alpine/git:2.45.2}
---
apiVersion: tekton.dev/v1beta1
kind: ClusterTask
metadata: {name: lint}
spec: {steps: [{name: lint, image: golangci/golangci-lint:v1.60}]}
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: once}
spec: {taskSpec: {steps: [{image: busybox:1.36}]}}
---
apiVersion: tekton.dev/v1
kind: CustomRun
metadata: {name: custom}
spec: {steps: [{name: no, image: busybox:1.36}]}
---
apiVersion: example.com/v1
kind: Task
metadata: {name: not-tekton}
spec: {steps: [{name: no, image: busybox:1.36}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
`,
    'ci.yaml',
  );
  const found = objects.map((resource) =>
    imageContainersOf(resource.object).map(({ name, path, init, sidecar }) => ({ name, path, init, sidecar })),
  );
  assert.deepEqual(found, [
    [{ name: 'clone', path: ['spec'], init: false, sidecar: false }],
    [{ name: 'lint', path: ['spec', 'steps', 0], init: false, sidecar: false }],
    [{ name: '#0', path: ['spec', 'taskSpec', 'steps', 0], init: false, sidecar: false }],
    [],
    [],
    [],
  ]);
});

test("releaseScope: after the scope pass a scope's memos are let go, and asking again gives the same", () => {
  const dev = app({ env: 'dev', files: { 'overlays/dev/legacy/all.yaml': `${deploymentConfig}---\n${service}` } });
  const prod = app({ env: 'prod', files: { 'overlays/prod/legacy/all.yaml': `${deploymentConfig}---\n${service}` } });
  const ctx = context([dev, prod]);
  const rules = builtinRulesIn('rules'); // the policy rules: synchronous
  const workload = dev.resources[0];
  const before = { template: podTemplateOf(workload.object), related: relatedResources(ctx.apps, dev) };
  const containers = containersOf(before.template!);
  const withMemos = runRulesSync(ctx, { rules }).findings;
  const after = { template: podTemplateOf(workload.object), related: relatedResources(ctx.apps, dev) };
  assert.notEqual(after.template, before.template, 'the pod template was worked out again');
  assert.notEqual(after.related, before.related, 'the related list is a new one (the indexes keyed on it went)');
  assert.deepEqual(after.template, before.template);
  assert.deepEqual(after.related, before.related);
  assert.deepEqual(containersOf(after.template!), containers);
  // A second run over the same context (its memos rebuilt) finds the same.
  assert.deepEqual(runRulesSync(ctx, { rules }).findings, withMemos);
});

test('the lookup indexes give what a walk of the list gives, in its order, odd names included', () => {
  const resources = resourcesFromYaml(
    [
      'kind: Secret\nmetadata: {name: db, namespace: a}',
      'kind: ConfigMap\nmetadata: {name: db}',
      'kind: Secret\nmetadata: {name: db, namespace: b}',
      'kind: Secret\nmetadata: {namespace: c}',
      'kind: Secret\nmetadata: {name: 7}',
      'kind: Secret\nmetadata: {name: "7"}',
      'kind: HorizontalPodAutoscaler\nmetadata: {name: h1}\nspec: {scaleTargetRef: {kind: Deployment, name: web}}',
      'kind: HorizontalPodAutoscaler\nmetadata: {name: h2}\nspec: {scaleTargetRef: {kind: StatefulSet, name: web}}',
      'kind: HorizontalPodAutoscaler\nmetadata: {name: h3}\nspec: {scaleTargetRef: {kind: Deployment, name: web}}',
      'kind: HorizontalPodAutoscaler\nmetadata: {name: h4}\nspec: {scaleTargetRef: {}}',
      'kind: RoleBinding\nmetadata: {name: b1}\nsubjects: [{kind: ServiceAccount, name: x}, {kind: ServiceAccount, name: x}, {kind: User, name: y}]',
    ].join('\n---\n'),
    'all.yaml',
  );
  const names = (list: Resource[]) =>
    list.map((r) => `${r.object.kind} ${r.object.metadata?.namespace ?? '-'}/${String(r.object.metadata?.name)}`);
  const walk = (kind: string, name: unknown) =>
    resources.filter((r) => r.object.kind === kind && r.object.metadata?.name === name);
  for (const name of ['db', '7'])
    assert.deepEqual(names(namedOfKind(resources, 'Secret', name)), names(walk('Secret', name)), name);
  assert.deepEqual(names(namedOfKind(resources, 'Secret', 'db')), ['Secret a/db', 'Secret b/db']);
  assert.deepEqual(namedOfKind(resources, 'Secret', 'none'), []);
  const target = (r: Resource) =>
    (r.object.spec as { scaleTargetRef?: { kind?: unknown; name?: unknown } }).scaleTargetRef;
  const [web] = resourcesFromYaml('kind: Deployment\nmetadata: {name: web}', 'web.yaml');
  const [nameless] = resourcesFromYaml('kind: Deployment\nmetadata: {}', 'nameless.yaml');
  assert.deepEqual(
    pointingAt(resources, 'HorizontalPodAutoscaler', 'test', target, web).map((r) => r.object.metadata?.name),
    ['h1', 'h3'],
  );
  // A candidate list, a superset of the exact matches: callers test them in full.
  assert.ok(pointingAt(resources, 'HorizontalPodAutoscaler', 'test', target, nameless).length <= 1);
  const accounts = (r: Resource) =>
    ((r.object.subjects ?? []) as { kind: string; name: string }[])
      .filter((s) => s.kind === 'ServiceAccount')
      .map((s) => s.name);
  assert.equal(
    keyedAs(resources, 'RoleBinding', 'test', accounts, 'x').length,
    1,
    'a binding naming x twice is one candidate',
  );
  assert.deepEqual(keyedAs(resources, 'RoleBinding', 'test', accounts, 'y'), []);
});

test('selections are answered once per selector and namespace, and a selector JSON cannot tell apart is asked afresh', () => {
  const workload = (name: string, namespace: string, labels: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n  selector: {matchLabels: ${labels}}\n  template:\n    metadata: {labels: ${labels}}\n    spec: {containers: [{name: c, image: x}]}`;
  // More candidates than FEW: shorter lists are walked each time and nothing is kept.
  const many = FEW + 4;
  const fronts = (namespace: string) =>
    Array.from({ length: many }, (_, i) => workload(`${namespace}${i}`, namespace, '{app: web, tier: front}'));
  const resources = resourcesFromYaml(
    [
      ...fronts('a'),
      ...fronts('b'),
      workload('back', 'a', '{app: web, tier: back}'),
      'apiVersion: v1\nkind: Service\nmetadata: {name: s1, namespace: a}\nspec: {selector: {app: web, tier: front}}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s2, namespace: a}\nspec: {selector: {tier: front, app: web}}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s3, namespace: b}\nspec: {selector: {app: web, tier: front}}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s4}\nspec: {selector: {app: web}}',
    ].join('\n---\n'),
    'all.yaml',
  );
  const byName = (name: string) => resources.find((r) => r.object.metadata?.name === name)!;
  const picked = (list: { workload: Resource }[]) => list.map(({ workload }) => String(workload.object.metadata?.name));
  const selectorOf = (name: string) => (byName(name).object.spec as { selector: Record<string, string> }).selector;
  const ask = (service: string) => workloadsSelectedBy(selectorOf(service), byName(service).object, resources);
  const inA = Array.from({ length: many }, (_, i) => `a${i}`);
  const s1 = ask('s1');
  assert.deepEqual(picked(s1), inA);
  // One object asking again is not kept (each of its rules asks; holding every answer costs memory).
  assert.notEqual(ask('s1'), s1);
  // The same selector in another key order, from another object in the namespace: the same answer,
  // kept once a second object asks, and shared from then on.
  const again = ask('s2');
  assert.deepEqual(again, s1);
  assert.equal(ask('s1'), again);
  // Another namespace is another question; no namespace picks in every one.
  assert.deepEqual(
    picked(ask('s3')),
    inA.map((name) => name.replace('a', 'b')),
  );
  assert.equal(ask('s4').length, 2 * many + 1);
  // Label selectors: `.nan` and null are one JSON (null) but not one selector: neither answer is reused.
  const expression = (values: unknown[]) => ({ matchExpressions: [{ key: 'tier', operator: 'In', values }] });
  const nanLabelled = [...resources, ...resourcesFromYaml(workload('n', 'a', '{tier: NaN}'), 'n.yaml')];
  const owners = [byName('s1').object, byName('s2').object];
  for (const owner of owners) {
    assert.deepEqual(picked(workloadsMatching(expression(['front']), owner, nanLabelled)), inA);
    assert.deepEqual(picked(workloadsMatching(expression([null]), owner, nanLabelled)), []);
    assert.deepEqual(picked(workloadsMatching(expression([Number.NaN]), owner, nanLabelled)), ['n']);
  }
  // Services grouped by selector and namespace still answer for each workload's own namespace.
  const services = (names: string[]) =>
    resources.filter((r) => r.object.kind !== 'Service' || names.includes(String(r.object.metadata?.name)));
  assert.equal(selectedByService(byName('a0'), resources), true);
  assert.equal(selectedByService(byName('back'), resources), true, 's4 has no namespace: it may be in that of back');
  assert.equal(selectedByService(byName('back'), services(['s1', 's2', 's3'])), false);
  assert.equal(selectedByService(byName('b0'), services(['s1', 's2', 's3'])), true);
  assert.equal(selectedByService(byName('b0'), services(['s1', 's2'])), false);
  // Many Services under one lookup key, most of one selector: grouped, with the same answers.
  const crowd = resourcesFromYaml(
    [
      workload('w', 'a', '{app: web, tier: front}'),
      ...Array.from(
        { length: many },
        (_, i) => `apiVersion: v1\nkind: Service\nmetadata: {name: c${i}, namespace: b}\nspec: {selector: {app: web}}`,
      ),
      'apiVersion: v1\nkind: Service\nmetadata: {name: last, namespace: a}\nspec: {selector: {app: web, tier: front}}',
    ].join('\n---\n'),
    'crowd.yaml',
  );
  assert.equal(selectedByService(crowd[0], crowd), true, 'the one Service in its namespace is found among the crowd');
  assert.equal(selectedByService(crowd[0], crowd.slice(0, -1)), false);
});

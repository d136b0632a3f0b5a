// Every example gitops.yaml (the built-in e-commerce system, examples/oms, examples/kubernetes-1.29)
// generates a repository that validates with no errors and no warnings, and each feature the seed
// systems needed is in what Argo CD would deploy: the examples are the documentation that runs.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { generate } from '../../scripts/generate/index.ts';
import { parseRenderedYaml } from '../../scripts/manifest/rendered.ts';
import type { KubeObject } from '../../scripts/types.ts';
import { validateRepository } from '../../scripts/validate/index.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..');
/** Rendered objects as the tests read them: deep paths into plain JSON, asserted on, not typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const temp = mkdtempSync(join(tmpdir(), 'gitops-examples-'));
after(() => rmSync(temp, { recursive: true, force: true }));

interface Generated {
  root: string;
  /** env -> every object its apps render */
  objects: Map<string, KubeObject[]>;
  errors: number;
  warnings: number;
  findings: string[];
}

const cache = new Map<string, Promise<Generated>>();
/** The example's folder copied (gitops.yaml and the files it mounts), generated and validated once. */
function generated(config: string, extra: string[] = []): Promise<Generated> {
  let result = cache.get(config);
  if (!result) {
    result = (async () => {
      const root = mkdtempSync(join(temp, 'example-'));
      cpSync(config, join(root, 'gitops.yaml'));
      for (const folder of extra) cpSync(join(dirname(config), folder), join(root, folder), { recursive: true });
      generate(join(root, 'gitops.yaml'), root);
      const { report, ctx } = await validateRepository(root);
      const objects = new Map<string, KubeObject[]>();
      for (const app of ctx.apps) {
        if (!app.env) continue;
        objects.set(app.env, [...(objects.get(app.env) ?? []), ...app.resources.map((resource) => resource.object)]);
      }
      return {
        root,
        objects,
        errors: report.summary.errors,
        warnings: report.summary.warnings,
        findings: report.findings.map(
          (finding) => `${finding.file}:${finding.line} ${finding.ruleId}: ${finding.message}`,
        ),
      };
    })();
    cache.set(config, result);
  }
  return result;
}

function find(repo: Generated, env: string, kind: string, name: string): Json {
  const object = (repo.objects.get(env) ?? []).find(
    (candidate) => candidate.kind === kind && candidate.metadata?.name?.startsWith(name),
  );
  assert.ok(object, `${env}: ${kind}/${name} is rendered`);
  return object as Json;
}

function argocd(repo: Generated, file: string): Json {
  return parseRenderedYaml(readFileSync(join(repo.root, 'argocd', file), 'utf8'))[0] as Json;
}

describe('the built-in e-commerce example', () => {
  const example = () => generated(join(repoRoot, 'gitops.yaml'), ['config', 'sealed']);

  test('validates with no errors and no warnings', async () => {
    const repo = await example();
    assert.deepEqual(repo.findings, []);
  });

  test('prod releases order-service as an Argo Rollouts canary with analysis, its HPA and VPA following the Rollout; dev and staging roll', async () => {
    const repo = await example();
    const rollout = find(repo, 'prod', 'Rollout', 'order-service');
    assert.deepEqual(rollout.spec.workloadRef, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'order-service',
      scaleDown: 'progressively',
    });
    assert.deepEqual(
      rollout.spec.strategy.canary.steps.map((step: Json) => step.setWeight ?? step.pause.duration),
      [20, '300s', 50, '300s'],
    );
    assert.equal(rollout.spec.strategy.canary.analysis.templates[0].templateName, 'order-service-success-rate');
    const template = find(repo, 'prod', 'AnalysisTemplate', 'order-service-success-rate');
    assert.equal(template.spec.metrics[0].successCondition, 'result[0] >= 0.99');
    assert.match(template.spec.metrics[0].provider.prometheus.query, /http_server_requests_seconds_count/);
    // the HPA follows the Rollout, which owns the pods in prod; elsewhere it scales the Deployment
    assert.deepEqual(find(repo, 'prod', 'HorizontalPodAutoscaler', 'order-service').spec.scaleTargetRef, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'order-service',
    });
    assert.equal(
      find(repo, 'staging', 'HorizontalPodAutoscaler', 'order-service').spec.scaleTargetRef.kind,
      'Deployment',
    );
    for (const env of ['dev', 'staging'])
      assert.ok(!(repo.objects.get(env) ?? []).some((object) => object.kind === 'Rollout'), `${env} has no Rollout`);
    // the VPA recommends only (quoted "Off": YAML 1.1 readers take a plain Off for false) and follows the Rollout in prod
    const vpa = find(repo, 'prod', 'VerticalPodAutoscaler', 'order-service');
    assert.equal(vpa.spec.updatePolicy.updateMode, 'Off');
    assert.equal(vpa.spec.targetRef.kind, 'Rollout');
    assert.equal(find(repo, 'dev', 'VerticalPodAutoscaler', 'order-service').spec.targetRef.kind, 'Deployment');
    assert.match(readFileSync(join(repo.root, 'base', 'order-service', 'vpa.yaml'), 'utf8'), /updateMode: "Off"/);
    // prod's AppProject allows what its Applications now deploy
    const allowed = argocd(repo, 'appproject-prod.yaml').spec.namespaceResourceWhitelist.map(
      (entry: Json) => `${entry.group}/${entry.kind}`,
    );
    assert.ok(allowed.includes('argoproj.io/Rollout') && allowed.includes('argoproj.io/AnalysisTemplate'));
    assert.ok(
      !argocd(repo, 'appproject-dev.yaml').spec.namespaceResourceWhitelist.some(
        (entry: Json) => entry.kind === 'Rollout',
      ),
    );
  });

  test('prod releases payment-service blue-green: a preview Service, promoted by hand, analysed after the switch, old pods kept ten minutes', async () => {
    const repo = await example();
    const blueGreen = find(repo, 'prod', 'Rollout', 'payment-service').spec.strategy.blueGreen;
    assert.deepEqual(
      [
        blueGreen.activeService,
        blueGreen.previewService,
        blueGreen.autoPromotionEnabled,
        blueGreen.scaleDownDelaySeconds,
      ],
      ['payment-service', 'payment-service-preview', false, 600],
    );
    assert.equal(blueGreen.postPromotionAnalysis.templates[0].templateName, 'payment-service-success-rate');
    assert.equal(find(repo, 'prod', 'Service', 'payment-service-preview').spec.ports[0].port, 8083);
    assert.equal(find(repo, 'prod', 'HorizontalPodAutoscaler', 'payment-service').spec.scaleTargetRef.kind, 'Rollout');
    assert.ok(
      !(repo.objects.get('staging') ?? []).some((object) => object.metadata?.name === 'payment-service-preview'),
    );
  });

  test("payment-service's gateway key: a SealedSecret in prod (copied from sealed/prod/), an ExternalSecret from Vault in dev and staging", async () => {
    const repo = await example();
    const sealed = find(repo, 'prod', 'SealedSecret', 'payment-service-gateway');
    assert.deepEqual(Object.keys(sealed.spec.encryptedData), ['api-key']);
    assert.equal(sealed.metadata.namespace, 'microservices');
    const has = (env: string, kind: string) =>
      (repo.objects.get(env) ?? []).some(
        (object) => object.kind === kind && object.metadata?.name === 'payment-service-gateway',
      );
    assert.ok(!has('prod', 'ExternalSecret'), 'the SealedSecret replaces the ExternalSecret in prod');
    for (const env of ['dev', 'staging']) assert.ok(has(env, 'ExternalSecret') && !has(env, 'SealedSecret'), env);
    // the other secret of the service stays an ExternalSecret in prod
    assert.equal(
      find(repo, 'prod', 'ExternalSecret', 'payment-service-database').spec.target.name,
      'payment-service-database',
    );
  });

  test('HPA on memory with a scale-down behavior; PDB minAvailable; Service port 80 to the container port 9080', async () => {
    const repo = await example();
    const hpa = find(repo, 'prod', 'HorizontalPodAutoscaler', 'product-service');
    assert.deepEqual(
      hpa.spec.metrics.map((metric: Json) => metric.resource.name),
      ['cpu', 'memory'],
    );
    assert.equal(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds, 300);
    assert.equal(find(repo, 'dev', 'PodDisruptionBudget', 'api-gateway').spec.minAvailable, 1);
    const service = find(repo, 'dev', 'Service', 'api-gateway');
    assert.deepEqual(service.spec.ports[0], { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' });
    const gateway = find(repo, 'dev', 'Deployment', 'api-gateway').spec.template.spec.containers[0];
    assert.equal(gateway.ports[0].containerPort, 9080);
    assert.equal(gateway.imagePullPolicy, 'Always');
  });

  test('preStop hooks: HTTP (gateway), exec (orders), the 1.30+ sleep action (the others)', async () => {
    const repo = await example();
    const hook = (name: string) =>
      find(repo, 'prod', 'Deployment', name).spec.template.spec.containers[0].lifecycle.preStop;
    assert.deepEqual(hook('api-gateway'), { httpGet: { path: '/drain', port: 'metrics' } });
    assert.deepEqual(hook('order-service'), { exec: { command: ['/app/bin/drain', '--timeout', '20s'] } });
    assert.deepEqual(hook('user-service'), { sleep: { seconds: 5 } });
  });

  test('scheduling: nodeSelector, tolerations and node affinity, with the default spread kept', async () => {
    const repo = await example();
    const spec = find(repo, 'prod', 'StatefulSet', 'postgresql').spec.template.spec;
    assert.deepEqual(spec.nodeSelector, { 'node-pool': 'data' });
    assert.equal(spec.tolerations[0].key, 'dedicated');
    assert.ok(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution);
    assert.ok(spec.affinity.podAntiAffinity, 'the default spread over nodes stays');
  });

  test('config files mounted from files: application.yml and logback.xml, byte for byte', async () => {
    const repo = await example();
    const files = find(repo, 'prod', 'ConfigMap', 'product-service-files');
    assert.equal(
      files.data['application.yml'],
      readFileSync(join(repoRoot, 'config/product-service/application.yml'), 'utf8'),
    );
    assert.match(files.data['logback.xml'], /<configuration>/);
    const mounts = find(repo, 'prod', 'Deployment', 'product-service').spec.template.spec.containers[0].volumeMounts;
    assert.ok(
      mounts.some((mount: Json) => mount.mountPath === '/app/config/logback.xml' && mount.subPath === 'logback.xml'),
    );
  });

  test('StorageClass and the ServiceMonitor release label per environment', async () => {
    const repo = await example();
    const storage = (env: string) =>
      find(repo, env, 'StatefulSet', 'postgresql').spec.volumeClaimTemplates[0].spec.storageClassName;
    assert.equal(storage('dev'), 'standard');
    assert.equal(storage('prod'), 'premium-rwo');
    const release = (env: string) => find(repo, env, 'ServiceMonitor', 'order-service').metadata.labels.release;
    assert.equal(release('dev'), 'kube-prometheus-stack');
    assert.equal(release('prod'), 'prometheus-prod');
  });

  test('one AppProject per environment: only its cluster, a read-only and a deployer role, prod sync windows', async () => {
    const repo = await example();
    const dev = argocd(repo, 'appproject-dev.yaml');
    assert.deepEqual([...new Set(dev.spec.destinations.map((d: Json) => d.server))], ['https://dev.k8s.example.com']);
    assert.deepEqual(
      dev.spec.roles.map((role: Json) => role.name),
      ['read-only', 'deployer'],
    );
    const prod = argocd(repo, 'appproject-prod.yaml');
    assert.deepEqual(prod.spec.roles[1].groups, ['shop-release']);
    assert.deepEqual(
      prod.spec.syncWindows.map((window: Json) => window.kind),
      ['allow', 'deny'],
    );
    assert.equal(argocd(repo, 'applicationset-prod.yaml').spec.template.spec.project, 'shop-prod');
  });
});

describe('examples/oms', () => {
  const example = () => generated(join(repoRoot, 'examples', 'oms', 'gitops.yaml'));

  test('validates with no errors and no warnings', async () => {
    assert.deepEqual((await example()).findings, []);
  });

  test('a DaemonSet in every environment, its pods (one per node) in the namespace quota', async () => {
    const repo = await example();
    for (const env of ['dev', 'staging', 'prod']) find(repo, env, 'DaemonSet', 'image-prefetcher');
    const quota = find(repo, 'prod', 'ResourceQuota', 'oms-system');
    assert.ok(Number(quota.spec.hard.pods) >= 41, `room for 40 nodes + one rolling (${quota.spec.hard.pods})`);
  });

  test('HPAs on External (backlog), Pods (requests per pod) and Object (Ingress request rate) metrics', async () => {
    const repo = await example();
    const types = (name: string) =>
      find(repo, 'prod', 'HorizontalPodAutoscaler', name).spec.metrics.map((metric: Json) => metric.type);
    assert.deepEqual(types('consumer-amazon'), ['External']);
    assert.deepEqual(types('order-api'), ['Resource', 'Pods']);
    assert.deepEqual(types('web-storefront'), ['Resource', 'Object']);
  });
});

describe('examples/kubernetes-1.29', () => {
  const example = () => generated(join(repoRoot, 'examples', 'kubernetes-1.29', 'gitops.yaml'));

  test('validates with no errors and no warnings, and pauses with an exec sleep (no 1.30 sleep action)', async () => {
    const repo = await example();
    assert.deepEqual(repo.findings, []);
    const hook = find(repo, 'prod', 'Deployment', 'invoicer').spec.template.spec.containers[0].lifecycle.preStop;
    assert.deepEqual(hook, { exec: { command: ['sleep', '10'] } });
  });
});

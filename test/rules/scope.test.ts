// Which objects rules look at together: regressions for false positives found on ../shared/corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app, context, deployment, runRule } from './helpers.ts';

const quota = `apiVersion: v1
kind: ResourceQuota
metadata: {name: pricelist, namespace: pricelist}
spec:
  hard: {requests.cpu: "1"}
`;
const workload = deployment(
  `resources:
  requests: {cpu: 600m, memory: 64Mi}
  limits: {cpu: "1", memory: 128Mi}`,
  { spec: 'replicas: 1' },
).replace('name: web\n', 'name: web\n  namespace: pricelist\n');

test('loose manifests of sibling folders are separate projects (gitops-examples/storageops: one quota per copy)', () => {
  const copies = ['storage', 'storage-dynamic'].flatMap((folder) => [
    app({ manifests: true, files: { [`storageops/${folder}/quota.yaml`]: quota } }),
    app({ manifests: true, files: { [`storageops/${folder}/deploy.yaml`]: workload } }),
  ]);
  assert.deepEqual(runRule('namespace-quota-fits', context(copies)), []);
  // two workloads in the same folder do count together
  const second = workload.replace(/name: web\n/, 'name: api\n');
  const together = [
    app({ manifests: true, files: { 'storageops/storage/quota.yaml': quota } }),
    app({ manifests: true, files: { 'storageops/storage/deploy.yaml': workload } }),
    app({ manifests: true, files: { 'storageops/storage/api.yaml': second } }),
  ];
  assert.equal(runRule('namespace-quota-fits', context(together)).length, 1);
});

test('an object without a namespace may be in any namespace (gitops-examples/bgd-k8s: Service in the base, Ingress with a namespace)', () => {
  const service =
    'apiVersion: v1\nkind: Service\nmetadata: {name: bgd}\nspec:\n  selector: {app: bgd}\n  ports: [{port: 8080}]\n';
  const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: bgd, namespace: bgd}
spec:
  tls: [{hosts: [bgd.example.com], secretName: bgd-tls}]
  rules:
    - host: bgd.example.com
      http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: bgd, port: {number: 8080}}}}]
`;
  const ctx = context([app({ env: 'kind', files: { 'bgd-k8s/overlays/kind/all.yaml': `${service}---\n${ingress}` } })]);
  assert.deepEqual(runRule('ingress-backend-exists', ctx), []);
});

test('replicas-minimum leaves StatefulSets alone: a single-primary database is not fixed by a second pod', () => {
  const statefulSet = deployment('image: postgres:16.4', { spec: 'replicas: 1\nserviceName: postgres' }).replace(
    'kind: Deployment',
    'kind: StatefulSet',
  );
  assert.deepEqual(
    runRule(
      'replicas-minimum',
      context([app({ env: 'prod', files: { 'overlays/prod/postgres/sts.yaml': statefulSet } })]),
    ),
    [],
  );
});

test('env-consistency without gitops.yaml expects only the environments most sibling services share (example repositories)', () => {
  const d = deployment('image: ghcr.io/acme/web:1.0.0');
  const apps = [
    app({ env: 'dev', files: { 'demo-a/overlays/dev/web.yaml': d } }),
    app({ env: 'cluster1', files: { 'demo-b/overlays/cluster1/web.yaml': d } }),
    app({ env: 'cluster2', files: { 'demo-b/overlays/cluster2/web.yaml': d } }),
  ];
  assert.deepEqual(runRule('env-consistency', context(apps)), []);
  assert.deepEqual(runRule('duplicate-resource', context(apps)), []);
});

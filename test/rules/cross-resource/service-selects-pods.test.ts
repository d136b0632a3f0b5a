// service-selects-pods: its failing and passing cases (scripts/rules/cross-resource/service-selects-pods.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { app, context, deployment, lineOf, runRule, single, where } from '../helpers.ts';

const service = (selector: string, ports = '[{port: 80, targetPort: http}]') => `---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: ${selector}
  ports: ${ports}
`;

const web = deployment('ports: [{name: http, containerPort: 8080}]');

test('service-selects-pods: a selector no pod carries; pods in another app of the environment count', () => {
  const yaml = web + service('{app: web-server}');
  assert.deepEqual(where(runRule('service-selects-pods', single(yaml, 'base/web.yaml'))), [
    ['service-selects-pods', 'base/web.yaml', lineOf(yaml, 'selector: {app: web-server}')],
  ]);
  assert.deepEqual(runRule('service-selects-pods', single(web + service('{app: web}'))), []);
  const split = context([
    app({ env: 'prod', files: { 'overlays/prod/web/deploy.yaml': web } }),
    app({ env: 'prod', files: { 'overlays/prod/edge/svc.yaml': service('{app: web}') } }),
  ]);
  assert.deepEqual(runRule('service-selects-pods', split), []);
});

const statefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: kafka}
spec:
  replicas: 3
  serviceName: kafka
  selector: {matchLabels: {app: kafka}}
  template:
    metadata: {labels: {app: kafka}}
    spec:
      containers: [{name: kafka, image: x:1, ports: [{name: broker, containerPort: 9092}]}]
`;
const perPod = (pod: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${pod}}
spec:
  selector:
    statefulset.kubernetes.io/pod-name: ${pod}
  ports: [{port: 9092, targetPort: broker}]
`;

test('service-selects-pods: per-pod Services of a StatefulSet select the pod-name label its controller adds', () => {
  const yaml = statefulSet + perPod('kafka-0') + perPod('kafka-2');
  assert.deepEqual(runRule('service-selects-pods', single(yaml)), []);
  assert.deepEqual(runRule('service-target-port-exists', single(yaml)), []);
});

test('service-selects-pods: a pod-name beyond the replica count, or of another StatefulSet, selects nothing', () => {
  const yaml = statefulSet + perPod('kafka-3') + perPod('zookeeper-0');
  assert.deepEqual(where(runRule('service-selects-pods', single(yaml, 'k.yaml'))), [
    ['service-selects-pods', 'k.yaml', lineOf(yaml, 'selector:', 2)],
    ['service-selects-pods', 'k.yaml', lineOf(yaml, 'selector:', 3)],
  ]);
});

test('service-selects-pods: OpenShift Services select deploymentconfig=<name>, which the DeploymentConfig puts on its pods', () => {
  const yaml = `apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata: {name: frontend}
spec:
  replicas: 2
  selector: {name: frontend}
  template:
    metadata: {labels: {name: frontend}}
    spec:
      containers: [{name: web, image: x:1, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: frontend}
spec:
  selector: {deploymentconfig: frontend}
  ports: [{port: 8080}]
`;
  assert.deepEqual(runRule('service-selects-pods', single(yaml)), []);
  assert.equal(
    runRule('service-selects-pods', single(yaml.replace('{deploymentconfig: frontend}', '{deploymentconfig: backend}')))
      .length,
    1,
  );
});

test('service-selects-pods: a selector key named like an Object method (constructor, toString) is a label like any other', () => {
  // The controller-label table's inherited properties once answered for such a key: with the pods'
  // app label beside it, the selector matched pods that do not carry it.
  for (const key of ['constructor', 'toString', 'valueOf']) {
    const yaml = web + service(`{app: web, ${key}: x}`);
    assert.deepEqual(where(runRule('service-selects-pods', single(yaml, 'web.yaml'))), [
      ['service-selects-pods', 'web.yaml', lineOf(yaml, `selector: {app: web, ${key}: x}`)],
    ]);
    // Pods that carry a label of that name are selected.
    const labelled = deployment('ports: [{name: http, containerPort: 8080}]', { labels: `app: web\n${key}: x` });
    assert.deepEqual(runRule('service-selects-pods', single(labelled + service(`{app: web, ${key}: x}`))), []);
  }
});

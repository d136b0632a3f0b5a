// service-exposed (scripts/rules/security/service-exposed.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';

const service = (spec: string, annotations = '{}') => `apiVersion: v1
kind: Service
metadata:
  name: web
  annotations: ${annotations}
spec:
${spec}
  selector: {app: web}
  ports: [{port: 80}]
`;

test('service-exposed: NodePort and a public LoadBalancer are reported on the type', () => {
  const nodePort = service('  type: NodePort');
  assert.deepEqual(where(runRule('service-exposed', single(nodePort, 's.yaml'))), [
    ['service-exposed', 's.yaml', lineOf(nodePort, 'type: NodePort')],
  ]);
  assert.match(runRule('service-exposed', single(service('  type: LoadBalancer')))[0].message, /public address/);
});

test('service-exposed: ClusterIP, an internal load balancer or source ranges pass', () => {
  assert.deepEqual(runRule('service-exposed', single(service('  type: ClusterIP'))), []);
  assert.deepEqual(
    runRule(
      'service-exposed',
      single(service('  type: LoadBalancer', '{service.beta.kubernetes.io/aws-load-balancer-scheme: internal}')),
    ),
    [],
  );
  assert.deepEqual(
    runRule('service-exposed', single(service('  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]'))),
    [],
  );
});

// scaledobject-conflict: its failing and passing cases (scripts/rules/delivery/scaledobject-conflict.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';
import { docs, hpaYaml, scaledObjectYaml } from './fixtures.ts';

test('scaledobject-conflict: an HPA on the same Deployment, a second ScaledObject, a transfer naming another HPA', () => {
  const yaml = docs(
    scaledObjectYaml('orders', 'orders'),
    hpaYaml('orders', 'orders'),
    scaledObjectYaml('payments', 'payments'),
    scaledObjectYaml('payments-lag', 'payments'),
    scaledObjectYaml(
      'stock',
      'stock',
      'advanced: {horizontalPodAutoscalerConfig: {name: stock-old}}',
      'scaledobject.keda.sh/transfer-hpa-ownership: "true"',
    ),
    hpaYaml('stock', 'stock'),
  );
  const findings = runRule('scaledobject-conflict', single(yaml));
  assert.deepEqual(where(findings), [
    ['scaledobject-conflict', 'app/resources.yaml', lineOf(yaml, 'scaleTargetRef: {name: orders}')],
    [
      'scaledobject-conflict',
      'app/resources.yaml',
      yaml.split('\n').lastIndexOf('  scaleTargetRef: {name: payments}') + 1,
    ],
    ['scaledobject-conflict', 'app/resources.yaml', lineOf(yaml, 'scaleTargetRef: {name: stock}')],
  ]);
  assert.match(findings[0].message, /HorizontalPodAutoscaler "orders" already scales/);
  assert.match(findings[1].message, /ScaledObject "payments" already scales/);
});

test('scaledobject-conflict: a takeover, an HPA KEDA owns or skips, another kind of the same name pass', () => {
  const owned = hpaYaml('keda-hpa-orders', 'orders').replace(
    'namespace: shop}',
    'namespace: shop, ownerReferences: [{apiVersion: keda.sh/v1alpha1, kind: ScaledObject, name: orders, uid: x}]}',
  );
  const skipped = hpaYaml('stock-hpa', 'stock').replace(
    'namespace: shop}',
    'namespace: shop, annotations: {validations.keda.sh/hpa-ownership: "false"}}',
  );
  const statefulSet = hpaYaml('cart', 'cart').replace('kind: Deployment', 'kind: StatefulSet');
  const yaml = docs(
    scaledObjectYaml('orders', 'orders'),
    owned,
    scaledObjectYaml(
      'payments',
      'payments',
      'advanced: {horizontalPodAutoscalerConfig: {name: payments-old}}',
      'scaledobject.keda.sh/transfer-hpa-ownership: "true"',
    ),
    hpaYaml('payments-old', 'payments'),
    scaledObjectYaml('stock', 'stock'),
    skipped,
    scaledObjectYaml('cart', 'cart'),
    statefulSet,
  );
  assert.deepEqual(runRule('scaledobject-conflict', single(yaml)), []);
});

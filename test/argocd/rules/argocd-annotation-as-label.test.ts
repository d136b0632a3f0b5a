// argocd-annotation-as-label (scripts/argocd/rules/argocd-annotation-as-label.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../../rules/helpers.ts';

const configMap = (metadata: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
${metadata}
data: {A: b}
`;

test('argocd-annotation-as-label: a sync wave or hook written as a label is reported on the label', () => {
  const yaml = configMap('  labels:\n    argocd.argoproj.io/sync-wave: "2"\n    argocd.argoproj.io/instance: shop');
  const findings = runRule('argocd-annotation-as-label', single(yaml, 'cm.yaml'));
  assert.deepEqual(where(findings), [['argocd-annotation-as-label', 'cm.yaml', lineOf(yaml, 'sync-wave')]]);
  assert.match(findings[0].message, /reads it only as an annotation/);
});

test('argocd-annotation-as-label: the same keys as annotations, and the instance tracking label, pass', () => {
  assert.deepEqual(
    runRule('argocd-annotation-as-label', single(configMap('  annotations:\n    argocd.argoproj.io/sync-wave: "2"'))),
    [],
  );
  assert.deepEqual(
    runRule(
      'argocd-annotation-as-label',
      single(
        configMap('  labels: {argocd.argoproj.io/instance: shop, argocd.argoproj.io/managed-by: openshift-gitops}'),
      ),
    ),
    [],
  );
});

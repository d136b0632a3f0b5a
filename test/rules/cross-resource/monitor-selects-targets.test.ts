// monitor-selects-targets (scripts/rules/cross-resource/monitor-selects-targets.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lineOf, runRule, single, where } from '../helpers.ts';

const service = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels: {app: web, team: shop}
spec:
  selector: {app: web}
  ports: [{name: metrics, port: 9090}]
`;
const monitor = (kind: string, selector: string, extra = '') => `apiVersion: monitoring.coreos.com/v1
kind: ${kind}
metadata:
  name: web
  namespace: shop
spec:
  selector: ${selector}${extra}
`;

test('monitor-selects-targets: a ServiceMonitor matching no Service labels, and a PodMonitor matching no pods, are reported', () => {
  const yaml = `${service}---\n${monitor('ServiceMonitor', '{matchLabels: {app: web-metrics}}')}`;
  const findings = runRule('monitor-selects-targets', single(yaml, 'm.yaml'));
  assert.deepEqual(where(findings), [
    ['monitor-selects-targets', 'm.yaml', lineOf(yaml, 'selector: {matchLabels: {app: web-metrics')],
  ]);
  assert.match(findings[0].message, /no Service in the namespaces it watches/);
  const pods = `${deployment('image: x:1')}---\n${monitor('PodMonitor', '{matchLabels: {app: api}}')}`;
  assert.match(runRule('monitor-selects-targets', single(pods))[0].message, /no pod in the namespaces/);
});

test('monitor-selects-targets: matching Service labels, or a namespaceSelector towards namespaces not deployed here, pass', () => {
  assert.deepEqual(
    runRule(
      'monitor-selects-targets',
      single(`${service}---\n${monitor('ServiceMonitor', '{matchLabels: {team: shop}}')}`),
    ),
    [],
  );
  const elsewhere = `${service}---\n${monitor('ServiceMonitor', '{matchLabels: {app: db}}', '\n  namespaceSelector: {matchNames: [databases]}')}`;
  assert.deepEqual(runRule('monitor-selects-targets', single(elsewhere)), []);
});

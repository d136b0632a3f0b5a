// rollout-services-exist: its failing and passing cases (scripts/rules/delivery/rollout-services-exist.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, runRule, single, where } from '../helpers.ts';
import { deploymentYaml, docs, partialScope, rollout, serviceYaml } from './fixtures.ts';

test('rollout-services-exist: a missing preview Service, one Service for both roles, a selector the pods do not satisfy', () => {
  const blueGreen = rollout('blueGreen:\n  activeService: web\n  previewService: web-preview');
  const same = rollout('canary:\n  stableService: api\n  canaryService: api\n  steps: [{setWeight: 10}]', {
    name: 'api',
  });
  const yaml = docs(blueGreen, same, serviceYaml('web', '{app: web, tier: front}'), serviceYaml('api', '{app: api}'));
  const findings = runRule('rollout-services-exist', single(yaml));
  assert.deepEqual(where(findings), [
    ['rollout-services-exist', 'app/resources.yaml', lineOf(yaml, 'activeService: web')],
    ['rollout-services-exist', 'app/resources.yaml', lineOf(yaml, 'previewService: web-preview')],
    ['rollout-services-exist', 'app/resources.yaml', lineOf(yaml, 'canaryService: api')],
  ]);
  assert.match(findings[0].message, /tier=front/);
  assert.match(findings[2].message, /both "api"/);
});

test('rollout-services-exist: NGINX routing needs both Services', () => {
  const yaml = rollout(
    'canary:\n  stableService: web\n  trafficRouting: {nginx: {stableIngress: web}}\n  steps: [{setWeight: 10}]',
  );
  const findings = runRule('rollout-services-exist', single(docs(yaml, serviceYaml('web'))));
  assert.deepEqual(where(findings), [['rollout-services-exist', 'app/resources.yaml', lineOf(yaml, 'trafficRouting')]]);
  assert.match(findings[0].message, /needs canaryService/);
});

test('rollout-services-exist: Services that select the borrowed template pass, the hash label aside', () => {
  const yaml = docs(
    rollout('canary:\n  stableService: web-stable\n  canaryService: web-canary\n  steps: [{setWeight: 10}]', {
      spec: 'workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web, scaleDown: progressively}',
    }),
    deploymentYaml('web'),
    serviceYaml('web-stable', '{app: web, rollouts-pod-template-hash: abc123}'),
    serviceYaml('web-canary'),
  );
  assert.deepEqual(runRule('rollout-services-exist', single(yaml)), []);
  // Istio with a DestinationRule needs no Services at all.
  const subsets = rollout(
    'canary:\n  trafficRouting: {istio: {virtualService: {name: web}, destinationRule: {name: web, canarySubsetName: canary, stableSubsetName: stable}}}\n  steps: [{setWeight: 10}]',
  );
  assert.deepEqual(runRule('rollout-services-exist', single(subsets)), []);
});

test('rollout-services-exist: a missing Service is not reported where part of the scope could not be rendered', () => {
  const yaml = rollout('blueGreen:\n  activeService: web\n  previewService: web');
  const partial = runRule('rollout-services-exist', partialScope(yaml));
  // the two roles sharing one Service is wrong whatever else the scope holds; the absence is not proven
  assert.deepEqual(where(partial), [['rollout-services-exist', 'app/resources.yaml', lineOf(yaml, 'previewService')]]);
  assert.equal(runRule('rollout-services-exist', single(yaml)).length, 3);
});

// The existence rules ("X references Y, which is not deployed here", "selects nothing") claim an
// absence. In a scope that could not be rendered whole (a remote base, helmCharts, a plugin: App.partial)
// the missing object may come from the part that was not rendered, so each stays quiet there
// (scopeIsComplete in scripts/kube/workloads.ts). Each rule's own bad example is the fixture: it fires
// in a whole scope and not in a partial one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleFiles } from '../../scripts/check/catalog.ts';
import { builtinRules, findRule } from '../../scripts/check/registry.ts';
import { app, context, runRule } from './helpers.ts';

const RULES = fileURLToPath(new URL('../../scripts/rules/', import.meta.url));

/** Every rule that reports an object missing from its scope. */
const EXISTENCE_RULES = [
  'flagger-refs-exist',
  'hpa-target-exists',
  'ingress-backend-exists',
  'monitor-selects-targets',
  'networkpolicy-selects-pods',
  'pdb-selects-pods',
  'rollout-analysis-exists',
  'rollout-services-exist',
  'rollout-traffic-routing-exists',
  'rollout-workload-ref',
  'secret-ref-exists',
  'service-selects-pods',
  'service-target-port-declared',
  'service-target-port-exists',
];

/**
 * Rules whose documented bad example shows a problem with an object that is there (a route missing
 * from a VirtualService, a borrowed Deployment still running): the absence case is the example with
 * the object taken out.
 */
const ABSENT_FROM_EXAMPLE: Record<string, RegExp> = {
  'rollout-traffic-routing-exists': /^kind: VirtualService$/m,
  'rollout-workload-ref': /^kind: Deployment$/m,
};

function badExampleApp(id: string, partial?: string) {
  const rule = findRule(id);
  assert.ok(rule?.meta.examples, `${id} documents examples`);
  const absent = ABSENT_FROM_EXAMPLE[id];
  const example = absent
    ? rule.meta.examples.bad
        .split('\n---\n')
        .filter((document) => !absent.test(document))
        .join('\n---\n')
    : rule.meta.examples.bad;
  const { files } = exampleFiles(example);
  const yamlFiles = Object.fromEntries(Object.entries(files).filter(([file]) => /\.ya?ml$/.test(file)));
  return { ...app({ app: 'apps/web', files: yamlFiles }), ...(partial ? { partial } : {}) };
}

for (const id of EXISTENCE_RULES) {
  test(`${id}: fires in a scope rendered whole, stays quiet in one rendered in part`, () => {
    assert.ok(runRule(id, context([badExampleApp(id)])).length > 0, `${id}: the bad example fires`);
    assert.deepEqual(runRule(id, context([badExampleApp(id, 'remote-base')])), []);
    // Another unit of the same scope (one environment) that could not render makes the scope partial too.
    const other = { id: 'apps/remote', kind: 'kustomization' as const, env: 'prod', resources: [], partial: 'helm' };
    const whole = { ...badExampleApp(id), env: 'prod' };
    assert.deepEqual(runRule(id, context([whole, other])), []);
  });
}

/**
 * Rules that read the scope too but judge what is present (a workload's own fields, a PDB or HPA that
 * is there, a LimitRange that is there): an unrendered part can add objects, never remove these.
 */
const PRESENCE_RULES = [
  'flagger-primary-scaler',
  'graceful-shutdown',
  'hpa-replicas-conflict',
  'namespace-quota-fits',
  'operator-api-removed',
  'pdb-not-blocking',
  'pdb-present',
  'powerful-service-account-token',
  'probes-present',
  'replicas-minimum',
  'replicas-spread',
  'resources-set',
  'rolling-update-strategy',
  'scaledobject-conflict',
  'scaler-targets-rollout',
  'service-account-token',
  'vpa-hpa-conflict',
];

test('every rule that looks objects up across its scope is listed here as claiming an absence or not', () => {
  const lookups = builtinRules
    .map((rule) => rule.meta.id)
    .filter((id) => /relatedResources|targetPortMismatches/.test(sourceOf(id) ?? ''));
  assert.deepEqual(lookups.sort(), [...EXISTENCE_RULES, ...PRESENCE_RULES].sort());
});

function sourceOf(id: string): string | undefined {
  for (const folder of readdirSync(RULES)) {
    const file = join(RULES, folder, `${id}.ts`);
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  return undefined;
}

// The schema stage on whole repositories, through the CLI: the repository's CRDs, kinds without a
// schema (one warning per kind and version, exit 0; the flags), and the target Kubernetes version.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runValidate } from '../../scripts/cli/validate.ts';
import { validateRepository } from '../../scripts/validate/index.ts';
import { cleanupCopies, repoRoot, tempCopy } from '../fixtures/pipeline/copy.ts';

after(cleanupCopies);

const fixtures = path.join(repoRoot, 'test', 'fixtures');

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number | null;
  message: string;
}

async function validate(root: string, ...flags: string[]): Promise<{ code: number; findings: JsonFinding[] }> {
  let out = '';
  const code = await runValidate([root, '--format', 'json', '--no-cache', ...flags], {
    stdout: { write: (text: string) => (out += text) },
    env: {},
  });
  return { code, findings: (JSON.parse(out) as { findings: JsonFinding[] }).findings };
}

const brief = (findings: JsonFinding[]) => findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}`);

describe('kinds without a schema', () => {
  it('are one warning per kind and apiVersion with the count and the first object; Flux kinds are built in; exit 0', async () => {
    const { code, findings } = await validate(tempCopy(path.join(fixtures, 'schema-repo')));
    assert.deepEqual(brief(findings), [
      'missing-schema warning operator/more.yaml:2',
      'missing-schema warning operator/more.yaml:7',
      'missing-schema warning operator/more.yaml:12',
    ]);
    assert.match(
      findings[0].message,
      /^no schema for kind Rocket \(acme\.example\.com\/v1\): 3 objects are not checked \(the first: Rocket\/three\)/,
    );
    assert.match(
      findings[1].message,
      /^no schema for kind Rocket \(acme\.example\.com\/v1beta1\): Rocket\/old is not checked/,
    );
    assert.match(findings[2].message, /Launchpad/);
    assert.equal(code, 0);
  });

  it('are errors with --fail-on-missing-schemas (exit 1), and nothing with --ignore-missing-schemas', async () => {
    const root = tempCopy(path.join(fixtures, 'schema-repo'));
    const failing = await validate(root, '--fail-on-missing-schemas');
    assert.deepEqual(
      failing.findings.map((f) => f.severity),
      ['error', 'error', 'error'],
    );
    assert.equal(failing.code, 1);
    const ignored = await validate(root, '--ignore-missing-schemas');
    assert.deepEqual(ignored.findings, []);
    assert.equal(ignored.code, 0);
  });

  it('take their severity from lint.rules.missing-schema in gitops.yaml', async () => {
    const root = tempCopy(path.join(fixtures, 'schema-repo'));
    const { report } = await validateRepository(root, {
      cache: false,
      config: { lint: { rules: { 'missing-schema': 'error' } } },
    });
    assert.deepEqual(
      report.findings.map((f) => `${f.ruleId} ${f.severity}`),
      ['missing-schema error', 'missing-schema error', 'missing-schema error'],
    );
  });

  it('a typo in a built-in CRD kind (Flux) is an error on its line', async () => {
    const root = tempCopy(path.join(fixtures, 'schema-repo'));
    fs.copyFileSync(
      path.join(fixtures, 'schema', 'flux-kustomization-typo.yaml'),
      path.join(root, 'flux', 'typo.yaml'),
    );
    const { code, findings } = await validate(root, '--ignore-missing-schemas');
    assert.deepEqual(brief(findings), ['schema-valid error flux/typo.yaml:13']);
    assert.match(findings[0].message, /spec\.dependsOnn: unknown field "dependsOnn"/);
    assert.equal(code, 1);
  });
});

describe('the target Kubernetes version', () => {
  const schemaFindings = (findings: JsonFinding[]) =>
    findings.filter((f) => f.ruleId === 'schema-valid').map((f) => `${f.file}:${f.line} ${f.message}`);

  it('1.36 accepts fields added in 1.29, 1.30 and 1.34; 1.28 names the version that introduced each', async () => {
    const root = tempCopy(path.join(fixtures, 'schema-versions'));
    const newest = await validate(root, '--kubernetes-version', '1.36');
    assert.deepEqual(schemaFindings(newest.findings), []);
    const oldest = await validate(root, '--kubernetes-version', '1.28');
    assert.deepEqual(schemaFindings(oldest.findings), [
      'deployment.yaml:17 Deployment/web: spec.template.spec.containers[0].securityContext.appArmorProfile: field "appArmorProfile" is not in Kubernetes 1.28 (the target): it was added in 1.30',
      'deployment.yaml:21 Deployment/web: spec.template.spec.containers[0].lifecycle.preStop.sleep: field "sleep" is not in Kubernetes 1.28 (the target): it was added in 1.29',
      'deployment.yaml:25 DeviceClass/gpu: apiVersion: resource.k8s.io/v1 DeviceClass is not served by Kubernetes 1.28 (the target): it was added in 1.34',
    ]);
    assert.equal(oldest.code, 1);
    const between = await validate(root, '--kubernetes-version', '1.29');
    assert.deepEqual(
      schemaFindings(between.findings).map((f) => f.replace(/ .*added in/, ' added in')),
      ['deployment.yaml:17 added in 1.30', 'deployment.yaml:25 added in 1.34'],
    );
  });

  it('comes from gitops.yaml when the command line does not name one', async () => {
    const root = tempCopy(path.join(fixtures, 'schema-versions'));
    const { report } = await validateRepository(root, { cache: false, config: { kubernetesVersion: '1.30' } });
    assert.deepEqual(
      report.findings.filter((f) => f.ruleId === 'schema-valid').map((f) => f.line),
      [25],
    );
  });

  it('rejects a --kubernetes-version that is not a minor version', async () => {
    await assert.rejects(
      validate(tempCopy(path.join(fixtures, 'schema-versions')), '--kubernetes-version', 'latest'),
      /minor version/,
    );
  });
});

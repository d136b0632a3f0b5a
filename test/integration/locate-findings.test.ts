// Findings where a person fixes them (issue 12): an overlay patch gets a finding only when it sets or
// removes the field the finding is about; a patch that merely names the object or the container (as
// every strategic-merge patch must) leaves the finding on the base line that wrote it. Generator
// literals, env files, `images:` entries and `namespace:` get their own lines.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { validateRepository } from '../../scripts/validate/index.ts';
import type { Finding } from '../../scripts/types.ts';
import { cleanupRepos, writeRepo } from '../fixtures/deploy/repo.ts';

after(cleanupRepos);

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.2.3
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
`;

const files: Record<string, string> = {
  'base/deployment.yaml': deployment,
  'base/kustomization.yaml': `resources:
  - deployment.yaml
configMapGenerator:
  - name: settings
    literals:
      - LOG_LEVEL=debug
      - DB_PASSWORD=hunter2hunter2
    envs:
      - extra.env
`,
  'base/extra.env': 'MODE=fast\nAPI_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n',
  // Names the Deployment and its container to add an env var: it sets neither resources nor the image.
  'overlays/dev/kustomization.yaml': `namespace: shop-dev
resources:
  - ../../base
patches:
  - path: env.yaml
images:
  - name: ghcr.io/acme/web
    newTag: latest
`,
  'overlays/dev/env.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          env:
            - name: MODE
              value: dev
`,
  // Removes the securityContext the base wrote.
  'overlays/qa/kustomization.yaml': `namespace: shop-qa
resources:
  - ../../base
patches:
  - target: {kind: Deployment, name: web}
    patch: |
      - op: remove
        path: /spec/template/spec/containers/0/securityContext
`,
  // Nulls one field of it.
  'overlays/prod/kustomization.yaml': `namespace: shop-prod
resources:
  - ../../base
patches:
  - path: drop.yaml
`,
  'overlays/prod/drop.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          securityContext:
            runAsNonRoot: null
`,
};

let findings: Finding[] = [];
before(async () => {
  const { report, faults } = await validateRepository(writeRepo(files), { cache: false });
  assert.deepEqual(faults, []);
  findings = report.findings;
});

/** "file:line" of the finding of `rule` in `env`. */
function place(rule: string, env: string): string {
  const found = findings.filter((finding) => finding.ruleId === rule && finding.env === env);
  assert.equal(found.length, 1, `one ${rule} in ${env}: ${found.map((f) => `${f.file}:${f.line}`).join(', ')}`);
  return `${found[0].file}:${found[0].line}`;
}

function lineOf(file: string, text: string): number {
  const line = files[file].split('\n').findIndex((each) => each.includes(text));
  assert.ok(line >= 0, `${text} in ${file}`);
  return line + 1;
}

test('a patch that only names the Deployment and its container gets no finding about what it does not set', () => {
  const container = `base/deployment.yaml:${lineOf('base/deployment.yaml', '- name: web')}`;
  for (const env of ['dev', 'qa', 'prod']) assert.equal(place('resources-set', env), container);
  // Object-level findings land on the base object, not on the patch's `metadata.name`.
  assert.equal(place('pdb-present', 'dev'), `base/deployment.yaml:${lineOf('base/deployment.yaml', 'name: web')}`);
  assert.ok(!findings.some((finding) => finding.file === 'overlays/dev/env.yaml'), 'nothing on the env patch');
});

test('a JSON 6902 remove and a strategic-merge null get the findings about what they removed', () => {
  const removal = `overlays/qa/kustomization.yaml:${lineOf('overlays/qa/kustomization.yaml', '- op: remove')}`;
  assert.equal(place('run-as-non-root', 'qa'), removal);
  assert.equal(place('no-privilege-escalation', 'qa'), removal);
  assert.equal(
    place('run-as-non-root', 'prod'),
    `overlays/prod/drop.yaml:${lineOf('overlays/prod/drop.yaml', 'runAsNonRoot: null')}`,
  );
  // What prod kept from the base is still the base's.
  assert.ok(!findings.some((finding) => finding.ruleId === 'no-privilege-escalation' && finding.env === 'prod'));
  // dev removed nothing: no run-as-non-root finding at all.
  assert.ok(!findings.some((finding) => finding.ruleId === 'run-as-non-root' && finding.env === 'dev'));
});

test('generator literals and env-file keys land on their own lines; the images: entry on its newTag', () => {
  const literals = findings
    .filter((finding) => finding.ruleId === 'no-secret-literals' && finding.env === 'dev')
    .map((finding) => `${finding.file}:${finding.line}`)
    .sort();
  assert.deepEqual(literals, [
    'base/extra.env:2',
    `base/kustomization.yaml:${lineOf('base/kustomization.yaml', 'DB_PASSWORD=')}`,
  ]);
  assert.equal(
    place('image-tag-pinned', 'dev'),
    `overlays/dev/kustomization.yaml:${lineOf('overlays/dev/kustomization.yaml', 'newTag: latest')}`,
  );
});

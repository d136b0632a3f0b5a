// The CI workflow, checked with GitHub's own parser (no runner exists here): it must parse without
// errors, run on pull requests across Node 22 and 24, and install, test and validate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../../scripts/generate/index.ts';
import { validateRepository } from '../../scripts/validate/index.ts';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse } from 'yaml';

const workflowFile = new URL('../../.github/workflows/validate.yml', import.meta.url);

async function parseWithGithub(content: string, name = 'validate.yml') {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((error) => error.message);
  const template = result.value ? await convertWorkflowTemplate(result.context, result.value) : undefined;
  return { errors: [...errors, ...(template?.errors ?? []).map((error) => error.Message)], template };
}

test(".github/workflows/validate.yml parses with GitHub's workflow parser without errors", async () => {
  const { errors, template } = await parseWithGithub(readFileSync(workflowFile, 'utf8'));
  assert.deepEqual(errors, []);
  assert.ok(template);
  assert.ok('pull_request' in (template.events ?? {}), 'runs on pull_request');
});

test('the parser does reject a broken workflow (so the check above can fail)', async () => {
  const { errors } = await parseWithGithub(
    'on: pull_request\njobs:\n  validate:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: npm test\n',
  );
  assert.ok(errors.length > 0);
});

test('the workflow tests on Node 22 and 24 (the engines) and runs npm ci, npm test and npm run validate', () => {
  const workflow = parse(readFileSync(workflowFile, 'utf8')) as {
    jobs: Record<
      string,
      {
        strategy?: { matrix?: { node?: number[] } };
        steps: { run?: string; uses?: string; with?: Record<string, unknown> }[];
      }
    >;
  };
  const jobs = Object.values(workflow.jobs);
  const job = jobs.find((candidate) => candidate.steps.some((step) => step.run?.includes('npm run validate')));
  assert.ok(job, 'a job runs npm run validate');
  assert.deepEqual(job.strategy?.matrix?.node?.map(String).sort(), ['22', '24']);
  const setupNode = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
  assert.equal(setupNode?.with?.['node-version'], '${{ matrix.node }}');
  const runs = job.steps.map((step) => step.run ?? '');
  const index = (command: RegExp) => runs.findIndex((run) => command.test(run));
  assert.ok(index(/^npm ci\b/) >= 0, 'npm ci');
  assert.ok(index(/^npm test\b/) > index(/^npm ci\b/), 'npm test after npm ci');
  assert.ok(index(/^npm run validate\b/) > index(/^npm ci\b/), 'npm run validate after npm ci');
});

test('the mission is enforced in CI: generate --check runs, and a PR that automates prod sync, drops a limit or makes the probes the same fails validate', async () => {
  const workflow = parse(readFileSync(workflowFile, 'utf8')) as { jobs: Record<string, { steps: { run?: string }[] }> };
  const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''));
  const check = runs.findIndex((run) => /^npm run generate -- --check\b/.test(run));
  assert.ok(check >= 0, 'the workflow runs npm run generate -- --check');
  assert.ok(runs.findIndex((run) => /^npm run validate\b/.test(run)) > check, 'and validates after it');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const rules = (parse(readFileSync(join(root, 'gitops.yaml'), 'utf8')) as { lint: { rules: Record<string, string> } })
    .lint.rules;
  for (const rule of ['probes-differ', 'resources-set', 'no-plaintext-secrets', 'sync-policy-per-env'])
    assert.equal(rules[rule], 'error', `${rule} is an error`);

  // One pull request that breaks three of them at once, by hand-editing generated files.
  const pr = mkdtempSync(join(tmpdir(), 'gitops-mission-'));
  for (const entry of ['gitops.yaml', 'config', 'sealed', 'base', 'overlays', 'argocd', '.gitops-generated.json'])
    cpSync(join(root, entry), join(pr, entry), { recursive: true });
  try {
    const edit = (file: string, from: RegExp, to: string) => {
      const text = readFileSync(join(pr, file), 'utf8');
      assert.match(text, from, file);
      writeFileSync(join(pr, file), text.replace(from, to));
    };
    edit(
      'argocd/applicationset-prod.yaml',
      /syncPolicy:\n(\s+)syncOptions:/,
      'syncPolicy:\n$1automated: { prune: true, selfHeal: true }\n$1syncOptions:',
    );
    // The limits of the base, of prod's patch of it, and the namespace default that would fill them in
    // (with a LimitRange default, admission sets a limit: resources-set rightly passes that).
    edit('base/order-service/deployment.yaml', /\n {12}limits:\n {14}cpu: 500m\n {14}memory: 384Mi/, '');
    edit(
      'overlays/prod/order-service/generated/resources.yaml',
      /\n {12}limits:\n {14}cpu: "1"\n {14}memory: 512Mi/,
      '',
    );
    edit(
      'overlays/prod/namespaces/microservices/limitrange.yaml',
      /\n {6}default:\n {8}cpu: 500m\n {8}memory: 512Mi/,
      '',
    );
    edit('base/payment-service/deployment.yaml', /path: \/health\/ready/, 'path: /health/live');
    const { report } = await validateRepository(pr);
    const errors = new Set(
      report.findings.filter((finding) => finding.severity === 'error').map((finding) => finding.ruleId),
    );
    for (const rule of ['sync-policy-per-env', 'resources-set', 'probes-differ'])
      assert.ok(errors.has(rule), `${rule} fails the PR`);
    assert.equal(
      generate(join(pr, 'gitops.yaml'), pr, { check: true }).changed.length > 0,
      true,
      'and generate --check fails',
    );
  } finally {
    rmSync(pr, { recursive: true, force: true });
  }
});

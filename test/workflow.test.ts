// The CI workflow, checked with GitHub's own parser (no runner exists here): it must parse without
// errors, run on pull requests across Node 20, 22 and 24, and install, test and validate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse } from 'yaml';

const workflowFile = new URL('../.github/workflows/validate.yml', import.meta.url);

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

test('the workflow tests on Node 20, 22 and 24 and runs npm ci, npm test and npm run validate', () => {
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
  assert.deepEqual(job.strategy?.matrix?.node?.map(String).sort(), ['20', '22', '24']);
  const setupNode = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
  assert.equal(setupNode?.with?.['node-version'], '${{ matrix.node }}');
  const runs = job.steps.map((step) => step.run ?? '');
  const index = (command: RegExp) => runs.findIndex((run) => command.test(run));
  assert.ok(index(/^npm ci\b/) >= 0, 'npm ci');
  assert.ok(index(/^npm test\b/) > index(/^npm ci\b/), 'npm test after npm ci');
  assert.ok(index(/^npm run validate\b/) > index(/^npm ci\b/), 'npm run validate after npm ci');
});

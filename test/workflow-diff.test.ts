// The pull-request diff in CI: the workflow's diff job (checked with GitHub's own workflow parser, as
// in workflow.test.ts) computes the markdown without secrets and posts it through the sticky-comment
// script, which updates its one comment, creates it once, and falls back to the job summary when the
// token may not comment (pull requests from forks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse } from 'yaml';

const workflowFile = new URL('../.github/workflows/validate.yml', import.meta.url);
const require = createRequire(import.meta.url);
const { postStickyComment, MARKER } = require('../.github/scripts/sticky-comment.cjs') as {
  postStickyComment(options: object): Promise<string>;
  MARKER: string;
};

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

test("the diff job parses with GitHub's parser, runs on pull requests with a comment-only token and no secrets", async () => {
  const content = readFileSync(workflowFile, 'utf8');
  const result = parseWorkflow({ name: 'validate.yml', content }, new NoOperationTraceWriter());
  const template = result.value ? await convertWorkflowTemplate(result.context, result.value) : undefined;
  assert.deepEqual(
    [...result.context.errors.getErrors().map((e) => e.message), ...(template?.errors ?? []).map((e) => e.Message)],
    [],
  );
  const workflow = parse(content) as {
    jobs: Record<string, { if?: string; permissions?: Record<string, string>; steps: Step[] }>;
  };
  const job = workflow.jobs.diff;
  assert.ok(job, 'a diff job');
  assert.match(job.if ?? '', /github\.event_name == 'pull_request'/);
  assert.deepEqual(job.permissions, { contents: 'read', 'pull-requests': 'write' });
  assert.ok(!content.includes('secrets.'), 'no secret is needed');
  const diff = job.steps.find((step) => step.run?.includes(' diff --base '));
  assert.ok(diff, 'a step runs gitops diff');
  // Event values that a fork controls reach the shell through env, never spliced into the script.
  assert.ok(!diff.run!.includes('${{'), 'no expression inside run');
  assert.match(diff.run!, /--format markdown --output gitops-diff\.md/);
  assert.equal(diff.env?.BASE_SHA, '${{ github.event.pull_request.base.sha }}');
  const post = job.steps.find((step) => step.uses?.startsWith('actions/github-script@'));
  assert.ok(post, 'a step posts the comment');
  assert.match(post.if ?? '', /always\(\)/);
  assert.match(post.with?.script ?? '', /require\('\.\/\.github\/scripts\/sticky-comment\.cjs'\)/);
  const checkout = job.steps.find((step) => step.uses?.startsWith('actions/checkout@'));
  assert.equal(String((checkout?.with as Record<string, unknown>)?.['fetch-depth']), '0', 'the base commit is fetched');
});

function fakeGitHub(comments: { id: number; user: { login: string }; body: string }[], failWith?: number) {
  const calls: string[] = [];
  const summary: string[] = [];
  const fail = () => {
    if (failWith) throw Object.assign(new Error('Resource not accessible by integration'), { status: failWith });
  };
  const github = {
    paginate: async (_method: unknown, params: { issue_number: number }) => {
      calls.push(`list ${params.issue_number}`);
      return comments;
    },
    rest: {
      issues: {
        listComments: {},
        updateComment: async (params: { comment_id: number }) => {
          fail();
          calls.push(`update ${params.comment_id}`);
        },
        createComment: async (params: { issue_number: number }) => {
          fail();
          calls.push(`create ${params.issue_number}`);
        },
      },
    },
  };
  const core = {
    summary: { addRaw: (text: string) => ({ write: async () => void summary.push(text) }) },
    notice: (text: string) => calls.push(`notice ${text}`),
  };
  const context = { repo: { owner: 'o', repo: 'r' }, payload: { pull_request: { number: 7 } } };
  return { github, core, context, calls, summary };
}

test('sticky comment: updates its own comment, creates one the first time, never touches a look-alike', async () => {
  const body = `${MARKER}\n### gitops diff: no changes\n`;
  const existing = fakeGitHub([
    { id: 1, user: { login: 'someone' }, body: `${MARKER} a person quoting the marker` },
    { id: 2, user: { login: 'github-actions[bot]' }, body: `${MARKER}\nold` },
  ]);
  assert.equal(await postStickyComment({ ...existing, body }), 'updated');
  assert.deepEqual(existing.calls, ['list 7', 'update 2']);
  assert.deepEqual(existing.summary, [body]);

  const first = fakeGitHub([{ id: 1, user: { login: 'someone' }, body: `${MARKER} not ours` }]);
  assert.equal(await postStickyComment({ ...first, body }), 'created');
  assert.deepEqual(first.calls, ['list 7', 'create 7']);
});

test('sticky comment: a read-only token (a fork) degrades to the job summary; other errors fail the step', async () => {
  const body = `${MARKER}\n`;
  const fork = fakeGitHub([], 403);
  assert.equal(await postStickyComment({ ...fork, body }), 'summary only');
  assert.deepEqual(fork.summary, [body]);
  assert.match(fork.calls.at(-1) ?? '', /^notice .*job summary/);
  const broken = fakeGitHub([], 500);
  await assert.rejects(postStickyComment({ ...broken, body }), /not accessible/);
});

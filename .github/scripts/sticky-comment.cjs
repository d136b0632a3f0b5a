// Posts the `gitops diff` markdown as one sticky pull-request comment: the comment of this workflow
// that starts with the marker is updated on every push, or created the first time. Called from
// actions/github-script. The job summary always gets the same text, so when the event's token may not
// comment (a pull request from a fork gets a read-only token) the diff is still one click away.

/* global module */
const MARKER = '<!-- gitops-diff -->';
const BOT = 'github-actions[bot]';

/**
 * @param {{ github: any, context: any, core: any, body: string, marker?: string }} options
 * @returns {Promise<'created' | 'updated' | 'summary only'>}
 */
async function postStickyComment({ github, context, core, body, marker = MARKER }) {
  await core.summary.addRaw(body).write();
  const pullRequest = context.payload.pull_request;
  if (!pullRequest) return 'summary only';
  const { owner, repo } = context.repo;
  try {
    const comments = await github.paginate(github.rest.issues.listComments, {
      owner,
      repo,
      issue_number: pullRequest.number,
      per_page: 100,
    });
    // Only our own comment: anyone can write the marker, nobody else can post as the workflow's bot.
    const mine = comments.find(
      (comment) => comment.user && comment.user.login === BOT && (comment.body || '').startsWith(marker),
    );
    if (mine) {
      await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
      return 'updated';
    }
    await github.rest.issues.createComment({ owner, repo, issue_number: pullRequest.number, body });
    return 'created';
  } catch (error) {
    // 403: the token is read-only (forks, Dependabot); 404: it cannot see the pull request.
    if (error && (error.status === 403 || error.status === 404)) {
      core.notice('This token may not comment on the pull request (a fork?): the diff is in the job summary.');
      return 'summary only';
    }
    throw error;
  }
}

module.exports = { postStickyComment, MARKER };

// Keeps ONE review comment on a pull request up to date: found again by a
// hidden marker, edited in place, cut to GitHub's comment limit. Used by
// review.yml (same-repository pull requests) and review-comment.yml (forks,
// from the uploaded artifact). The body is data: it is never evaluated.
const MARKER = "<!-- aws-course-review -->";
const LIMIT = 65536;

/**
 * @param {{ github: any, context: any, core: any, issueNumber: number, body: string, footer?: string }} args
 * @returns {Promise<{ action: "created" | "updated", id: number }>}
 */
async function postReviewComment({ github, context, core, issueNumber, body, footer = "" }) {
  const room = LIMIT - MARKER.length - footer.length - 2;
  let text = body.length > room ? `${body.slice(0, room - 80)}\n\n... (cut at GitHub's comment limit: see review.md in the run's artifacts)` : body;
  text = `${MARKER}\n${text}${footer}`;
  const { owner, repo } = context.repo;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  const mine = comments.find((c) => c.user && c.user.type === "Bot" && typeof c.body === "string" && c.body.startsWith(MARKER));
  if (mine) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body: text });
    core.info(`updated review comment ${mine.id}`);
    return { action: "updated", id: mine.id };
  }
  const { data } = await github.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: text });
  core.info(`created review comment ${data.id}`);
  return { action: "created", id: data.id };
}

module.exports = { postReviewComment, MARKER, LIMIT };

/**
 * The pull-request workflows: every action pinned by commit SHA (with its
 * version for Dependabot), forks reviewed offline with plain pull_request,
 * and one comment kept up to date.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..", "..");
const dir = path.join(ROOT, ".github", "workflows");
const workflows = Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith(".yml")).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
const parsed = Object.fromEntries(Object.entries(workflows).map(([f, text]) => [f, parse(text)]));
const steps = (f: string) => Object.values<any>(parsed[f].jobs).flatMap((j) => j.steps ?? []);
const { postReviewComment, MARKER, LIMIT } = require("../../.github/scripts/review-comment.js");

describe("GitHub workflows", () => {
  test.each(Object.keys(workflows))("%s: every action is pinned to a commit SHA with its version noted", (f) => {
    const uses = workflows[f].split("\n").filter((l) => /^\s*(- )?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test("no workflow runs pull-request code with the base repository's rights", () => {
    for (const [f, w] of Object.entries(parsed)) expect({ f, on: Object.keys(w.on) }).not.toEqual({ f, on: expect.arrayContaining(["pull_request_target"]) });
  });

  test("review.yml: every pull request, online only for this repository's branches, the report and plans uploaded", () => {
    const w = parsed["review.yml"];
    expect(Object.keys(w.on)).toEqual(["pull_request"]);
    const job = w.jobs.review;
    expect(job.env.ONLINE).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    const credentials = steps("review.yml").find((s) => String(s.uses).startsWith("aws-actions/configure-aws-credentials"));
    expect(credentials.if).toBe("env.ONLINE == 'true'");
    expect(steps("review.yml").find((s) => s.id === "review").run).toContain('npm run review -- --base "$BASE_SHA" $mode');
    const upload = steps("review.yml").find((s) => String(s.uses).startsWith("actions/upload-artifact"));
    expect(upload.with.path).toMatch(/review\.json[\s\S]*pr\.json[\s\S]*tfplan/);
    const post = steps("review.yml").find((s) => String(s.uses).startsWith("actions/github-script"));
    expect(post.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
  });

  test("review-comment.yml: posts a fork's review from the artifact, only for the commit that was reviewed", () => {
    const w = parsed["review-comment.yml"];
    expect(w.on.workflow_run.workflows).toEqual(["review"]);
    expect(w.jobs.comment.if).toContain("head_repository.full_name != github.repository");
    const checkout = steps("review-comment.yml").find((s) => String(s.uses).startsWith("actions/checkout"));
    expect(checkout.with.ref).toBeUndefined(); // the default branch, never the pull request's head
    expect(steps("review-comment.yml").at(-1).with.script).toContain("data.head.sha !== process.env.HEAD_SHA");
  });

  test("Dependabot keeps the actions and the npm packages current", () => {
    const d = parse(fs.readFileSync(path.join(ROOT, ".github", "dependabot.yml"), "utf8"));
    expect(d.updates.map((u: any) => `${u["package-ecosystem"]} ${u.directory}`)).toEqual(["github-actions /", "npm /", "npm /docker/qa-bot"]);
  });
});

describe("the review comment", () => {
  const fake = (existing: { id: number; body: string; user: { type: string } }[]) => {
    const calls: string[] = [];
    const github = {
      paginate: async (_fn: unknown, _args: unknown) => existing,
      rest: {
        issues: {
          listComments: () => undefined,
          updateComment: async (a: { comment_id: number; body: string }) => void calls.push(`update ${a.comment_id} ${a.body.length}`),
          createComment: async (a: { body: string }) => (calls.push(`create ${a.body.length}`), { data: { id: 99 } }),
        },
      },
    };
    return { calls, github, context: { repo: { owner: "o", repo: "r" } }, core: { info: () => undefined } };
  };

  test("one comment: edited in place when there is one", async () => {
    const f = fake([{ id: 1, body: "hello", user: { type: "User" } }, { id: 7, body: `${MARKER}\nold`, user: { type: "Bot" } }]);
    expect(await postReviewComment({ ...f, issueNumber: 3, body: "new" })).toEqual({ action: "updated", id: 7 });
    expect(f.calls).toEqual([`update 7 ${MARKER.length + 4}`]);
  });

  test("created when there is none, and never over GitHub's limit", async () => {
    const f = fake([]);
    await postReviewComment({ ...f, issueNumber: 3, body: "x".repeat(100000), footer: "\n\nfooter" });
    const length = Number(f.calls[0].split(" ")[1]);
    expect(f.calls[0]).toMatch(/^create /);
    expect(length).toBeLessThanOrEqual(LIMIT);
  });
});

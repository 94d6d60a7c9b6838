import { GITHUB_COMMENT_LIMIT, renderReview } from "../../../tools/review/markdown";
import type { ResourceReport, ReviewReport, StackReport } from "../../../tools/review/report";

const ZERO = { create: 0, update: 0, replace: 0, delete: 0, move: 0 };
const stack = (changes: ResourceReport[], extra: Partial<StackReport> = {}): StackReport => ({
  status: "changed",
  counts: { ...ZERO, update: changes.length },
  changes,
  outputs: {},
  policy: { new: [], fixed: [] },
  ...extra,
});
const policy = (n: number) => JSON.stringify({ Version: "2012-10-17", Statement: Array.from({ length: n }, (_, i) => ({ Effect: "Allow", Action: `s3:Get${i}`, Resource: `arn:aws:s3:::bucket-${i}/*` })) });

describe("the markdown report", () => {
  test("a small change: summary table, caution first, unchanged stacks in one line, one details per changed stack", () => {
    const report: ReviewReport = {
      mode: "offline",
      base: "main",
      head: "working tree",
      stacks: {
        a: stack(
          [
            { address: "aws_vpc.V", construct_path: "a/Network/Vpc", actions: ["delete", "create"], replace_paths: [["cidr_block"]], attributes: { cidr_block: { before: "10.0.0.0/16", after: "10.1.0.0/16" } } },
            { address: "aws_lambda_function.F", actions: ["update"], attributes: { memory_size: { before: 128, after: 256 } } },
          ],
          { counts: { ...ZERO, replace: 1, update: 1 }, cost: { region: "ap-northeast-1", before_hourly: 0.02, after_hourly: 0.03 } },
        ),
        b: { status: "unchanged", counts: ZERO, changes: [], outputs: {}, policy: { new: [], fixed: [] } },
      },
    };
    const md = renderReview(report);
    expect(md).toContain("| a | changed | **1** :warning: | 0 | 0 | 1 | 0 | 0.0200 -> **0.0300** |");
    expect(md).toContain("Unchanged: b.");
    expect(md.indexOf("[!CAUTION]")).toBeLessThan(md.indexOf("<details>"));
    expect(md).toContain("**replace** `aws_vpc.V` (`a/Network/Vpc`) - forced by `cidr_block`");
    expect(md).toContain("| `memory_size` | `128` | `256` |");
    expect(md.match(/<details>/g)).toHaveLength(1);
  });

  test("no change: one line", () => {
    const md = renderReview({ mode: "offline", base: "main", head: "wt", stacks: { a: { status: "unchanged", counts: ZERO, changes: [], outputs: {}, policy: { new: [], fixed: [] } } } });
    expect(md).toContain("No changes: every stack is unchanged (a).");
    expect(md).not.toContain("<details>");
  });

  test("always under GitHub's comment limit: the longest diffs are cut first, and it says so", () => {
    const changes: ResourceReport[] = Array.from({ length: 40 }, (_, i) => ({
      address: `aws_iam_role_policy.P${i}`,
      actions: ["update"],
      attributes: { policy: { before: policy(i === 0 ? 400 : 20), after: policy(i === 0 ? 401 : 21).replace(/Get/g, "Put") } },
    }));
    const md = renderReview({ mode: "offline", base: "main", head: "wt", stacks: { big: stack(changes) } });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("cut to fit the comment");
    expect(md).toContain("shortened to fit GitHub's 65536-character limit");
    // The small diffs survive whole; the huge one was cut.
    expect(md).toContain("`aws_iam_role_policy.P39`");
    expect(md.match(/```diff/g)!.length).toBeGreaterThan(20);
  });

  test("even a huge report fits, by leaving attribute details out", () => {
    const changes: ResourceReport[] = Array.from({ length: 3000 }, (_, i) => ({
      address: `aws_s3_object.Object_number_${i}`,
      actions: ["update"],
      attributes: { etag: { before: `etag-${i}-before`, after: `etag-${i}-after` }, content_type: { before: "text/plain", after: "text/html" } },
    }));
    const md = renderReview({ mode: "offline", base: "main", head: "wt", stacks: { big: stack(changes) } });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("GitHub's comment limit");
  });
});

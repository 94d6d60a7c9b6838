/**
 * Every stack's Terraform addresses against the committed list
 * (stacks/addresses/<stack>.txt): a renamed construct id deletes a resource
 * unless the move is declared, so an address that disappears fails here
 * with what to do; a new one only needs `npm run addresses`.
 */
import * as fs from "fs";
import * as path from "path";
import { ADDRESSES_DIR, checkAddresses, explain, readList, synthShipped } from "../../tools/addresses";
import { synthLab } from "../tools/review/lab-stack";
import { addressOf } from "../tools/review/scenarios";
import { tempDir } from "../helpers/synth";

const stacks = synthShipped(tempDir("addresses"));

describe("Terraform addresses are stable", () => {
  test("every stack has a committed list, and no list belongs to a stack that is gone", () => {
    const lists = fs.readdirSync(ADDRESSES_DIR).filter((f) => f.endsWith(".txt")).map((f) => f.slice(0, -4)).sort();
    expect(lists).toEqual([...stacks.keys()].sort());
  });

  test.each([...stacks.keys()])("%s: the committed address list is current", (stack) => {
    const message = explain(stack, checkAddresses(readList(stack), stacks.get(stack)!));
    if (message) throw new Error(message);
  });
});

describe("what the check says", () => {
  const lab = path.join(synthLab({ lab: {} }), "stacks", "lab", "cdk.tf.json");
  const base = JSON.parse(fs.readFileSync(lab, "utf8"));
  const committed = Object.entries<Record<string, unknown>>(base.resource).flatMap(([t, byName]) => Object.keys(byName).map((n) => `${t}.${n}`));
  const old = addressOf(path.dirname(path.dirname(path.dirname(lab))), "lab", "aws_dynamodb_table");
  const read = (outdir: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "lab", "cdk.tf.json"), "utf8"));

  test("a renamed construct: names the construct, the delete, and the move to declare", () => {
    const message = explain("lab", checkAddresses(committed, read(synthLab({ lab: { tableId: "Records" } }))))!;
    expect(message).toContain(`${old} (construct Items) is gone: terraform would DELETE it and create aws_dynamodb_table.Records_`);
    expect(message).toContain(`.moveFromId("${old}")`);
    expect(message).toContain("npm run addresses");
  });

  test("the rename with its move declared: only the list to regenerate", () => {
    const check = checkAddresses(committed, read(synthLab({ lab: { tableId: "Records", tableMovedFrom: old } })));
    expect(check.gone).toEqual([]);
    expect(check.moved).toEqual([{ from: old, to: expect.stringMatching(/^aws_dynamodb_table\.Records_/) }]);
    expect(explain("lab", check)).toMatch(/^lab: the address list is out of date \(.* moved to aws_dynamodb_table\.Records_\w+\): run npm run addresses\.$/);
  });

  test("a new resource: only the list to regenerate", () => {
    const check = checkAddresses(committed.filter((a) => !a.startsWith("aws_sqs_queue.")), base);
    expect(explain("lab", check)).toBe("lab: the address list is out of date (new aws_sqs_queue.Jobs): run npm run addresses.");
  });
});

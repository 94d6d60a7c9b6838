/**
 * How a review synthesizes a commit: as its cdktf.json says (the
 * precompiled app), or under tsx for a commit from before it.
 */
import * as fs from "fs";
import * as path from "path";
import { synthCommand } from "../../../tools/review/sources";
import { tempDir } from "../../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..", "..");

describe("synthCommand", () => {
  test("this project: cdktf.json's node command (tools/run-app.js main.ts)", () => {
    expect(synthCommand(ROOT)).toEqual(["tools/run-app.js", "main.ts"]);
  });

  test("a commit whose cdktf.json app is not a node command, names a missing file, or is absent: main.ts under tsx", () => {
    const npx = tempDir("app-npx");
    fs.writeFileSync(path.join(npx, "cdktf.json"), JSON.stringify({ app: "npx tsx main.ts" }));
    const missing = tempDir("app-missing");
    fs.writeFileSync(path.join(missing, "cdktf.json"), JSON.stringify({ app: "node tools/run-app.js main.ts" }));
    const none = tempDir("app-none");
    for (const dir of [npx, missing, none]) expect(synthCommand(dir)).toEqual(["--import", "tsx", "main.ts"]);
  });
});

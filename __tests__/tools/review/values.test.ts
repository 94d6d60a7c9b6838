import { asLines, attributeChanges, KNOWN_AFTER_APPLY, SENSITIVE, unifiedDiff } from "../../../tools/review/values";

describe("attribute changes of a planned resource", () => {
  test("lists only what changes, before -> after", () => {
    expect(attributeChanges({ before: { a: 1, b: "x", c: [1] }, after: { a: 2, b: "x", c: [1] }, after_unknown: {} })).toEqual({ a: { before: 1, after: 2 } });
  });

  test("marks values known only after apply, also inside lists", () => {
    const changes = attributeChanges({
      before: { id: "i-1", lt: [{ id: "lt-1", version: "1" }] },
      after: { lt: [{ id: "lt-1" }] },
      after_unknown: { id: true, lt: [{ version: true }] },
    });
    expect(changes.id).toEqual({ before: "i-1", after: null, after_unknown: true });
    expect(changes.lt).toEqual({ before: [{ id: "lt-1", version: "1" }], after: [{ id: "lt-1", version: KNOWN_AFTER_APPLY }] });
  });

  test("never shows a sensitive value, whole or nested", () => {
    const changes = attributeChanges({
      before: { password: "old", env: { SECRET: "s1", PLAIN: "p" } },
      after: { password: "new", env: { SECRET: "s2", PLAIN: "q" } },
      after_unknown: {},
      before_sensitive: { password: true, env: { SECRET: true } },
      after_sensitive: { password: true, env: { SECRET: true } },
    });
    expect(changes.password).toEqual({ before: SENSITIVE, after: SENSITIVE, sensitive: true });
    expect(changes.env).toEqual({ before: { SECRET: SENSITIVE, PLAIN: "p" }, after: { SECRET: SENSITIVE, PLAIN: "q" } });
    expect(JSON.stringify(changes)).not.toMatch(/old|new|s1|s2/);
  });
});

describe("long values as unified diffs", () => {
  test("JSON strings are pretty-printed with sorted keys", () => {
    expect(asLines('{"b":1,"a":[2]}')).toEqual({ lines: ["{", '  "a": [', "    2", "  ],", '  "b": 1', "}"], note: "JSON, keys sorted" });
  });

  test("base64 user data is decoded; binary is not", () => {
    expect(asLines(Buffer.from("#!/bin/bash\necho hi\n").toString("base64"))).toEqual({ lines: ["#!/bin/bash", "echo hi", ""], note: "base64-decoded" });
    expect(asLines(Buffer.from([0, 1, 2, 255, 254, 0, 7, 8, 9, 10, 11, 12]).toString("base64")).note).toBeUndefined();
  });

  test("a unified diff has hunks with 3 lines of context; changes 6 lines apart or less share a hunk", () => {
    const a = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];
    expect(unifiedDiff(a, ["1", "2", "3", "4", "five", "6", "7", "8", "9", "10", "11"])).toEqual([
      "@@ -2,9 +2,10 @@", " 2", " 3", " 4", "-5", "+five", " 6", " 7", " 8", " 9", " 10", "+11",
    ]);
    const long = Array.from({ length: 30 }, (_, i) => String(i + 1));
    const changed = long.map((l) => (l === "2" ? "two" : l === "28" ? "twenty-eight" : l));
    expect(unifiedDiff(long, changed)).toEqual([
      "@@ -1,5 +1,5 @@", " 1", "-2", "+two", " 3", " 4", " 5",
      "@@ -25,6 +25,6 @@", " 25", " 26", " 27", "-28", "+twenty-eight", " 29", " 30",
    ]);
  });

  test("identical inputs give no hunks; disjoint inputs one", () => {
    expect(unifiedDiff(["a"], ["a"])).toEqual([]);
    expect(unifiedDiff(["a", "b"], ["c"])).toEqual(["@@ -1,2 +1,1 @@", "-a", "-b", "+c"]);
  });
});

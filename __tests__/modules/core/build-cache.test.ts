import * as fs from "fs";
import * as path from "path";
import { cachedBuild } from "../../../modules/core/build-cache";
import { tempDir } from "../../helpers/synth";

/** A "build" that concatenates the files it reads, counting its runs. */
function fixture() {
  const dir = tempDir("build-cache");
  const cacheDir = path.join(dir, "cache");
  const a = path.join(dir, "a.txt");
  const b = path.join(dir, "b.txt");
  fs.writeFileSync(a, "one");
  fs.writeFileSync(b, "two");
  // Inputs dated well before the build, as sources edited earlier are.
  const old = new Date(Date.now() - 60_000);
  const age = (f: string) => fs.utimesSync(f, old, old);
  age(a);
  age(b);
  let builds = 0;
  const build = (settings: unknown = { v: 1 }) =>
    cachedBuild(a, settings, () => {
      builds++;
      return { files: { "out.txt": Buffer.from(fs.readFileSync(a, "utf8") + fs.readFileSync(b, "utf8")) }, inputs: [a, b] };
    }, cacheDir);
  return { a, b, age, build, builds: () => builds };
}

describe("build cache", () => {
  test("builds once for unchanged inputs and settings, and gives the same bytes", () => {
    const f = fixture();
    const first = f.build()["out.txt"].toString();
    const second = f.build()["out.txt"].toString();
    expect([first, second]).toEqual(["onetwo", "onetwo"]);
    expect(f.builds()).toBe(1);
  });

  test("builds again when any input the last build read changes, or the settings do", () => {
    const f = fixture();
    f.build();
    fs.writeFileSync(f.b, "three");
    f.age(f.b);
    expect(f.build()["out.txt"].toString()).toBe("onethree");
    expect(f.builds()).toBe(2);
    expect(f.build({ v: 2 })["out.txt"].toString()).toBe("onethree");
    expect(f.builds()).toBe(3);
  });

  test("keeps nothing when an input was written while the build ran (it may not be what the build read)", () => {
    const f = fixture();
    fs.writeFileSync(f.a, "fresh"); // dated now: as if saved during the build
    f.build();
    f.build();
    expect(f.builds()).toBe(2);
  });

  test("a build that throws stores nothing and throws again next time", () => {
    const dir = tempDir("build-cache-throw");
    const boom = () => cachedBuild(path.join(dir, "x.ts"), {}, () => { throw new Error("entry (x): esbuild failed"); }, path.join(dir, "cache"));
    expect(boom).toThrow(/esbuild failed/);
    expect(boom).toThrow(/esbuild failed/);
  });
});

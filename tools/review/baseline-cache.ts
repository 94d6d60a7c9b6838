/**
 * Baselines kept between reviews (see BaselineCache).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Baseline } from "./baseline";

/**
 * Baselines kept between reviews, keyed by the base stack's content, the
 * terraform and provider versions and this code: a base reviewed before
 * (the next push of the same pull request, the same branch point) skips the
 * first plan. Only baselines its base planned clean against are kept.
 */
export class BaselineCache {
  private readonly salt: string;
  constructor(
    private readonly dir: string,
    installKey: string,
  ) {
    const code = ["baseline.ts", "fill.ts", "expressions.ts", "engine.ts", "workspace.ts"].map((f) => fs.readFileSync(path.join(__dirname, f), "utf8")).join("\0");
    this.salt = crypto.createHash("sha256").update(installKey).update(code).digest("hex");
    fs.mkdirSync(dir, { recursive: true });
    // Entries unused for a month go.
    const old = Date.now() - 30 * 24 * 3600 * 1000;
    for (const f of fs.readdirSync(dir)) if (fs.statSync(path.join(dir, f)).mtimeMs < old) fs.rmSync(path.join(dir, f), { force: true });
  }

  private file(key: string): string {
    return path.join(this.dir, `${crypto.createHash("sha256").update(this.salt).update(key).digest("hex").slice(0, 24)}.json`);
  }

  get(key: string): Baseline | undefined {
    const f = this.file(key);
    if (!fs.existsSync(f)) return undefined;
    try {
      const raw = JSON.parse(fs.readFileSync(f, "utf8"));
      fs.utimesSync(f, new Date(), new Date());
      return { resources: new Map(raw.resources), outputs: new Map(raw.outputs) };
    } catch {
      return undefined; // unreadable: build it again
    }
  }

  put(key: string, baseline: Baseline): void {
    const f = this.file(key);
    const tmp = `${f}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ resources: [...baseline.resources], outputs: [...baseline.outputs] }));
    fs.renameSync(tmp, f);
  }
}

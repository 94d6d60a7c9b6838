/**
 * Terraform addresses are a contract: cdktf makes them from construct ids,
 * and a renamed id deletes the resource and creates a new one. The list of
 * every stack's addresses is committed (`stacks/addresses/<stack>.txt`, one
 * per line) and checked by a test; this command writes it anew.
 *
 *   npm run addresses            regenerate the lists from the shipped configuration
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { loadConfig } from "../config/load";
import { buildApp } from "../stacks/app";

const ROOT = path.resolve(__dirname, "..");
export const ADDRESSES_DIR = path.join(ROOT, "stacks", "addresses");
export const REGENERATE = "npm run addresses";

interface TfJson {
  readonly resource?: Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>>;
  readonly moved?: ReadonlyArray<{ readonly from: string; readonly to: string }>;
}

/** Every managed resource address of a stack, sorted. */
export function addressesOf(json: TfJson): string[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

/** The construct a cdktf address came from: `Network_public-apne1-az1_07586830` -> `Network/public-apne1-az1`. */
export function constructOf(address: string): string {
  const name = address.slice(address.indexOf(".") + 1);
  return name.replace(/_[0-9A-F]{8}$/, "").replace(/_/g, "/");
}

export interface AddressCheck {
  /** Addresses in the list that the stack no longer has and no `moved` block covers: resources terraform would delete. */
  readonly gone: readonly string[];
  /** Addresses that left through a declared move. */
  readonly moved: readonly { from: string; to: string }[];
  /** New addresses. */
  readonly added: readonly string[];
}

export function checkAddresses(committed: readonly string[], json: TfJson): AddressCheck {
  const current = new Set(addressesOf(json));
  const moves = new Map((json.moved ?? []).map((m) => [m.from, m.to]));
  const missing = committed.filter((a) => !current.has(a));
  return {
    gone: missing.filter((a) => !moves.has(a)),
    moved: missing.filter((a) => moves.has(a)).map((from) => ({ from, to: moves.get(from)! })),
    added: [...current].filter((a) => !committed.includes(a)),
  };
}

/** What to tell the developer about one stack, or nothing when the list is current. */
export function explain(stack: string, check: AddressCheck): string | undefined {
  const lines: string[] = [];
  for (const gone of check.gone) {
    const type = gone.slice(0, gone.indexOf("."));
    const candidates = check.added.filter((a) => a.startsWith(`${type}.`));
    lines.push(
      `${stack}: ${gone} (construct ${constructOf(gone)}) is gone: terraform would DELETE it${candidates.length ? ` and create ${candidates.join(" or ")}` : ""}.`,
      `  If the construct was renamed or moved, keep the resource: on the new construct's resource call .moveFromId("${gone}")` +
        `${candidates.length === 1 ? ` (a moved block to ${candidates[0]})` : ""}, then run ${REGENERATE}.`,
      `  If it is removed on purpose, run ${REGENERATE} to update stacks/addresses/${stack}.txt.`,
    );
  }
  if (check.gone.length === 0 && (check.added.length || check.moved.length)) {
    const what = [
      ...check.moved.map((m) => `${m.from} moved to ${m.to}`),
      ...check.added.filter((a) => !check.moved.some((m) => m.to === a)).map((a) => `new ${a}`),
    ];
    lines.push(`${stack}: the address list is out of date (${what.join("; ")}): run ${REGENERATE}.`);
  }
  return lines.length ? lines.join("\n") : undefined;
}

/** The stacks of the app as shipped (infra.config.json, no local file, no environment). */
export function synthShipped(outdir: string): Map<string, TfJson> {
  // Read from a folder holding only the shipped file: a developer's infra.config.local.json must not count.
  const shipped = path.join(outdir, "config");
  fs.mkdirSync(shipped, { recursive: true });
  fs.copyFileSync(path.join(ROOT, "infra.config.json"), path.join(shipped, "infra.config.json"));
  const config = loadConfig({ dir: shipped, env: {} });
  const app = new App({ outdir: path.join(outdir, "out"), stackTraces: false });
  buildApp(app, config).synth();
  const out = path.join(outdir, "out");
  const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return new Map(Object.entries(manifest.stacks).map(([name, s]) => [name, JSON.parse(fs.readFileSync(path.join(out, s.synthesizedStackPath), "utf8"))]));
}

export function readList(stack: string): string[] {
  const file = path.join(ADDRESSES_DIR, `${stack}.txt`);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter((l) => l && !l.startsWith("#")) : [];
}

function main(): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-course-addresses-"));
  try {
    const stacks = synthShipped(outdir);
    fs.mkdirSync(ADDRESSES_DIR, { recursive: true });
    for (const f of fs.readdirSync(ADDRESSES_DIR)) if (f.endsWith(".txt") && !stacks.has(f.slice(0, -4))) fs.rmSync(path.join(ADDRESSES_DIR, f));
    for (const [name, json] of stacks) {
      const before = readList(name);
      const after = addressesOf(json);
      fs.writeFileSync(path.join(ADDRESSES_DIR, `${name}.txt`), `${after.join("\n")}\n`);
      const added = after.filter((a) => !before.includes(a)).length;
      const removed = before.filter((a) => !after.includes(a)).length;
      console.log(`${name}: ${after.length} addresses${added || removed ? ` (+${added} -${removed})` : ""}`);
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) main();

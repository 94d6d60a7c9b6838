/**
 * Shared set-up of the GUI's browser tests: the site built into a temp
 * folder, the dev server (dynalite-backed) serving it, one headless Debian
 * Chromium (/usr/bin/chromium, or CHROMIUM_PATH) driven by playwright-core.
 * Fails - never skips - when Chromium is missing: `apt-get install -y chromium`.
 * Screenshots go to test-artifacts/screenshots/ (git-ignored), or SCREENSHOT_DIR.
 */
import * as fs from "fs";
import * as path from "path";
import { chromium, Browser, BrowserContext, Page } from "playwright-core";
import { DevServer, startDevServer } from "../../tools/dev-server";
import { buildSite } from "../../site/build";
import { tempDir } from "../helpers/synth";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? path.resolve(__dirname, "..", "..", "test-artifacts", "screenshots");

/** The two widths the GUI is tested at: a phone (iPhone 12-15) and a laptop. */
export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export interface Gui {
  readonly server: DevServer;
  readonly browser: Browser;
  close(): Promise<void>;
}

export interface NewHaiku {
  readonly username: string;
  readonly first: string;
  readonly second: string;
  readonly third: string;
}

/** Builds the site, starts the dev server (writes protected, no per-client throttle) and Chromium. */
export async function startGui(): Promise<Gui> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  const siteDir = tempDir("site");
  buildSite(siteDir);
  const server = await startDevServer({ port: 0, siteDir, writeThrottle: false });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A fresh context (own localStorage) at one of the test widths; Japanese locale and time zone unless given. */
export async function openPage(gui: Gui, viewport: ViewportName, options: { locale?: string; timezoneId?: string } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await gui.browser.newContext({
    viewport: VIEWPORTS[viewport],
    locale: options.locale ?? "ja-JP",
    timezoneId: options.timezoneId ?? "Asia/Tokyo",
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { context, page, errors };
}

/** Posts through the API (someone else's haiku: this browser gets no token). */
export async function postHaiku(server: DevServer, haiku: NewHaiku): Promise<{ item_id: string; delete_token: string }> {
  const res = await fetch(`${server.apiUrl}/haiku`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(haiku) });
  if (res.status !== 201) throw new Error(`POST /haiku: ${res.status} ${await res.text()}`);
  return (await res.json()) as { item_id: string; delete_token: string };
}

/** Every haiku in the table, all pages. */
export async function listAll(server: DevServer): Promise<{ item_id: string; likes: number; username: string }[]> {
  const all: { item_id: string; likes: number; username: string }[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await fetch(`${server.apiUrl}/haiku?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    all.push(...((await res.json()) as typeof all));
    cursor = res.headers.get("X-Next-Cursor");
  } while (cursor);
  return all;
}

/** Empties the table through the admin route (the dev server checks only the SigV4 header's shape). */
export async function clearHaiku(server: DevServer): Promise<void> {
  const signed = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=${"0".repeat(64)}`;
  // The admin handler logs every delete (it runs in this process): not worth a line per item here.
  const log = console.log;
  console.log = () => undefined;
  try {
    for (const h of await listAll(server)) {
      const res = await fetch(`${server.apiUrl}/admin/haiku/${h.item_id}`, { method: "DELETE", headers: { Authorization: signed } });
      if (res.status !== 204) throw new Error(`admin DELETE ${h.item_id}: ${res.status}`);
    }
  } finally {
    console.log = log;
  }
}

/** Full-page screenshot under SCREENSHOTS; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Fills the post form by its accessible labels (the English words screen readers hear). */
export async function fillForm(page: Page, haiku: Partial<NewHaiku>): Promise<void> {
  if (haiku.first !== undefined) await page.getByLabel("First line").fill(haiku.first);
  if (haiku.second !== undefined) await page.getByLabel("Second line").fill(haiku.second);
  if (haiku.third !== undefined) await page.getByLabel("Third line").fill(haiku.third);
  if (haiku.username !== undefined) await page.getByLabel("your name").fill(haiku.username);
}

/** Resolves when released: holds a routed request until the test has looked at the page. */
export function gate(): { wait: Promise<void>; release: () => void } {
  let release!: () => void;
  const wait = new Promise<void>((r) => (release = r));
  return { wait, release };
}

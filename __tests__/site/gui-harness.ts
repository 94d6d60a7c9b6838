/**
 * Set-up of the GUI's browser test (haiku-gui.browser.test.ts): the site
 * built into a temp folder (from the build cache when site/src is
 * unchanged), the dev server (dynalite-backed) serving it, one headless
 * Debian Chromium (/usr/bin/chromium, or CHROMIUM_PATH) driven by
 * playwright-core, and one page per test width, reused by every test
 * (resetPage gives each a clean start without a navigation of its own).
 * Fails - never skips - when Chromium is missing: `apt-get install -y chromium`.
 * Screenshots go to test-artifacts/screenshots/ (git-ignored), or SCREENSHOT_DIR.
 */
import * as fs from "fs";
import * as path from "path";
import { chromium, Browser, BrowserContext, Page } from "playwright-core";
import { DevServer, startDevServer } from "../../tools/dev-server";
import { buildSite } from "../../site/build";
import { tempDir } from "../helpers/temp";

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

/** Starts Chromium and, while it starts, builds the site and starts the dev server (writes protected, no per-client throttle). */
export async function startGui(): Promise<Gui> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  const launching = chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  let server: DevServer;
  try {
    const siteDir = tempDir("site");
    buildSite(siteDir);
    server = await startDevServer({ port: 0, siteDir, writeThrottle: false });
  } catch (err) {
    await launching.then((b) => b.close()).catch(() => undefined);
    throw err;
  }
  const browser = await launching.catch(async (err) => {
    await server.close();
    throw err;
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

/** The locale and time zone of a page unless others are asked for: the course's, Japanese. */
export const PAGE_LOCALE = { locale: "ja-JP", timezoneId: "Asia/Tokyo" } as const;

/** A fresh context (own localStorage) at one of the test widths; {@link PAGE_LOCALE} unless given. */
export async function openPage(gui: Gui, viewport: ViewportName, options: { locale?: string; timezoneId?: string } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await gui.browser.newContext({
    viewport: VIEWPORTS[viewport],
    locale: options.locale ?? PAGE_LOCALE.locale,
    timezoneId: options.timezoneId ?? PAGE_LOCALE.timezoneId,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { context, page, errors };
}

/**
 * Readies a reused page for the next test: no routes, and localStorage holding only `storage`
 * (nothing else remembered: tokens, endpoint, vertical writing). Done from the page itself
 * when it is on the site's origin already - the test's own load of the site follows - else
 * by way of /config.json, a page of that origin that runs nothing.
 */
export async function resetPage(gui: Gui, page: Page, storage: Readonly<Record<string, string>> = {}): Promise<void> {
  await page.unrouteAll({ behavior: "ignoreErrors" });
  if (new URL(page.url()).origin !== gui.server.url) await page.goto(`${gui.server.url}/config.json`);
  await page.evaluate((items) => {
    localStorage.clear();
    for (const [key, value] of Object.entries(items)) localStorage.setItem(key, value);
  }, storage);
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

/**
 * Full-page screenshot under SCREENSHOTS; returns its path. Only an artifact (nothing compares
 * it): the text caret is left as it is rather than hidden by a style put in and taken out again
 * (two more round trips and two restyles of the page, ~10% of a screenshot's CPU).
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, caret: "initial" });
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

/**
 * Browser test: headless Debian Chromium (/usr/bin/chromium, or CHROMIUM_PATH)
 * driven by playwright-core against the local dev server. Fails - never
 * skips - when Chromium is missing: `apt-get install -y chromium`.
 */
import * as fs from "fs";
import * as path from "path";
import { chromium, Browser, Page } from "playwright-core";
import { DevServer, startDevServer } from "../../tools/dev-server";
import { buildSite } from "../../site/build";
import { tempDir } from "../helpers/synth";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-artifacts");

let server: DevServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  const siteDir = tempDir("site");
  buildSite(siteDir);
  // Writes protected (tokens), no per-client throttle (the test posts 25 haiku in a row).
  server = await startDevServer({ port: 0, siteDir, writeThrottle: false });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  page = await browser.newPage();
}, 60000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test("loads the GUI, posts a haiku, sees it, likes it and deletes it", async () => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  // GIVEN the page, pre-filled with the API URL from /config.json
  await page.goto(`${server.url}/`);
  await expectValue(page, "API Endpoint URL", server.apiUrl);
  await page.getByText("No haiku yet").waitFor();

  // WHEN a haiku is posted through the form
  await page.getByLabel("First line").fill("furuike ya");
  await page.getByLabel("Second line").fill("kawazu tobikomu");
  await page.getByLabel("Third line").fill("mizu no oto");
  await page.getByLabel("Your name").fill("basho");
  await page.getByRole("button", { name: "POST" }).click();

  // THEN it is listed with its three lines and author
  const item = page.locator("li.haiku").filter({ hasText: "kawazu tobikomu" });
  await item.waitFor();
  expect(await item.locator(".author").textContent()).toContain("basho");
  expect(await item.locator(".likes").textContent()).toBe("0");
  expect(await page.getByRole("button", { name: "Load more" }).isVisible()).toBe(false);

  // WHEN it is liked
  await item.getByRole("button", { name: /Like the haiku by basho/ }).click();
  await page.waitForFunction(() => document.querySelector("li.haiku .likes")?.textContent === "1");

  // AND the list is refreshed, the like persisted
  await page.getByRole("button", { name: "REFRESH" }).click();
  await page.waitForFunction(() => document.querySelector("li.haiku .likes")?.textContent === "1");
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, "bashoutter-gui.png"), fullPage: true });

  // AND this browser kept the haiku's delete token (only there)
  const itemId = await item.getAttribute("data-item-id");
  const tokens = await page.evaluate(() => JSON.parse(localStorage.getItem("bashoutter.deleteTokens") ?? "{}"));
  expect(Object.keys(tokens)).toEqual([itemId]);
  expect(tokens[itemId!]).toMatch(/^[A-Za-z0-9_-]{43}$/);

  // WHEN it is deleted, THEN the token was sent, and it is gone from the page, the API and the browser's tokens
  const deleteRequest = page.waitForRequest((r) => r.method() === "DELETE");
  await item.getByRole("button", { name: /Delete the haiku by basho/ }).click();
  expect((await deleteRequest).headers()["x-delete-token"]).toBe(tokens[itemId!]);
  await page.getByText("No haiku yet").waitFor();
  const res = await fetch(`${server.apiUrl}/haiku`);
  expect(await res.json()).toEqual([]);
  expect(await page.evaluate(() => localStorage.getItem("bashoutter.deleteTokens"))).toBe("{}");
  expect(errors).toEqual([]);
}, 60000);

test("shows Delete only on the haiku posted from this browser", async () => {
  // GIVEN a haiku posted by someone else (through the API, not this page)
  await fetch(`${server.apiUrl}/haiku`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username: "issa", first: "yare utsu na", second: "hae ga te wo suru", third: "ashi wo suru" }) });
  await page.goto(`${server.url}/`);
  // WHEN this browser posts one too
  await page.getByLabel("First line").fill("shizukasa ya");
  await page.getByLabel("Second line").fill("iwa ni shimiiru");
  await page.getByLabel("Third line").fill("semi no koe");
  await page.getByLabel("Your name").fill("basho");
  await page.getByRole("button", { name: "POST" }).click();
  const mine = page.locator("li.haiku").filter({ hasText: "semi no koe" });
  await mine.waitFor();
  // THEN only its own haiku has a Delete button; both have a heart
  const theirs = page.locator("li.haiku").filter({ hasText: "hae ga te wo suru" });
  expect(await mine.getByRole("button", { name: /Delete/ }).count()).toBe(1);
  expect(await theirs.getByRole("button", { name: /Delete/ }).count()).toBe(0);
  expect(await theirs.getByRole("button", { name: /Like/ }).count()).toBe(1);
  // AND after a reload (tokens are remembered), still only on its own
  await page.reload();
  await mine.waitFor();
  expect(await mine.getByRole("button", { name: /Delete/ }).count()).toBe(1);
  expect(await theirs.getByRole("button", { name: /Delete/ }).count()).toBe(0);
  // clean up for the next tests
  await mine.getByRole("button", { name: /Delete/ }).click();
  await mine.waitFor({ state: "detached" });
  const [other] = await (await fetch(`${server.apiUrl}/haiku`)).json();
  const signed = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=${"0".repeat(64)}`;
  expect((await fetch(`${server.apiUrl}/admin/haiku/${other.item_id}`, { method: "DELETE", headers: { Authorization: signed } })).status).toBe(204);
  await page.evaluate(() => localStorage.clear());
}, 60000);

test("shows the API's error message when the endpoint is wrong", async () => {
  await page.goto(`${server.url}/`);
  await page.getByLabel("API Endpoint URL").fill(`${server.url}/nope`);
  await page.getByLabel("API Endpoint URL").dispatchEvent("change");
  await page.getByRole("button", { name: "REFRESH" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(/404/);
  await page.evaluate(() => localStorage.clear());
}, 60000);

test("follows X-Next-Cursor with Load more until every haiku is shown", async () => {
  // GIVEN 25 haiku (the page shows 20 at a time)
  for (let i = 0; i < 25; i++) {
    await fetch(`${server.apiUrl}/haiku`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: `poet${i}`, first: "a", second: "b", third: "c" }),
    });
  }
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => document.querySelectorAll("li.haiku").length === 20);
  // WHEN Load more is clicked, THEN the remaining 5 are appended and the button goes away
  await page.getByRole("button", { name: "Load more" }).click();
  await page.waitForFunction(() => document.querySelectorAll("li.haiku").length === 25);
  expect(await page.getByRole("button", { name: "Load more" }).isVisible()).toBe(false);
  const names = await page.locator("li.haiku .author").allTextContents();
  expect(new Set(names).size).toBe(25);
}, 60000);

async function expectValue(p: Page, label: string, value: string): Promise<void> {
  await p.waitForFunction(
    ([l, v]) => {
      const el = Array.from(document.querySelectorAll("label")).find((x) => x.textContent === l);
      const input = el && document.getElementById(el.htmlFor);
      return (input as HTMLInputElement | null)?.value === v;
    },
    [label, value] as const,
  );
}
